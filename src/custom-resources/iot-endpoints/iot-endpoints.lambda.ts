import { DescribeEndpointCommand, IoTClient } from '@aws-sdk/client-iot';
import { IOT_ENDPOINTS_ATTR_CREDENTIAL, IOT_ENDPOINTS_ATTR_DATA } from './api';
import {
  CustomResourceEvent, HandlerDeps, OnEventResponse, createLogger, withCloudFormationErrors, withRetries, SDK_CLIENT_CONFIG,
} from '../../private/handler-kit';

const iot = new IoTClient(SDK_CLIENT_CONFIG);

/**
 * Reads the account's AWS IoT data (ATS) and credential-provider endpoints (DescribeEndpoint).
 * Read only: Delete does nothing.
 */
export function createHandler(deps: HandlerDeps = {}) {
  const log = createLogger('iot-endpoints');
  const describe = async (endpointType: string) => {
    const res = await withRetries(() => iot.send(new DescribeEndpointCommand({ endpointType })), {
      sleep: deps.sleep, random: deps.random, log, label: 'DescribeEndpoint',
    });
    if (!res.endpointAddress) throw new Error(`DescribeEndpoint returned no address for ${endpointType}`);
    return res.endpointAddress;
  };
  return withCloudFormationErrors(log, async (event: CustomResourceEvent): Promise<OnEventResponse> => {
    if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
    const data = await describe('iot:Data-ATS');
    const credential = await describe('iot:CredentialProvider');
    return {
      PhysicalResourceId: 'iot-endpoints',
      Data: { [IOT_ENDPOINTS_ATTR_DATA]: data, [IOT_ENDPOINTS_ATTR_CREDENTIAL]: credential },
    };
  });
}

export const handler = createHandler();
