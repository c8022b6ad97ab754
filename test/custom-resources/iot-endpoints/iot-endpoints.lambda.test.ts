import { DescribeEndpointCommand, IoTClient } from '@aws-sdk/client-iot';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../../../src/custom-resources/iot-endpoints/iot-endpoints.lambda';
import { awsError, createEvent, deleteEvent, noSleep } from '../events';

const iot = mockClient(IoTClient);
const onEvent = createHandler(noSleep);
beforeEach(() => iot.reset());

test('returns the data and credential endpoints, retrying throttling', async () => {
  iot.on(DescribeEndpointCommand, { endpointType: 'iot:Data-ATS' })
    .rejectsOnce(awsError('ThrottlingException'))
    .resolves({ endpointAddress: 'abc-ats.iot.eu-west-1.amazonaws.com' });
  iot.on(DescribeEndpointCommand, { endpointType: 'iot:CredentialProvider' }).resolves({ endpointAddress: 'abc.credentials.iot.eu-west-1.amazonaws.com' });
  expect(await onEvent(createEvent({}))).toEqual({
    PhysicalResourceId: 'iot-endpoints',
    Data: { DataEndpoint: 'abc-ats.iot.eu-west-1.amazonaws.com', CredentialEndpoint: 'abc.credentials.iot.eu-west-1.amazonaws.com' },
  });
  expect(iot.commandCalls(DescribeEndpointCommand)).toHaveLength(3);
});

test('delete sends nothing', async () => {
  await onEvent(deleteEvent({}, 'iot-endpoints'));
  expect(iot.calls()).toHaveLength(0);
});
