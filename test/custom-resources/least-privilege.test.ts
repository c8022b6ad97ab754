import { readFileSync } from 'fs';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CoreDevice } from '../../src/core-device';
import { GreengrassServiceRole } from '../../src/custom-resources/service-role';

/**
 * Each handler role holds exactly the actions its handler sends (one per SDK command in its
 * source) plus the dependent actions the Service Authorization Reference lists for them, and
 * nothing else.
 */
/** What only a certificate with RemovalPolicy destroy needs (deactivate, delete, detach). */
const CERTIFICATE_DESTROY_ACTIONS = ['iot:DeleteCertificate', 'iot:DetachThingPrincipal', 'iot:UpdateCertificate', 'secretsmanager:DeleteSecret'];

const HANDLERS: Record<string, { source: string; dependent: string[]; destroyOnly?: string[] }> = {
  // The role's own policy never deletes or changes a certificate: that is the DestroyPolicy's (below).
  GreengrassV2CertificateProvider: {
    source: 'certificate/certificate.lambda.ts',
    dependent: ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'],
    destroyOnly: CERTIFICATE_DESTROY_ACTIONS,
  },
  GreengrassV2ServiceRoleProvider: { source: 'service-role/service-role.lambda.ts', dependent: ['iam:PassRole'] },
  GreengrassV2CoreDeviceCleanupProvider: {
    source: 'core-device-cleanup/core-device-cleanup.lambda.ts',
    dependent: ['iot:DescribeThing', 'iot:GetThingShadow', 'iot:UpdateThingShadow', 'iot:DeleteThingShadow'],
  },
  GreengrassV2ClientDevicesProvider: { source: 'client-devices/client-devices.lambda.ts', dependent: [] },
  GreengrassV2ConnectivityInfoProvider: { source: 'connectivity-info/connectivity-info.lambda.ts', dependent: ['iot:GetThingShadow', 'iot:UpdateThingShadow'] },
  GreengrassV2ThingGroupMembershipProvider: { source: 'thing-group-membership/thing-group-membership.lambda.ts', dependent: [] },
  GreengrassV2IotEndpointsProvider: { source: 'iot-endpoints/iot-endpoints.lambda.ts', dependent: [] },
};

const SERVICE_PREFIX: Record<string, string> = {
  IoTClient: 'iot', SecretsManagerClient: 'secretsmanager', GreengrassV2Client: 'greengrass', CloudFormationClient: 'cloudformation',
};

/**
 * The actions of the SDK commands a handler's source sends (`new XCommand(` with its client's prefix), and those of
 * the shared stack reader when it imports it (`src/private/stack-claims.ts`).
 */
function calledActions(source: string): string[] {
  const file = path.join(__dirname, '../../src/custom-resources', source);
  const text = readFileSync(file, 'utf8');
  const shared = /from '\.\.\/\.\.\/private\/stack-claims'/.test(text) ? commandActions(readFileSync(path.join(__dirname, '../../src/private/stack-claims.ts'), 'utf8')) : [];
  return [...new Set([...commandActions(text), ...shared])];
}

function commandActions(text: string): string[] {
  const imports = [...text.matchAll(/import \{([^}]*)\} from '@aws-sdk\/client-([a-z0-9-]+)'/g)];
  const prefixOf = new Map<string, string>();
  for (const [, names] of imports) {
    const list = names.split(',').map((n) => n.trim()).filter(Boolean);
    const client = list.find((n) => n.endsWith('Client'))!;
    for (const n of list) prefixOf.set(n, SERVICE_PREFIX[client]);
  }
  return [...new Set([...text.matchAll(/new (\w+)Command\(/g)].map(([, name]) => `${prefixOf.get(`${name}Command`)}:${name}`))];
}

function everyHandlerStack(): Template {
  const s = new Stack(new App(), 'Edge', { env: { account: '111111111111', region: 'eu-west-1' } });
  new CoreDevice(s, 'Core', { thingName: 'core-1', clientDeviceThingNames: ['sensor-1'], connectivityInfo: [{ hostAddress: '10.0.0.5' }], thingGroupNames: ['g'], removeCoreDeviceOnDelete: true });
  new CoreDevice(s, 'Destroyed', { thingName: 'core-2', removalPolicy: RemovalPolicy.DESTROY });
  new GreengrassServiceRole(s, 'ServiceRole');
  return Template.fromStack(s);
}

function actionsOfPolicies(t: Template, idPrefix: string): string[] {
  return Object.entries(t.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(idPrefix))
    .flatMap(([, p]: [string, any]) => p.Properties.PolicyDocument.Statement)
    .flatMap((st: any) => [].concat(st.Action));
}

test.each(Object.entries(HANDLERS))('%s holds exactly what its handler calls', (provider, { source, dependent, destroyOnly = [] }) => {
  const held = actionsOfPolicies(everyHandlerStack(), `${provider}OnEventRole`);
  expect(held.length).toBeGreaterThan(0);
  const expected = [...calledActions(source), ...dependent].filter((a) => !destroyOnly.includes(a));
  expect([...new Set(held)].sort()).toEqual([...new Set(expected)].sort());
});

test('the certificate provider\'s DestroyPolicy holds exactly the handler\'s calls that only DESTROY needs', () => {
  const held = actionsOfPolicies(everyHandlerStack(), 'GreengrassV2CertificateProviderDestroyPolicy');
  expect([...new Set(held)].sort()).toEqual(CERTIFICATE_DESTROY_ACTIONS);
  expect(calledActions('certificate/certificate.lambda.ts')).toEqual(expect.arrayContaining(CERTIFICATE_DESTROY_ACTIONS));
});
