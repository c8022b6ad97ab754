"""Reads a (simulated) temperature sensor and publishes readings on local pub/sub.

Deployed as the com.example.SensorReader component by the example app. The topic and the
sampling interval come from the component configuration.
"""
import json
import random
import sys
import time

from awsiot.greengrasscoreipc.clientv2 import GreengrassCoreIPCClientV2


def read_sensor() -> float:
    # Stand-in for a real sensor driver.
    return round(20.0 + random.uniform(-0.5, 0.5), 2)


def main(topic: str, interval_seconds: float) -> None:
    ipc = GreengrassCoreIPCClientV2()
    while True:
        reading = {"temperature": read_sensor(), "timestamp": int(time.time() * 1000)}
        ipc.publish_to_topic(topic=topic, publish_message={"jsonMessage": {"message": reading}})
        print(json.dumps(reading), flush=True)
        time.sleep(interval_seconds)


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
