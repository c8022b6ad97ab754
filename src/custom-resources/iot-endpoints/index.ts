import { CustomResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { IOT_ENDPOINTS_ATTR_CREDENTIAL, IOT_ENDPOINTS_ATTR_DATA, IOT_ENDPOINTS_RESOURCE_TYPE } from './api';
import { IotEndpointsFunction } from './iot-endpoints-function';
import { SharedProvider } from '../../private/provider';

/**
 * The account's AWS IoT data (ATS) and credential-provider endpoints, read at deploy time with
 * `iot:DescribeEndpoint`. One per stack: use `IotEndpoints.of(scope)`.
 */
export class IotEndpoints extends Construct {
  /** The stack's endpoints, created the first time. */
  public static of(scope: IConstruct): IotEndpoints {
    const stack = Stack.of(scope);
    const id = 'GreengrassV2IotEndpoints';
    return (stack.node.tryFindChild(id) as IotEndpoints | undefined) ?? new IotEndpoints(stack, id);
  }

  /** `<prefix>-ats.iot.<region>.amazonaws.com` */
  public readonly dataEndpoint: string;
  /** `<prefix>.credentials.iot.<region>.amazonaws.com` */
  public readonly credentialEndpoint: string;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const provider = SharedProvider.getOrCreate(this, {
      id: 'GreengrassV2IotEndpointsProvider',
      onEvent: (s, i, p) => new IotEndpointsFunction(s, i, p),
    });
    // iot:DescribeEndpoint has no resource type.
    provider.grant(new iam.PolicyStatement({ actions: ['iot:DescribeEndpoint'], resources: ['*'] }),
      'iot:DescribeEndpoint has no resource type: IAM allows it only on *');
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: IOT_ENDPOINTS_RESOURCE_TYPE,
    });
    this.dataEndpoint = resource.getAttString(IOT_ENDPOINTS_ATTR_DATA);
    this.credentialEndpoint = resource.getAttString(IOT_ENDPOINTS_ATTR_CREDENTIAL);
  }
}
