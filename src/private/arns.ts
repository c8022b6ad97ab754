import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** ARNs the custom resources scope their IAM statements to. */
export function iotArn(scope: IConstruct, resource: string): string {
  const s = Stack.of(scope);
  return `arn:${s.partition}:iot:${s.region}:${s.account}:${resource}`;
}

/** `arn:<p>:greengrass:<r>:<a>:<resource>` */
export function greengrassArn(scope: IConstruct, resource: string): string {
  const s = Stack.of(scope);
  return `arn:${s.partition}:greengrass:${s.region}:${s.account}:${resource}`;
}

/** The ARN of a Greengrass core device (`coreDevices:<thing>`). */
export function coreDeviceArn(scope: IConstruct, thingName: string): string {
  return greengrassArn(scope, `coreDevices:${thingName}`);
}

/**
 * The ARN of a core device's connectivity information, in the form IAM and AWS IoT policies match:
 * `arn:<p>:greengrass:<r>:<a>:/greengrass/things/<thing>/connectivityInfo` (with the leading
 * `/greengrass/` of its REST path, unlike the other Greengrass V2 resource types).
 */
export function connectivityInfoArn(scope: IConstruct, thingName: string): string {
  return greengrassArn(scope, `/greengrass/things/${thingName}/connectivityInfo`);
}
