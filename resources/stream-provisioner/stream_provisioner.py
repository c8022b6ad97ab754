"""Creates or updates AWS IoT Greengrass Stream Manager streams from their definitions.

The definitions are a JSON array of ``MessageStreamDefinition`` maps in the Stream Manager
wire format (what ``MessageStreamDefinition.as_dict()`` produces). The component that ships
this program keeps them in its configuration under the key ``streams``; the program reads them
over Greengrass IPC (``GetConfiguration``, with the AWS IoT Device SDK for Python). Outside
Greengrass, the ``STREAM_DEFINITIONS`` environment variable can hold the same JSON array instead.

For each definition, in order:
  * the stream does not exist: it is created;
  * it exists with the same definition: nothing is done;
  * it exists with another definition: it is updated.
Streams that are not in the definitions are left alone (deleting one would lose its data).

Every failure is logged with the stream's name and the reason; the program goes on with the
other streams and exits with status 1 if any stream failed, so the component reports an error.
"""

import json
import logging
import os
import sys
import time

LOG = logging.getLogger("stream_provisioner")

ENV_DEFINITIONS = "STREAM_DEFINITIONS"
CONFIGURATION_KEY = "streams"


class ProvisionResult:
    """What happened to each stream."""

    def __init__(self):
        self.created = []
        self.updated = []
        self.unchanged = []
        self.failed = []

    @property
    def ok(self):
        return not self.failed

    def summary(self):
        return "created %d, updated %d, unchanged %d, failed %d" % (
            len(self.created), len(self.updated), len(self.unchanged), len(self.failed))


def load_definitions(raw):
    """Parses a JSON array of definitions; raises ValueError naming what is wrong."""
    try:
        definitions = json.loads(raw)
    except ValueError as e:
        raise ValueError("stream definitions are not valid JSON: %s" % e)
    return check_definitions(definitions)


def check_definitions(definitions):
    """Checks the definitions and orders status streams first; raises ValueError naming what is wrong."""
    if not isinstance(definitions, list):
        raise ValueError("stream definitions must be a JSON array, got %s" % type(definitions).__name__)
    definitions = whole_numbers_as_int(definitions)
    names = set()
    for i, definition in enumerate(definitions):
        if not isinstance(definition, dict) or not isinstance(definition.get("name"), str):
            raise ValueError("stream definition #%d has no name" % i)
        if definition["name"] in names:
            raise ValueError("stream '%s' is defined twice" % definition["name"])
        names.add(definition["name"])
    return order_status_streams_first(definitions)


def whole_numbers_as_int(value):
    """Every whole float (for example 268435456.0) as an int: the SDK sends sizes, durations,
    counts and enum codes as integers, and a configuration store may hand numbers back as floats."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [whole_numbers_as_int(v) for v in value]
    if isinstance(value, dict):
        return {k: whole_numbers_as_int(v) for k, v in value.items()}
    return value


def read_definitions(environ, get_configuration):
    """The definitions: ``STREAM_DEFINITIONS`` when set, otherwise the component's configuration
    key ``streams`` read with ``get_configuration(key_path)``. Raises ValueError naming what is wrong."""
    raw = environ.get(ENV_DEFINITIONS)
    if raw is not None:
        return load_definitions(raw)
    configuration = get_configuration([CONFIGURATION_KEY])
    if not isinstance(configuration, dict) or CONFIGURATION_KEY not in configuration:
        raise ValueError("the component configuration has no key '%s'; it must hold the stream definitions"
                         % CONFIGURATION_KEY)
    return check_definitions(configuration[CONFIGURATION_KEY])


def ipc_get_configuration(key_path, timeout_seconds=30.0):
    """This component's configuration at ``key_path``, over Greengrass IPC (GetConfiguration).

    For a key that holds a list the nucleus answers ``{key: list}``; for an object, the object.
    """
    from awsiot.greengrasscoreipc.clientv2 import GreengrassCoreIPCClientV2  # installed by the Install step

    ipc = GreengrassCoreIPCClientV2()
    try:
        return ipc.get_configuration_async(key_path=key_path).result(timeout_seconds).value
    finally:
        ipc.close()


def status_stream_names(definition):
    """Names of the status streams the definition's S3 export tasks report to."""
    executors = (definition.get("exportDefinition") or {}).get("s3TaskExecutor") or []
    return [e["statusConfig"]["statusStreamName"] for e in executors
            if (e.get("statusConfig") or {}).get("statusStreamName")]


def order_status_streams_first(definitions):
    """Stream Manager requires a status stream to exist before a stream reports to it."""
    by_name = {d["name"]: d for d in definitions}
    ordered, done, visiting = [], set(), []

    def visit(definition):
        name = definition["name"]
        if name in done:
            return
        if name in visiting:
            raise ValueError("status streams form a cycle through '%s'" % name)
        visiting.append(name)
        for status_name in status_stream_names(definition):
            if status_name in by_name:
                visit(by_name[status_name])
        visiting.pop()
        done.add(name)
        ordered.append(definition)

    for definition in definitions:
        visit(definition)
    return ordered


# Fields that are unset when a definition leaves them out: Stream Manager fills in no default
# for them, so a value the stream still has on the device is a difference.
UNSET_WHEN_ABSENT = {"timeToLiveMillis", "batchIntervalMillis", "statusConfig"}


def differs(existing, desired):
    """Whether an existing stream's definition differs from the desired one.

    Stream Manager fills in defaults for some fields the desired definition leaves out (sizes,
    persistence, batch sizes, priorities), so those are compared only when the desired definition
    sets them. Fields without a default (time to live, batch interval, status configuration) that
    the desired definition leaves out must be unset on the device too. Exports are matched by
    identifier; an existing export that is no longer desired is a difference.
    """
    if fields_differ(existing, desired, ignore=("exportDefinition",)):
        return True
    return exports_differ(existing.get("exportDefinition") or {}, desired.get("exportDefinition") or {})


def fields_differ(existing, desired, ignore=()):
    for key, value in desired.items():
        if key not in ignore and existing.get(key) != value:
            return True
    return any(existing.get(key) is not None for key in UNSET_WHEN_ABSENT
               if key not in desired and key not in ignore)


def exports_differ(existing, desired):
    for destination in set(existing) | set(desired):
        have = {c.get("identifier"): c for c in existing.get(destination) or []}
        want = {c.get("identifier"): c for c in desired.get(destination) or []}
        if set(have) != set(want):
            return True
        if any(fields_differ(have[identifier], config) for identifier, config in want.items()):
            return True
    return False


def provision(client, sdk, definitions, log=LOG):
    """Creates or updates each stream; returns a ProvisionResult.

    ``client`` is a ``StreamManagerClient``; ``sdk`` provides ``MessageStreamDefinition``,
    ``ResourceNotFoundException`` and ``StreamManagerException`` (the ``stream_manager`` module).
    """
    result = ProvisionResult()
    for desired in definitions:
        name = desired["name"]
        try:
            definition = sdk.MessageStreamDefinition.from_dict(desired)
            try:
                info = client.describe_message_stream(name)
            except sdk.ResourceNotFoundException:
                client.create_message_stream(definition)
                result.created.append(name)
                log.info("created stream '%s'", name)
                continue
            if differs(info.definition.as_dict(), desired):
                client.update_message_stream(definition)
                result.updated.append(name)
                log.info("updated stream '%s'", name)
            else:
                result.unchanged.append(name)
                log.info("stream '%s' is up to date", name)
        except Exception as e:  # one stream's failure must not stop the others
            result.failed.append(name)
            log.error("failed to create or update stream '%s': %s: %s", name, type(e).__name__, e)
    log.info("stream provisioning done: %s", result.summary())
    return result


def connect(sdk, attempts=40, delay_seconds=3.0, sleep=time.sleep, log=LOG):
    """Connects to Stream Manager, retrying while it starts."""
    for attempt in range(1, attempts + 1):
        try:
            return sdk.StreamManagerClient()
        except Exception as e:
            if attempt == attempts:
                raise
            log.warning("Stream Manager not reachable yet (attempt %d of %d): %s", attempt, attempts, e)
            sleep(delay_seconds)


def main(environ=os.environ, sdk=None, log=LOG, get_configuration=ipc_get_configuration):
    """Entry point; returns the process exit status."""
    try:
        definitions = read_definitions(environ, get_configuration)
    except ValueError as e:
        log.error("%s", e)
        return 2
    except Exception as e:
        log.error("cannot read the component configuration over Greengrass IPC: %s: %s", type(e).__name__, e)
        return 2
    if sdk is None:
        import stream_manager as sdk  # installed by the component's Install step
    client = None
    try:
        client = connect(sdk, log=log)
        result = provision(client, sdk, definitions, log=log)
    except Exception as e:
        log.error("cannot reach Stream Manager: %s: %s", type(e).__name__, e)
        return 1
    finally:
        if client is not None:
            client.close()
    return 0 if result.ok else 1


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, stream=sys.stdout,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    sys.exit(main())
