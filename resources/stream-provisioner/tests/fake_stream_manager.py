"""A fake of the parts of the Stream Manager SDK (``stream_manager``) the provisioner uses.

It behaves like the server where it matters: describing a missing stream raises
ResourceNotFoundException, a stream cannot report to a status stream that does not exist yet,
and a described definition has the server's defaults filled in.
"""

import copy


class StreamManagerException(Exception):
    pass


class ResourceNotFoundException(StreamManagerException):
    pass


class InvalidRequestException(StreamManagerException):
    pass


class UpdateNotAllowedException(InvalidRequestException):  # as in the SDK's exceptions module
    pass


class MessageStreamDefinition:
    def __init__(self, d):
        self._d = copy.deepcopy(d)
        self.name = d["name"]

    @staticmethod
    def from_dict(d):
        if "strategyOnFull" not in d:
            raise InvalidRequestException("Property strategyOnFull is required, but was null")
        return MessageStreamDefinition(d)

    def as_dict(self):
        return copy.deepcopy(self._d)


class MessageStreamInfo:
    def __init__(self, definition):
        self.definition = definition


SERVER_DEFAULTS = {"persistence": 0, "flushOnWrite": False}


class FakeStreamManagerClient:
    def __init__(self, existing=None, fail_on=None, refuse_updates_of=None):
        self.streams = {}
        for d in existing or []:
            self.streams[d["name"]] = MessageStreamDefinition(dict(SERVER_DEFAULTS, **d))
        self.fail_on = set(fail_on or [])
        self.refuse_updates_of = set(refuse_updates_of or [])
        self.calls = []
        self.closed = False

    def _check_status_streams(self, definition):
        for executor in (definition.as_dict().get("exportDefinition") or {}).get("s3TaskExecutor") or []:
            status = (executor.get("statusConfig") or {}).get("statusStreamName")
            if status and status not in self.streams:
                raise InvalidRequestException("status stream %s does not exist" % status)

    def describe_message_stream(self, stream_name):
        self.calls.append(("describe", stream_name))
        if stream_name not in self.streams:
            raise ResourceNotFoundException("stream %s not found" % stream_name)
        return MessageStreamInfo(self.streams[stream_name])

    def create_message_stream(self, definition):
        self.calls.append(("create", definition.name))
        if definition.name in self.fail_on:
            raise StreamManagerException("disk full")
        self._check_status_streams(definition)
        self.streams[definition.name] = MessageStreamDefinition(dict(SERVER_DEFAULTS, **definition.as_dict()))

    def update_message_stream(self, definition):
        self.calls.append(("update", definition.name))
        if definition.name in self.refuse_updates_of:
            raise UpdateNotAllowedException("persistence cannot be updated")
        self._check_status_streams(definition)
        self.streams[definition.name] = MessageStreamDefinition(dict(SERVER_DEFAULTS, **definition.as_dict()))

    def close(self):
        self.closed = True


class FakeSdk:
    """Stands in for the ``stream_manager`` module."""
    StreamManagerException = StreamManagerException
    ResourceNotFoundException = ResourceNotFoundException
    MessageStreamDefinition = MessageStreamDefinition

    def __init__(self, client=None, connect_failures=0):
        self.client = client or FakeStreamManagerClient()
        self.connect_failures = connect_failures

    def StreamManagerClient(self):  # noqa: N802 (mirrors the SDK's class name)
        if self.connect_failures > 0:
            self.connect_failures -= 1
            raise ConnectionRefusedError("Connection refused")
        return self.client
