import json
import logging
import os
import sys
import types
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import stream_provisioner as sp  # noqa: E402
from tests.fake_stream_manager import FakeSdk, FakeStreamManagerClient  # noqa: E402

TELEMETRY = {
    "name": "telemetry", "maxSize": 268435456, "streamSegmentSize": 16777216, "strategyOnFull": 1,
    "exportDefinition": {"kinesis": [{"identifier": "to-kinesis", "kinesisStreamName": "telemetry", "batchSize": 100}]},
}
STATUS = {"name": "upload-status", "maxSize": 268435456, "streamSegmentSize": 16777216, "strategyOnFull": 1}
FILES = {
    "name": "files", "maxSize": 268435456, "streamSegmentSize": 16777216, "strategyOnFull": 1,
    "exportDefinition": {"s3TaskExecutor": [{
        "identifier": "to-s3", "statusConfig": {"statusLevel": 2, "statusStreamName": "upload-status"}}]},
}


class Logs(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append((record.levelname, record.getMessage()))

    def errors(self):
        return [m for level, m in self.records if level == "ERROR"]


def logger():
    handler = Logs()
    log = logging.getLogger("test-%d" % id(handler))
    log.propagate = False
    log.setLevel(logging.INFO)
    log.addHandler(handler)
    return log, handler


def run(client, definitions):
    log, logs = logger()
    result = sp.provision(client, FakeSdk(client), sp.load_definitions(json.dumps(definitions)), log=log)
    return result, logs


class ProvisionTest(unittest.TestCase):
    def test_creates_missing_streams(self):
        client = FakeStreamManagerClient()
        result, logs = run(client, [TELEMETRY])
        self.assertEqual(result.created, ["telemetry"])
        self.assertTrue(result.ok)
        self.assertEqual(client.streams["telemetry"].as_dict()["exportDefinition"], TELEMETRY["exportDefinition"])
        self.assertEqual(logs.errors(), [])

    def test_second_run_changes_nothing(self):
        client = FakeStreamManagerClient()
        run(client, [STATUS, FILES, TELEMETRY])
        client.calls.clear()
        result, _ = run(client, [STATUS, FILES, TELEMETRY])
        self.assertEqual(result.unchanged, ["upload-status", "files", "telemetry"])
        self.assertEqual([c for c in client.calls if c[0] != "describe"], [])

    def test_server_defaults_are_not_a_difference(self):
        # the server reports persistence and flushOnWrite even when the definition left them out
        client = FakeStreamManagerClient(existing=[TELEMETRY])
        self.assertEqual(client.streams["telemetry"].as_dict()["persistence"], 0)
        result, _ = run(client, [TELEMETRY])
        self.assertEqual(result.unchanged, ["telemetry"])

    def test_updates_a_changed_stream(self):
        client = FakeStreamManagerClient(existing=[TELEMETRY])
        changed = json.loads(json.dumps(TELEMETRY))
        changed["exportDefinition"]["kinesis"][0]["batchSize"] = 500
        changed["timeToLiveMillis"] = 3600000
        result, _ = run(client, [changed])
        self.assertEqual(result.updated, ["telemetry"])
        self.assertEqual(client.streams["telemetry"].as_dict()["exportDefinition"]["kinesis"][0]["batchSize"], 500)

    def test_removed_export_is_a_change(self):
        client = FakeStreamManagerClient(existing=[TELEMETRY])
        without_export = {k: v for k, v in TELEMETRY.items() if k != "exportDefinition"}
        result, _ = run(client, [without_export])
        self.assertEqual(result.updated, ["telemetry"])

    def test_added_export_is_a_change(self):
        client = FakeStreamManagerClient(existing=[TELEMETRY])
        more = json.loads(json.dumps(TELEMETRY))
        more["exportDefinition"]["kinesis"].append({"identifier": "second", "kinesisStreamName": "other"})
        result, _ = run(client, [more])
        self.assertEqual(result.updated, ["telemetry"])

    def test_removed_time_to_live_is_a_change(self):
        client = FakeStreamManagerClient(existing=[dict(TELEMETRY, timeToLiveMillis=3600000)])
        result, _ = run(client, [TELEMETRY])
        self.assertEqual(result.updated, ["telemetry"])
        self.assertNotIn("timeToLiveMillis", client.streams["telemetry"].as_dict())

    def test_removed_batch_interval_is_a_change(self):
        with_interval = json.loads(json.dumps(TELEMETRY))
        with_interval["exportDefinition"]["kinesis"][0]["batchIntervalMillis"] = 60000
        client = FakeStreamManagerClient(existing=[with_interval])
        result, _ = run(client, [TELEMETRY])
        self.assertEqual(result.updated, ["telemetry"])

    def test_removed_status_stream_is_a_change(self):
        without_status = json.loads(json.dumps(FILES))
        del without_status["exportDefinition"]["s3TaskExecutor"][0]["statusConfig"]
        client = FakeStreamManagerClient(existing=[STATUS, FILES])
        result, _ = run(client, [STATUS, without_status])
        self.assertEqual(result.unchanged, ["upload-status"])
        self.assertEqual(result.updated, ["files"])

    def test_server_filled_export_defaults_are_not_a_difference(self):
        # the server reports batch size, priority and the like even when the definition left them out
        described = json.loads(json.dumps(TELEMETRY))
        described["exportDefinition"]["kinesis"][0].update(priority=10, startSequenceNumber=0, disabled=False)
        described["exportDefinition"]["http"] = []
        client = FakeStreamManagerClient(existing=[described])
        result, _ = run(client, [TELEMETRY])
        self.assertEqual(result.unchanged, ["telemetry"])

    def test_status_streams_are_created_first(self):
        client = FakeStreamManagerClient()
        result, logs = run(client, [FILES, STATUS])  # given in the wrong order
        self.assertEqual(result.created, ["upload-status", "files"])
        self.assertEqual(logs.errors(), [])

    def test_failure_is_logged_and_the_others_go_on(self):
        client = FakeStreamManagerClient(fail_on=["telemetry"])
        result, logs = run(client, [TELEMETRY, STATUS])
        self.assertEqual(result.failed, ["telemetry"])
        self.assertEqual(result.created, ["upload-status"])
        self.assertFalse(result.ok)
        self.assertEqual(logs.errors(), ["failed to create or update stream 'telemetry': StreamManagerException: disk full"])

    def test_refused_update_is_logged(self):
        client = FakeStreamManagerClient(existing=[STATUS], refuse_updates_of=["upload-status"])
        changed = dict(STATUS, persistence=1)
        result, logs = run(client, [changed])
        self.assertEqual(result.failed, ["upload-status"])
        self.assertIn("UpdateNotAllowedException: persistence cannot be updated", logs.errors()[0])


class IpcTest(unittest.TestCase):
    """The IPC glue against a stand-in for the AWS IoT Device SDK's IPC client V2."""

    def setUp(self):
        self.calls = []
        calls = self.calls

        class Response:
            value = {"streams": [STATUS]}

        class Future:
            def result(self, timeout=None):
                calls.append(("result", timeout))
                return Response()

        class GreengrassCoreIPCClientV2:
            def get_configuration_async(self, *, component_name=None, key_path=None):
                calls.append(("get_configuration", component_name, key_path))
                return Future()

            def close(self, *, executor_wait=True):
                calls.append(("close",))

        module = types.ModuleType("awsiot.greengrasscoreipc.clientv2")
        module.GreengrassCoreIPCClientV2 = GreengrassCoreIPCClientV2
        self.saved = {name: sys.modules.get(name) for name in self.MODULES}
        for name in self.MODULES:
            sys.modules[name] = types.ModuleType(name)
        sys.modules["awsiot.greengrasscoreipc.clientv2"] = module

    MODULES = ["awsiot", "awsiot.greengrasscoreipc", "awsiot.greengrasscoreipc.clientv2"]

    def tearDown(self):
        for name, module in self.saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module

    def test_gets_its_own_configuration_and_closes_the_client(self):
        value = sp.ipc_get_configuration(["streams"], timeout_seconds=5)
        self.assertEqual(value, {"streams": [STATUS]})
        self.assertEqual(self.calls, [("get_configuration", None, ["streams"]), ("result", 5), ("close",)])


class LoadDefinitionsTest(unittest.TestCase):
    def test_rejects_invalid_json(self):
        with self.assertRaisesRegex(ValueError, "stream definitions are not valid JSON"):
            sp.load_definitions("[{")

    def test_rejects_a_non_array(self):
        with self.assertRaisesRegex(ValueError, "must be a JSON array, got dict"):
            sp.load_definitions('{"name": "x"}')

    def test_rejects_duplicate_names(self):
        with self.assertRaisesRegex(ValueError, "stream 'upload-status' is defined twice"):
            sp.load_definitions(json.dumps([STATUS, STATUS]))

    def test_rejects_a_definition_without_name(self):
        with self.assertRaisesRegex(ValueError, "stream definition #1 has no name"):
            sp.load_definitions(json.dumps([STATUS, {"maxSize": 1024}]))


class MainTest(unittest.TestCase):
    def test_exit_status_0_when_every_stream_is_provisioned(self):
        sdk = FakeSdk()
        log, _ = logger()
        status = sp.main({sp.ENV_DEFINITIONS: json.dumps([STATUS, FILES])}, sdk=sdk, log=log)
        self.assertEqual(status, 0)
        self.assertEqual(sorted(sdk.client.streams), ["files", "upload-status"])
        self.assertTrue(sdk.client.closed)

    def test_exit_status_1_when_a_stream_fails(self):
        sdk = FakeSdk(FakeStreamManagerClient(fail_on=["files"]))
        log, _ = logger()
        self.assertEqual(sp.main({sp.ENV_DEFINITIONS: json.dumps([STATUS, FILES])}, sdk=sdk, log=log), 1)

    def test_reads_the_definitions_over_ipc(self):
        sdk = FakeSdk()
        log, logs = logger()
        asked = []

        def get_configuration(key_path):
            asked.append(key_path)
            return {"streams": [FILES, STATUS]}  # what the nucleus answers for a key holding a list

        self.assertEqual(sp.main({}, sdk=sdk, log=log, get_configuration=get_configuration), 0)
        self.assertEqual(asked, [["streams"]])
        self.assertEqual(sorted(sdk.client.streams), ["files", "upload-status"])
        self.assertEqual(logs.errors(), [])

    def test_whole_numbers_read_as_floats_are_sent_as_integers(self):
        sdk = FakeSdk()
        log, _ = logger()
        as_floats = json.loads(json.dumps(TELEMETRY), parse_int=float)
        sp.main({}, sdk=sdk, log=log, get_configuration=lambda key_path: {"streams": [as_floats]})
        created = sdk.client.streams["telemetry"].as_dict()
        self.assertEqual({k: created[k] for k in TELEMETRY}, TELEMETRY)
        self.assertIs(type(created["maxSize"]), int)
        self.assertIs(type(created["exportDefinition"]["kinesis"][0]["batchSize"]), int)

    def test_exit_status_2_when_the_configuration_has_no_streams(self):
        log, logs = logger()
        self.assertEqual(sp.main({}, sdk=FakeSdk(), log=log, get_configuration=lambda key_path: {}), 2)
        self.assertEqual(logs.errors(), ["the component configuration has no key 'streams'; it must hold the stream definitions"])

    def test_exit_status_2_when_ipc_fails(self):
        log, logs = logger()

        def unreachable(key_path):
            raise ConnectionRefusedError("no IPC socket")

        self.assertEqual(sp.main({}, sdk=FakeSdk(), log=log, get_configuration=unreachable), 2)
        self.assertEqual(logs.errors(), [
            "cannot read the component configuration over Greengrass IPC: ConnectionRefusedError: no IPC socket"])

    def test_retries_while_stream_manager_starts(self):
        sdk = FakeSdk(connect_failures=2)
        log, logs = logger()
        slept = []
        client = sp.connect(sdk, attempts=5, delay_seconds=1, sleep=slept.append, log=log)
        self.assertIs(client, sdk.client)
        self.assertEqual(slept, [1, 1])

    def test_gives_up_when_stream_manager_never_answers(self):
        sdk = FakeSdk(connect_failures=100)
        log, logs = logger()
        original = sp.connect
        sp.connect = lambda s, log: original(s, attempts=3, delay_seconds=0, sleep=lambda _: None, log=log)
        try:
            self.assertEqual(sp.main({sp.ENV_DEFINITIONS: json.dumps([STATUS])}, sdk=sdk, log=log), 1)
        finally:
            sp.connect = original
        self.assertIn("cannot reach Stream Manager: ConnectionRefusedError", logs.errors()[0])


if __name__ == "__main__":
    unittest.main()
