import { App, CfnOutput, CfnParameter, CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CfnDeployment } from 'aws-cdk-lib/aws-greengrassv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CoreDevice, CoreDeviceCertificate, CoreDeviceFleet, MqttTopicAccess, TokenExchangeRole } from '../../src/core-device';
import { renderCoreDeviceIotPolicy } from '../../src/core-device/private/iot-policy';
import { worstCaseJsonLength } from '../../src/core-device/private/iot-policy-size';
import { ConnectivityInfo } from '../../src/custom-resources/connectivity-info';

const CSR = '-----BEGIN CERTIFICATE REQUEST-----\nMIIBfake\n-----END CERTIFICATE REQUEST-----';

function stack() {
  return new Stack(new App(), 'Edge', { env: { account: '111111111111', region: 'eu-west-1' } });
}

/** The device's IoT policy: the statements of all its policies, in order (a long one is split). */
function iotPolicyOf(t: Template): any {
  const docs = Object.values(t.findResources('AWS::IoT::Policy')).map((p) => p.Properties.PolicyDocument);
  return { Version: docs[0].Version, Statement: docs.flatMap((d) => d.Statement) };
}

function allActions(doc: any): string[] {
  return doc.Statement.flatMap((s: any) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

describe('CoreDevice IoT policy', () => {
  test('follows the minimal core-device policy, scoped to the thing and role alias', () => {
    const s = stack();
    const core = new CoreDevice(s, 'Core', { thingName: 'core-1' });
    const t = Template.fromStack(s);
    const thing = JSON.stringify({ Ref: s.getLogicalId(core.node.findChild('Thing') as any) });
    const doc = JSON.stringify(iotPolicyOf(t));
    expect(doc).toContain(`:client/",${thing}]`);
    expect(doc).toContain(`:client/",${thing},"#*"]`);
    for (const own of ['/greengrass/health/json', '/greengrassv2/health/json', '/jobs/*', '/shadow/*']) {
      expect(doc).toContain(`:topic/$aws/things/",${thing},"${own}"`);
    }
    for (const own of ['/jobs/*', '/shadow/*']) {
      expect(doc).toContain(`:topicfilter/$aws/things/",${thing},"${own}"`);
    }
    const statements = iotPolicyOf(t).Statement;
    expect(statements.find((x: any) => x.Sid === 'TokenExchange')).toEqual({
      Sid: 'TokenExchange',
      Effect: 'Allow',
      Action: 'iot:AssumeRoleWithCertificate',
      Resource: { 'Fn::GetAtt': [s.getLogicalId(core.tokenExchangeRole.node.findChild('RoleAlias') as any), 'RoleAliasArn'] },
    });
    expect(allActions(iotPolicyOf(t)).filter((a) => a.includes('*'))).toEqual([]);
    // Only the Greengrass data-plane statement uses Resource '*'.
    expect(statements.filter((x: any) => x.Resource === '*').map((x: any) => x.Sid)).toEqual(['GreengrassDataPlane']);
  });

  test('client devices and extra topics add typed, scoped statements', () => {
    const s = stack();
    new CoreDevice(s, 'Core', {
      thingName: 'core-1',
      clientDeviceThingNames: ['sensor-1'],
      mqttTopics: [MqttTopicAccess.publish('factory/line1/telemetry'), MqttTopicAccess.subscribe('factory/line1/commands/+')],
    });
    const doc = iotPolicyOf(Template.fromStack(s));
    const sids = doc.Statement.map((x: any) => x.Sid);
    expect(sids).toEqual(expect.arrayContaining(['ClientDeviceAuth', 'ClientDeviceConnectivityInfo', 'ExtraPublish', 'ExtraSubscribe', 'ExtraReceive']));
    expect(allActions(doc).filter((a) => a.endsWith('*'))).toEqual([]);
    expect(JSON.stringify(doc)).toContain('topic/factory/line1/telemetry');
  });

  test('client devices: connectivity info is allowed on its /greengrass/things/<thing>/connectivityInfo ARN', () => {
    const s = stack();
    const core = new CoreDevice(s, 'Core', { thingName: 'core-1', clientDeviceThingNames: ['sensor-1'], connectivityInfo: [{ hostAddress: '10.0.0.5' }] });
    const thingId = s.getLogicalId(core.node.findChild('Thing') as any);
    const arn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':greengrass:eu-west-1:111111111111:/greengrass/things/', { Ref: thingId }, '/connectivityInfo']] };
    const t = Template.fromStack(s);
    const statement = iotPolicyOf(t).Statement.find((x: any) => x.Sid === 'ClientDeviceConnectivityInfo');
    expect(statement).toEqual({ Sid: 'ClientDeviceConnectivityInfo', Effect: 'Allow', Action: 'greengrass:GetConnectivityInfo', Resource: arn });
    // The handler that sets the list is granted the same resource.
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([{ Action: ['greengrass:GetConnectivityInfo', 'greengrass:UpdateConnectivityInfo'], Effect: 'Allow', Resource: arn }]) },
    });
  });

  const iotArn = (resource: string, ...tokens: any[]) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iot:eu-west-1:111111111111:${resource}`, ...tokens]] });

  test('the device may use its own shadows (shadow manager), as the documented minimal policy allows', () => {
    const s = stack();
    const core = new CoreDevice(s, 'Core', { thingName: 'core-1' });
    const thingId = s.getLogicalId(core.node.findChild('Thing') as any);
    const statement = iotPolicyOf(Template.fromStack(s)).Statement.find((x: any) => x.Sid === 'OwnShadow');
    expect(statement).toEqual({
      Sid: 'OwnShadow',
      Effect: 'Allow',
      Action: ['iot:GetThingShadow', 'iot:UpdateThingShadow', 'iot:DeleteThingShadow'],
      // Classic and named shadows.
      Resource: [iotArn('thing/', { Ref: thingId }), iotArn('thing/', { Ref: thingId }, '/*')],
    });
  });

  test('client devices: the <thing>-gci shadow topics allow only get, get/accepted and update/delta', () => {
    const s = stack();
    const core = new CoreDevice(s, 'Core', { thingName: 'core-1', clientDeviceThingNames: ['sensor-1'] });
    const thing = { Ref: s.getLogicalId(core.node.findChild('Thing') as any) };
    const statements = iotPolicyOf(Template.fromStack(s)).Statement.filter((x: any) => x.Sid.startsWith('ClientDeviceShadow') && x.Sid !== 'ClientDeviceShadows');
    const gci = (kind: string, suffix: string) => iotArn(`${kind}/$aws/things/`, thing, `-gci/shadow/${suffix}`);
    expect(statements).toEqual([
      { Sid: 'ClientDeviceShadowGet', Effect: 'Allow', Action: 'iot:Publish', Resource: gci('topic', 'get') },
      { Sid: 'ClientDeviceShadowSubscribe', Effect: 'Allow', Action: 'iot:Subscribe', Resource: [gci('topicfilter', 'update/delta'), gci('topicfilter', 'get/accepted')] },
      { Sid: 'ClientDeviceShadowReceive', Effect: 'Allow', Action: 'iot:Receive', Resource: [gci('topic', 'update/delta'), gci('topic', 'get/accepted')] },
    ]);
    expect(JSON.stringify(statements)).not.toContain('shadow/*');
  });

  test('MqttTopicAccess.THING_NAME renders the device\'s own name as the IoT policy variable', () => {
    const s = stack();
    new CoreDevice(s, 'Core', {
      thingName: 'core-1',
      mqttTopics: [MqttTopicAccess.publishAndSubscribe(`devices/${MqttTopicAccess.THING_NAME}/*`), MqttTopicAccess.subscribe(`cmd/${MqttTopicAccess.THING_NAME}/#`)],
    });
    const statements = iotPolicyOf(Template.fromStack(s)).Statement;
    expect(MqttTopicAccess.THING_NAME).toBe('${iot:Connection.Thing.ThingName}');
    expect(statements.find((x: any) => x.Sid === 'ExtraPublish').Resource).toEqual([iotArn('topic/devices/${iot:Connection.Thing.ThingName}/*')]);
    expect(statements.find((x: any) => x.Sid === 'ExtraSubscribe').Resource)
      .toEqual([iotArn('topicfilter/devices/${iot:Connection.Thing.ThingName}/*'), iotArn('topicfilter/cmd/${iot:Connection.Thing.ThingName}/#')]);
    expect(statements.find((x: any) => x.Sid === 'ExtraReceive').Resource)
      .toEqual([iotArn('topic/devices/${iot:Connection.Thing.ThingName}/*'), iotArn('topic/cmd/${iot:Connection.Thing.ThingName}/*')]);
  });

  test.each([
    ['publishAndSubscribe', '*', '*'],
    ['publish', '$*', '$'],
    ['publish', '$aw*', '$aw'],
    ['publish', '?aws/things/x', '?aws/things/x'],
    ['subscribe', '#', '#'],
    ['subscribe', '+/things/other/shadow/update', '+/things/other/shadow/update'],
    ['subscribe', '$a*', '$a'],
  ])('fails when %s(%j) would reach other things\' reserved topics', (method, topic, literal) => {
    const make = (MqttTopicAccess as any)[method].bind(MqttTopicAccess);
    expect(() => make(topic)).toThrow(`MQTT topic '${topic}' would also match AWS IoT reserved topics ('${literal}' can continue into $aws/..., including other things' $aws/things/<thing>/shadow/update): `
      + "start it with a literal first level, for example 'factory/*', or name the device itself with MqttTopicAccess.THING_NAME, for example 'devices/${iot:Connection.Thing.ThingName}/*'");
  });

  test.each([
    ['publishAndSubscribe', 'factory/*'],
    ['publish', '$aws/rules/my_rule/*'],
    ['subscribe', 'factory/#'],
    ['subscribe', 'factory/+/x'],
    ['publish', 'a$*'],
  ])('%s(%j) stays allowed: its wildcard cannot reach $aws/ topics', (method, topic) => {
    expect(() => (MqttTopicAccess as any)[method](topic)).not.toThrow();
  });

  test.each([
    ['devices/${iot:ClientId}/x', '${iot:ClientId}'],
    ['devices/${iot:Connection.Thing.Attributes[owner]}/x', '${iot:Connection.Thing.Attributes[owner]}'],
    ['devices/${x', '${x'],
  ])('fails when a topic uses another policy variable (%s)', (topic, variable) => {
    expect(() => MqttTopicAccess.publish(topic)).toThrow(
      `MQTT topic '${topic}' contains the policy variable '${variable}': only the device's own thing name is allowed, as MqttTopicAccess.THING_NAME ('\${iot:Connection.Thing.ThingName}')`);
  });

  test('client devices: certificate association and shadows are allowed on the client devices only', () => {
    const s = stack();
    new CoreDevice(s, 'Core', { thingName: 'core-1', clientDeviceThingNames: ['sensor-1', 'sensor-2'], connectivityInfo: [{ hostAddress: '10.0.0.5' }] });
    const statements = iotPolicyOf(Template.fromStack(s)).Statement;
    const clients = [iotArn('thing/sensor-1'), iotArn('thing/sensor-2')];
    expect(statements.find((x: any) => x.Sid === 'ClientDeviceAuth')).toEqual({
      Sid: 'ClientDeviceAuth', Effect: 'Allow', Action: ['greengrass:PutCertificateAuthorities', 'greengrass:VerifyClientDeviceIdentity'], Resource: '*',
    });
    expect(statements.find((x: any) => x.Sid === 'ClientDeviceCertificates')).toEqual({
      Sid: 'ClientDeviceCertificates', Effect: 'Allow', Action: 'greengrass:VerifyClientDeviceIoTCertificateAssociation', Resource: clients,
    });
    expect(statements.find((x: any) => x.Sid === 'ClientDeviceShadows')).toEqual({
      Sid: 'ClientDeviceShadows', Effect: 'Allow', Action: ['iot:GetThingShadow', 'iot:UpdateThingShadow', 'iot:DeleteThingShadow'], Resource: clients,
    });
  });

  test.each([
    [[{ hostAddress: '10.0.0.5' }], 'greengrass:GetConnectivityInfo'],
    [undefined, ['greengrass:GetConnectivityInfo', 'greengrass:UpdateConnectivityInfo']],
  ])('client devices with connectivityInfo %j: the device may call %j on its own connectivity information', (connectivityInfo, action) => {
    const s = stack();
    new CoreDevice(s, 'Core', { thingName: 'core-1', clientDeviceThingNames: ['sensor-1'], connectivityInfo });
    const statement = iotPolicyOf(Template.fromStack(s)).Statement.find((x: any) => x.Sid === 'ClientDeviceConnectivityInfo');
    expect(statement.Action).toEqual(action);
  });

  test('subscriptions with MQTT wildcards: the filter is allowed as written, messages on every topic it matches', () => {
    const s = stack();
    new CoreDevice(s, 'Core', { thingName: 'core-1', mqttTopics: [MqttTopicAccess.subscribe('factory/+/commands/#'), MqttTopicAccess.subscribe('plain/topic')] });
    const statements = iotPolicyOf(Template.fromStack(s)).Statement;
    expect(statements.find((x: any) => x.Sid === 'ExtraSubscribe').Resource).toEqual([iotArn('topicfilter/factory/+/commands/#'), iotArn('topicfilter/plain/topic')]);
    expect(statements.find((x: any) => x.Sid === 'ExtraReceive').Resource).toEqual([iotArn('topic/factory/*/commands/*'), iotArn('topic/plain/topic')]);
  });

  test('publishing to a Basic Ingest topic is allowed', () => {
    const s = stack();
    new CoreDevice(s, 'Core', { thingName: 'core-1', mqttTopics: [MqttTopicAccess.publish('$aws/rules/telemetry_rule/a/b/c/d/e/f/g')] });
    expect(iotPolicyOf(Template.fromStack(s)).Statement.find((x: any) => x.Sid === 'ExtraPublish').Resource)
      .toEqual([iotArn('topic/$aws/rules/telemetry_rule/a/b/c/d/e/f/g')]);
  });

  test.each([
    ['factory/#/x', "MQTT topic filter 'factory/#/x' uses '#' inside a level or before the last level: '#' must be a whole level at the end, for example 'factory/line1/#'"],
    ['factory/line#', "MQTT topic filter 'factory/line#' uses '#' inside a level or before the last level: '#' must be a whole level at the end, for example 'factory/line1/#'"],
    ['factory/line+/x', "MQTT topic filter 'factory/line+/x' uses '+' inside a level: '+' must be a whole level, for example 'factory/+/telemetry'"],
    ['a/b/c/d/e/f/g/h/i', "MQTT topic 'a/b/c/d/e/f/g/h/i' has 8 forward slashes: AWS IoT allows at most 7 in a topic or topic filter (not counting the $aws/rules/<rule>/ prefix); use fewer levels"],
    ['$aws/rules/r/x', "MQTT topic '$aws/rules/r/x' is a Basic Ingest topic: devices can only publish to $aws/rules/<rule>/..., use MqttTopicAccess.publish()"],
  ])('fails when a subscription topic filter is %s', (topic, message) => {
    expect(() => MqttTopicAccess.subscribe(topic)).toThrow(message);
  });

  test.each([
    ['factory/#', "MQTT topic 'factory/#' contains '+' or '#': those are subscription wildcards; to publish to many topics use the IoT policy wildcard '*', for example 'factory/*/telemetry'"],
    ['$aws/things/x/shadow/get', "MQTT topic '$aws/things/x/shadow/get' is a reserved $aws topic: the core device's own $aws/things/<thing>/ topics are already allowed (only $aws/rules/<rule> Basic Ingest topics can be added)"],
    ['arn:aws:iot:eu-west-1:1:topic/a', "MQTT topic 'arn:aws:iot:eu-west-1:1:topic/a' is an ARN: pass the topic itself, for example 'factory/line1/telemetry'"],
  ])('fails when a publish topic is %s', (topic, message) => {
    expect(() => MqttTopicAccess.publish(topic)).toThrow(message);
  });
});

describe('token-exchange role', () => {
  test('trusted by the IoT credentials provider only, with the minimal nucleus policy', () => {
    const s = stack();
    new CoreDevice(s, 'Core', { thingName: 'core-1' });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'credentials.iot.amazonaws.com' } }] },
    });
    t.hasResourceProperties('AWS::IoT::RoleAlias', { CredentialDurationSeconds: 3600 });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Sid: 'GreengrassLogs', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams'], Effect: 'Allow', Resource: Match.anyValue() },
          {
            Sid: 'GreengrassOwnLogStreams',
            Action: 'logs:PutLogEvents',
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:111111111111:log-group:/aws/greengrass/*:log-stream:/*/thing/${credentials-iot:ThingName}']] },
          },
          { Sid: 'ArtifactBucketLocation', Action: 's3:GetBucketLocation', Effect: 'Allow', Resource: Match.anyValue() },
        ],
      },
      Roles: [{ Ref: Match.stringLikeRegexp('CoreTokenExchangeRole') }],
    });
  });

  test('a thing name with a colon gets its log streams by name (the log manager writes + for :)', () => {
    const s = stack();
    const fleet = new CoreDeviceFleet(s, 'Fleet', { thingNames: ['plant:gw-1', 'plain-gw'] });
    const statement = (Object.values(Template.fromStack(s).findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement) as any[]).find((x) => x.Sid === 'GreengrassOwnLogStreams');
    const arn = (stream: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:eu-west-1:111111111111:log-group:/aws/greengrass/*:log-stream:/*/thing/${stream}`]] });
    expect(statement.Resource).toEqual([arn('${credentials-iot:ThingName}'), arn('plant+gw-1')]);
    expect(fleet.tokenExchangeRole.perDeviceLogStreams).toBe(true);
  });

  test('perDeviceLogStreams: false allows every log stream of the Greengrass log groups', () => {
    const s = stack();
    new TokenExchangeRole(s, 'Tes', { perDeviceLogStreams: false });
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'GreengrassLogs', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'] })]) },
    });
  });

  test('grants made to the device role land on the token-exchange role', () => {
    const s = stack();
    const core = new CoreDevice(s, 'Core', { thingName: 'core-1' });
    new s3.Bucket(s, 'Artifacts').grantRead(core.deviceRole);
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['s3:GetObject*']) })]) },
      Roles: [{ Ref: Match.stringLikeRegexp('CoreTokenExchangeRole') }],
    });
  });

  test.each([
    [Duration.minutes(10), undefined, 'credentialDuration is 600 seconds: use between 900 (15 minutes) and 43200 (12 hours)'],
    [Duration.hours(13), undefined, 'credentialDuration is 46800 seconds: use between 900 (15 minutes) and 43200 (12 hours)'],
    [Duration.hours(3), Duration.hours(2), "credentialDuration (10800 seconds) is above the role's maxSessionDuration (7200 seconds): lower credentialDuration or raise maxSessionDuration"],
  ])('fails when credentialDuration is %s with maxSessionDuration %s', (credentialDuration, maxSessionDuration, message) => {
    expect(() => new TokenExchangeRole(stack(), 'T', { credentialDuration, maxSessionDuration })).toThrow(message);
  });

  test('a long credential duration raises the max session', () => {
    const s = stack();
    new TokenExchangeRole(s, 'T', { credentialDuration: Duration.hours(6) });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::IAM::Role', { MaxSessionDuration: 21600 });
    t.hasResourceProperties('AWS::IoT::RoleAlias', { CredentialDurationSeconds: 21600 });
  });
});

describe('certificates', () => {
  test('from a CSR uses AWS::IoT::Certificate and attaches policy and thing', () => {
    const s = stack();
    new CoreDevice(s, 'Core', { thingName: 'core-1', certificate: CoreDeviceCertificate.fromCsr(CSR) });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::IoT::Certificate', { CertificateSigningRequest: CSR, Status: 'ACTIVE' });
    t.resourceCountIs('AWS::IoT::PolicyPrincipalAttachment', 1);
    t.resourceCountIs('AWS::IoT::ThingPrincipalAttachment', 1);
    t.resourceCountIs('Custom::GreengrassV2GeneratedCertificate', 0);
  });

  test('a thing name with a colon names a valid secret (Secrets Manager does not allow colons) and scopes the handler to it', () => {
    const s = stack();
    new CoreDevice(s, 'Core', { thingName: 'plant:line-1:gateway' });
    const t = Template.fromStack(s);
    t.hasResourceProperties('Custom::GreengrassV2GeneratedCertificate', { SecretNamePrefix: 'greengrass/plant.line-1.gateway/certificate-' });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['secretsmanager:CreateSecret', 'secretsmanager:DescribeSecret', 'secretsmanager:TagResource', 'secretsmanager:UpdateSecret'],
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:eu-west-1:111111111111:secret:greengrass/plant.line-1.gateway/certificate-*']] },
        })]),
      },
    });
  });

  test('fails when the CSR is not a CSR', () => {
    expect(() => CoreDeviceCertificate.fromCsr('hello')).toThrow(
      "csrPem is not a PEM certificate signing request: it must contain '-----BEGIN CERTIFICATE REQUEST-----' (openssl req -new -key device.key -out device.csr)");
  });

  test('fails when the CSR carries a private key', () => {
    expect(() => CoreDeviceCertificate.fromCsr(`${CSR}\n-----BEGIN PRIVATE KEY-----x-----END PRIVATE KEY-----`)).toThrow(
      'csrPem contains a private key: pass only the certificate signing request, and keep the key on the device');
  });

  test('generated keys: only identifiers reach the template and outputs, the secret is KMS-encrypted', () => {
    const s = stack();
    const key = new kms.Key(s, 'Key');
    new CoreDevice(s, 'Core', { thingName: 'core-1', certificate: CoreDeviceCertificate.generated({ encryptionKey: key }) });
    const t = Template.fromStack(s);
    t.hasResourceProperties('Custom::GreengrassV2GeneratedCertificate', {
      ThingName: { Ref: Match.stringLikeRegexp('CoreThing') },
      SecretNamePrefix: 'greengrass/core-1/certificate-',
      KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Key'), 'Arn'] },
    });
    const json = JSON.stringify(t.toJSON());
    // (The nucleus configuration names the device-side `privateKeyPath`, a path, not a key.)
    for (const marker of [/-----BEGIN/, /PRIVATE KEY/, /privateKey(?!Path)/, /PrivateKey/, /keyPair/, /certificatePem/]) {
      expect(json).not.toMatch(marker);
    }
    const outputs = t.findOutputs('*');
    expect(Object.keys(outputs).some((k) => k.includes('CertificateSecretArn'))).toBe(true);
    expect(JSON.stringify(outputs)).toContain('SecretArn');
    // The handler may create secrets only under the device's prefix, and use the key.
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['secretsmanager:CreateSecret', 'secretsmanager:DescribeSecret', 'secretsmanager:TagResource', 'secretsmanager:UpdateSecret'] }),
          Match.objectLike({ Action: ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'] }),
        ]),
      },
    });
  });
});

describe('device identity', () => {
  const providerPolicies = (t: Template, provider: string) => Object.entries(t.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(provider))
    .flatMap(([, r]: any) => r.Properties.PolicyDocument.Statement);
  const actionsOf = (statements: any[]) => statements.flatMap((x: any) => (Array.isArray(x.Action) ? x.Action : [x.Action]));
  const IDENTITY_TYPES = ['AWS::IoT::Thing', 'Custom::GreengrassV2GeneratedCertificate', 'AWS::IoT::Policy', 'AWS::IoT::PolicyPrincipalAttachment', 'AWS::IoT::ThingPrincipalAttachment'];

  test('by default every part of the identity is retained on removal and on replacement', () => {
    const s = stack();
    new CoreDevice(s, 'Core', { thingName: 'core-1' });
    const t = Template.fromStack(s);
    for (const type of IDENTITY_TYPES) {
      const resources = Object.values(t.findResources(type));
      expect(resources.length).toBe(1);
      expect(resources[0]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
    t.hasResourceProperties('Custom::GreengrassV2GeneratedCertificate', { Rotation: '0', RemovalPolicy: 'retain', RecoveryWindowInDays: Match.absent() });
    // The stack's customer managed key encrypts the key secret, and is itself kept.
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    t.hasResourceProperties('Custom::GreengrassV2GeneratedCertificate', { KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('GreengrassV2DeviceKeysKey'), 'Arn'] } });
  });

  const destroyPolicies = (t: Template) => Object.entries(t.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith('GreengrassV2CertificateProviderDestroyPolicy'));

  test('without DESTROY the certificate provider may create certificates and secrets but never change, deactivate or delete one, nor read a key', () => {
    const s = stack();
    new CoreDevice(s, 'Core', { thingName: 'core-1' });
    const t = Template.fromStack(s);
    const actions = actionsOf(providerPolicies(t, 'GreengrassV2CertificateProvider'));
    expect(actions).toEqual(expect.arrayContaining(['iot:CreateCertificateFromCsr', 'secretsmanager:CreateSecret']));
    for (const denied of ['iot:UpdateCertificate', 'iot:DeleteCertificate', 'iot:DetachThingPrincipal', 'iot:CreateKeysAndCertificate', 'secretsmanager:DeleteSecret', 'secretsmanager:GetSecretValue']) {
      expect(actions).not.toContain(denied);
    }
    expect(destroyPolicies(t)).toEqual([]);
  });

  test('DESTROY: deletable identity; the one certificate provider gets the delete permissions in a separate policy the certificate depends on', () => {
    const s = stack();
    new CoreDevice(s, 'Core', { thingName: 'core-1', removalPolicy: RemovalPolicy.DESTROY, keyRecoveryWindow: Duration.days(7) });
    new CoreDevice(s, 'Kept', { thingName: 'core-2' });
    const t = Template.fromStack(s);
    const [[policyId, policy]] = destroyPolicies(t) as [string, any][];
    const onEventRole = Object.keys(t.findResources('AWS::IAM::Role')).find((id) => id.startsWith('GreengrassV2CertificateProviderOnEventRole'));
    expect(policy.Properties.Roles).toEqual([{ Ref: onEventRole }]);
    const destroyed = t.findResources('Custom::GreengrassV2GeneratedCertificate', { Properties: { RemovalPolicy: 'destroy' } });
    expect(Object.values(destroyed)).toEqual([expect.objectContaining({
      DeletionPolicy: 'Delete',
      DependsOn: expect.arrayContaining([policyId]),
      Properties: expect.objectContaining({ RecoveryWindowInDays: '7', ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^GreengrassV2CertificateProviderframework/), 'Arn'] } }),
    })]);
    // The retained certificate uses the same provider and does not wait for the policy.
    const kept = Object.values(t.findResources('Custom::GreengrassV2GeneratedCertificate', { Properties: { RemovalPolicy: 'retain' } })) as any[];
    expect(kept).toHaveLength(1);
    expect(kept[0].Properties.ServiceToken).toEqual((Object.values(destroyed)[0] as any).Properties.ServiceToken);
    expect(kept[0].DependsOn ?? []).not.toContain(policyId);
    t.hasResource('AWS::IoT::Thing', { DeletionPolicy: 'Delete', Properties: { ThingName: 'core-1' } });
    t.hasResource('AWS::IoT::Thing', { DeletionPolicy: 'Retain', Properties: { ThingName: 'core-2' } });
    const destroyActions = actionsOf(policy.Properties.PolicyDocument.Statement);
    expect(destroyActions.sort()).toEqual(['iot:DeleteCertificate', 'iot:DetachThingPrincipal', 'iot:UpdateCertificate', 'secretsmanager:DeleteSecret']);
    // The provider's own policy still holds none of them, and no second provider exists.
    expect(actionsOf(providerPolicies(t, 'GreengrassV2CertificateProviderOnEventRole'))).not.toContain('iot:DeleteCertificate');
    expect(Object.keys(t.findResources('AWS::Lambda::Function')).filter((id) => /Certificate.*Provider/.test(id) && !id.startsWith('GreengrassV2CertificateProvider'))).toEqual([]);
  });

  test('rotation is the only certificate property that names a new secret', () => {
    const s = stack();
    new CoreDevice(s, 'Core', { thingName: 'core-1', certificate: CoreDeviceCertificate.generated({ rotation: 2 }) });
    Template.fromStack(s).hasResourceProperties('Custom::GreengrassV2GeneratedCertificate', { Rotation: '2' });
  });

  test('a certificate from a CSR is retained too', () => {
    const s = stack();
    new CoreDevice(s, 'Core', { thingName: 'core-1', certificate: CoreDeviceCertificate.fromCsr(CSR) });
    Template.fromStack(s).hasResource('AWS::IoT::Certificate', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  /** Every CloudFormation resource inside `scope`, with the policies the template gives it. */
  const policiesUnder = (s: Stack, scope: Construct) => {
    const resources = Template.fromStack(s).toJSON().Resources;
    return scope.node.findAll().filter(CfnResource.isCfnResource).map((r) => {
      const id = s.getLogicalId(r);
      return { path: r.node.path, type: resources[id].Type, deletion: resources[id].DeletionPolicy, replace: resources[id].UpdateReplacePolicy };
    });
  };
  const RUNNING_DEVICE_TYPES = ['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IoT::RoleAlias', 'AWS::IoT::Thing', 'AWS::IoT::Policy', 'AWS::IoT::PolicyPrincipalAttachment',
    'AWS::IoT::ThingPrincipalAttachment', 'Custom::GreengrassV2GeneratedCertificate', 'Custom::GreengrassV2ThingGroupMembership',
    'Custom::GreengrassV2ClientDeviceAssociation', 'Custom::GreengrassV2ConnectivityInfo'];

  /**
   * What the library set up for a device (memberships, associations, connectivity) is replaced when an
   * update moves it elsewhere (another group, another core device): the Delete of the old one undoes
   * it, whatever the policy. Everything else keeps the old one on replacement too.
   */
  const SET_UP_FOR_THE_DEVICE = ['Custom::GreengrassV2ThingGroupMembership', 'Custom::GreengrassV2ClientDeviceAssociation', 'Custom::GreengrassV2ConnectivityInfo'];
  const replaceOf = (type: string, expected: string) => (SET_UP_FOR_THE_DEVICE.includes(type) ? 'Delete' : expected);

  test.each<[string, RemovalPolicy | undefined, string]>([
    ['by default', undefined, 'Retain'],
    ['with RETAIN', RemovalPolicy.RETAIN, 'Retain'],
    ['with DESTROY', RemovalPolicy.DESTROY, 'Delete'],
  ])('%s a device applies its removal policy to everything it runs on: credentials, policies, groups, client devices (%s)', (_, removalPolicy, expected) => {
    const s = stack();
    const core = new CoreDevice(s, 'Core', {
      thingName: 'core-1', removalPolicy, thingGroupNames: ['g'], clientDeviceThingNames: ['sensor-1'], connectivityInfo: [{ hostAddress: '10.0.0.5' }],
    });
    const policies = policiesUnder(s, core);
    expect(new Set(policies.map((p) => p.type))).toEqual(new Set(RUNNING_DEVICE_TYPES));
    for (const p of policies) expect(p).toEqual({ ...p, deletion: expected, replace: replaceOf(p.type, expected) });
  });

  test.each<[string, RemovalPolicy | undefined, string]>([
    ['by default', undefined, 'Retain'],
    ['with DESTROY', RemovalPolicy.DESTROY, 'Delete'],
  ])('%s a fleet applies its removal policy to its devices and to what they share: thing group, membership, role, policy, role alias (%s)', (_, removalPolicy, expected) => {
    const s = stack();
    const fleet = new CoreDeviceFleet(s, 'Fleet', { thingGroupName: 'line-1', thingNames: ['a', 'b'], removalPolicy });
    const policies = policiesUnder(s, fleet);
    expect(policies.map((p) => p.type)).toEqual(expect.arrayContaining(['AWS::IoT::ThingGroup', 'AWS::IoT::RoleAlias', 'AWS::IAM::Role', 'AWS::IAM::Policy', 'Custom::GreengrassV2ThingGroupMembership']));
    for (const p of policies) expect(p).toEqual({ ...p, deletion: expected, replace: replaceOf(p.type, expected) });
  });

  test('tokenExchangeRole.removalPolicy of a fleet overrides the fleet\'s for the role, its policy and alias only', () => {
    const s = stack();
    const fleet = new CoreDeviceFleet(s, 'Fleet', { thingNames: ['a'], tokenExchangeRole: { removalPolicy: RemovalPolicy.DESTROY } });
    const byType = (type: string) => policiesUnder(s, fleet).filter((p) => p.type === type).map((p) => p.deletion);
    expect(byType('AWS::IoT::RoleAlias')).toEqual(['Delete']);
    expect(byType('AWS::IoT::ThingGroup')).toEqual(['Retain']);
    expect(byType('AWS::IoT::Thing')).toEqual(['Retain']);
  });

  test('a shared TokenExchangeRole keeps its own removal policy (RETAIN unless set)', () => {
    const s = stack();
    const shared = new TokenExchangeRole(s, 'Shared');
    new CoreDevice(s, 'Core', { thingName: 'core-1', tokenExchangeRole: shared, removalPolicy: RemovalPolicy.DESTROY });
    const destroyed = new TokenExchangeRole(s, 'Destroyed', { removalPolicy: RemovalPolicy.DESTROY });
    expect(policiesUnder(s, shared).map((p) => [p.type, p.deletion, p.replace])).toEqual([
      ['AWS::IAM::Role', 'Retain', 'Retain'], ['AWS::IAM::Policy', 'Retain', 'Retain'], ['AWS::IoT::RoleAlias', 'Retain', 'Retain'],
    ]);
    expect(policiesUnder(s, destroyed).map((p) => p.deletion)).toEqual(['Delete', 'Delete', 'Delete']);
  });

  test('grants made to a retained token-exchange role land in its retained policy', () => {
    const s = stack();
    const core = new CoreDevice(s, 'Core', { thingName: 'core-1' });
    new s3.Bucket(s, 'Artifacts').grantRead(core.deviceRole!);
    const t = Template.fromStack(s);
    t.hasResource('AWS::IAM::Policy', {
      DeletionPolicy: 'Retain',
      Properties: { Roles: [{ Ref: s.getLogicalId(core.tokenExchangeRole.role.node.defaultChild as iam.CfnRole) }], PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['s3:GetObject*']) })]) } },
    });
  });

  test('the role alias has a generated name unless roleAliasName is set', () => {
    const s = stack();
    new CoreDevice(s, 'Core', { thingName: 'core-1' });
    new CoreDeviceFleet(s, 'Fleet', { thingNames: ['a'], tokenExchangeRole: { roleAliasName: 'line-1-devices' } });
    const aliases = Object.values(Template.fromStack(s).findResources('AWS::IoT::RoleAlias')).map((r: any) => r.Properties.RoleAlias);
    expect(aliases).toEqual([undefined, 'line-1-devices']);
  });

  test('a fleet passes its removal policy to every device', () => {
    const s = stack();
    new CoreDeviceFleet(s, 'Fleet', { thingNames: ['a', 'b'], removalPolicy: RemovalPolicy.DESTROY });
    const things = Object.values(Template.fromStack(s).findResources('AWS::IoT::Thing'));
    expect(things.map((x: any) => x.DeletionPolicy)).toEqual(['Delete', 'Delete']);
  });

  test.each([
    [() => CoreDeviceCertificate.generated({ rotation: -1 }), 'rotation is -1: use a whole number from 0 (increase it by one to rotate the certificate)'],
    [() => CoreDeviceCertificate.generated({ rotation: 1.5 }), 'rotation is 1.5: use a whole number from 0 (increase it by one to rotate the certificate)'],
    [() => new CoreDevice(stack(), 'C', { removalPolicy: RemovalPolicy.SNAPSHOT }),
      'removalPolicy is snapshot: a device identity is either kept (RemovalPolicy.RETAIN, the default) or deleted (RemovalPolicy.DESTROY)'],
    [() => new CoreDeviceFleet(stack(), 'F', { removalPolicy: RemovalPolicy.SNAPSHOT }),
      'removalPolicy is snapshot: a device identity is either kept (RemovalPolicy.RETAIN, the default) or deleted (RemovalPolicy.DESTROY)'],
    [() => new TokenExchangeRole(stack(), 'T', { removalPolicy: RemovalPolicy.SNAPSHOT }),
      'removalPolicy is snapshot: the credential path of devices (token-exchange role, its policy and role alias) is either kept (RemovalPolicy.RETAIN, the default) or deleted (RemovalPolicy.DESTROY)'],
    [() => new CoreDevice(stack(), 'C', { removalPolicy: RemovalPolicy.DESTROY, keyRecoveryWindow: Duration.days(6) }),
      "keyRecoveryWindow is 6 days: use a whole number of days from 7 to 30 (Secrets Manager's recovery window)"],
    [() => new CoreDevice(stack(), 'C', { removalPolicy: RemovalPolicy.DESTROY, keyRecoveryWindow: Duration.days(31) }),
      "keyRecoveryWindow is 31 days: use a whole number of days from 7 to 30 (Secrets Manager's recovery window)"],
    [() => { const s = stack(); return new CoreDevice(s, 'C', { removalPolicy: RemovalPolicy.DESTROY, keyRecoveryWindow: Duration.days(new CfnParameter(s, 'Days', { type: 'Number' }).valueAsNumber) }); },
      'keyRecoveryWindow is a value known only at deploy time: it is checked at synth time (7 to 30 days), pass a literal Duration such as Duration.days(30)'],
    [() => new CoreDevice(stack(), 'C', { keyRecoveryWindow: Duration.days(10) }),
      'keyRecoveryWindow is set but removalPolicy is RETAIN: the key secret is never deleted; set removalPolicy: RemovalPolicy.DESTROY or remove keyRecoveryWindow'],
  ])('fails when the identity options are invalid (%#)', (make, message) => {
    expect(make).toThrow(message);
  });
});

describe('deployment target and nucleus configuration', () => {
  test('the core device is a thing target whose deviceRole is the token-exchange role', () => {
    const s = stack();
    const core = new CoreDevice(s, 'Core', { thingName: 'core-1' });
    expect(core.deviceRole).toBe(core.tokenExchangeRole.role);
    const thingId = s.getLogicalId(core.node.findChild('Thing') as any);
    expect(s.resolve(core.targetArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iot:eu-west-1:111111111111:thing/', { Ref: thingId }]] });
  });

  test('endpoints are read once per stack and emitted with the nucleus configuration', () => {
    const s = stack();
    new CoreDevice(s, 'A', { thingName: 'a' });
    new CoreDevice(s, 'B', { thingName: 'b' });
    const t = Template.fromStack(s);
    t.resourceCountIs('Custom::GreengrassV2IotEndpoints', 1);
    const outputs = JSON.stringify(t.findOutputs('*'));
    expect(outputs).toContain('iotDataEndpoint');
    expect(outputs).toContain('DataEndpoint');
    expect(outputs).toContain('iotRoleAlias');
  });

  test('the NucleusConfig output is a complete installer configuration (manual provisioning config.yaml)', () => {
    const s = stack();
    const core = new CoreDevice(s, 'Core', { thingName: 'core-1' });
    const outputs = Template.fromStack(s).findOutputs('*');
    const [key] = Object.keys(outputs).filter((k) => k.includes('NucleusConfig'));
    // Resolve the Fn::Join into a JSON text with placeholders for the deploy-time values.
    const value = outputs[key].Value['Fn::Join'][1].map((p: any) => (typeof p === 'string' ? p : `<${p.Ref ?? p['Fn::GetAtt'].join('.')}>`)).join('');
    const endpoints = s.getLogicalId(s.node.findChild('GreengrassV2IotEndpoints').node.findChild('Resource').node.defaultChild as any);
    expect(JSON.parse(value)).toEqual({
      system: {
        certificateFilePath: '/greengrass/v2/device.pem.crt',
        privateKeyPath: '/greengrass/v2/private.pem.key',
        rootCaPath: '/greengrass/v2/AmazonRootCA1.pem',
        rootpath: '/greengrass/v2',
        thingName: `<${s.getLogicalId(core.node.findChild('Thing') as any)}>`,
      },
      services: {
        'aws.greengrass.Nucleus': {
          componentType: 'NUCLEUS',
          configuration: {
            awsRegion: 'eu-west-1',
            iotRoleAlias: `<${s.getLogicalId(core.tokenExchangeRole.node.findChild('RoleAlias') as any)}>`,
            iotDataEndpoint: `<${endpoints}.DataEndpoint>`,
            iotCredEndpoint: `<${endpoints}.CredentialEndpoint>`,
          },
        },
      },
    });
  });

  test('one provider per handler type for many devices', () => {
    const s = stack();
    for (const n of ['a', 'b', 'c']) new CoreDevice(s, n, { thingName: n, removeCoreDeviceOnDelete: true });
    const t = Template.fromStack(s);
    t.resourceCountIs('Custom::GreengrassV2GeneratedCertificate', 3);
    t.resourceCountIs('Custom::GreengrassV2CoreDeviceCleanup', 3);
    const handlers = Object.values(t.findResources('AWS::Lambda::Function')).filter((f: any) => f.Properties.Runtime === 'nodejs24.x' && String(f.Properties.Description).startsWith('cdk-greengrass-v2 custom resource'));
    expect(handlers).toHaveLength(3); // certificate, cleanup, endpoints
  });
});

describe('CoreDeviceFleet', () => {
  test('devices share one thing group, role and role alias; the fleet targets the group', () => {
    const s = stack();
    const fleet = new CoreDeviceFleet(s, 'Fleet', { thingGroupName: 'line-1', thingNames: ['core-1', 'core-2'] });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::IoT::Thing', 2);
    t.resourceCountIs('AWS::IoT::RoleAlias', 1);
    t.resourceCountIs('AWS::IoT::ThingGroup', 1);
    t.resourceCountIs('Custom::GreengrassV2ThingGroupMembership', 1);
    t.hasResourceProperties('Custom::GreengrassV2ThingGroupMembership', {
      ThingGroupName: { Ref: Match.stringLikeRegexp('FleetThingGroup') },
      ThingNames: [{ Ref: Match.stringLikeRegexp('Fleetcore1Thing') }, { Ref: Match.stringLikeRegexp('Fleetcore2Thing') }],
    });
    expect(fleet.devices.every((d) => d.deviceRole === fleet.deviceRole)).toBe(true);
    expect(s.resolve(fleet.targetArn)).toEqual({ 'Fn::GetAtt': [s.getLogicalId(fleet.thingGroup), 'Arn'] });
    expect(fleet.deviceRole).toBeInstanceOf(iam.Role);
  });
});

describe('CoreDeviceFleet thing names and construct ids', () => {
  const thingIds = (t: Template) => Object.fromEntries(Object.entries(t.findResources('AWS::IoT::Thing')).map(([id, r]: [string, any]) => [r.Properties.ThingName, id]));

  test('existing devices keep the logical ids earlier versions gave them', () => {
    const s = stack();
    const f = new CoreDeviceFleet(s, 'Fleet', { thingGroupName: 'line-1', thingNames: ['line-1-gw-1', 'gw2', 'a_b:c'] });
    f.addCoreDevice('line-1-gw-3');
    const t = Template.fromStack(s);
    // Logical ids synthesized by the previous version for this same fleet.
    expect(thingIds(t)).toEqual({
      'line-1-gw-1': 'Fleetline1gw1ThingEA0BD59E', 'gw2': 'Fleetgw2Thing47E7A9E3', 'a_b:c': 'FleetabcThingE8E575B3', 'line-1-gw-3': 'Fleetline1gw3Thing96DF0F48',
    });
    const certificates = Object.keys(t.findResources('Custom::GreengrassV2GeneratedCertificate')).sort();
    expect(certificates).toEqual(['FleetabcCertificate29BB93A8', 'Fleetgw2Certificate518D1615', 'Fleetline1gw1CertificateBFCEA176', 'Fleetline1gw3CertificateA7506991']);
  });

  test.each<[string, string[]]>([
    ['differ only in punctuation', ['gw-1', 'gw1', 'gw_1', 'g:w-1']],
    ['match the fleet\'s own constructs', ['Membership', 'Thing-Group', 'TokenExchange']],
    ['match the id of a device without a usable id', ['-', 'Device0', '_']],
  ])('thing names that %s make distinct devices; the first keeps the id it had alone', (_, names) => {
    const alone = stack();
    const aloneIds = thingIds(Template.fromStack((new CoreDeviceFleet(alone, 'Fleet', { thingNames: [names[0]] }), alone)));
    const s = stack();
    const f = new CoreDeviceFleet(s, 'Fleet');
    const devices = names.map((n) => f.addCoreDevice(n));
    const ids = thingIds(Template.fromStack(s));
    expect(Object.keys(ids).sort()).toEqual([...names].sort());
    expect(new Set(Object.values(ids)).size).toBe(names.length);
    expect(ids[names[0]]).toBe(aloneIds[names[0]]);
    expect(new Set(devices.map((d) => d.node.id)).size).toBe(names.length);
  });

  test('a later colliding name gets an id from its own name, whatever else the fleet holds', () => {
    const ids = (names: string[]) => {
      const s = stack();
      const f = new CoreDeviceFleet(s, 'Fleet');
      return names.map((n) => f.addCoreDevice(n).node.id);
    };
    expect(ids(['gw-1', 'gw1'])[1]).toBe(ids(['gw-1', 'other', 'gw1'])[2]);
    expect(ids(['gw-1', 'gw1'])[1]).toMatch(/^gw1[0-9A-F]{8}$/);
  });

  test.each<[string, (s: Stack) => void, string]>([
    ['thingNames lists a thing twice', (s) => new CoreDeviceFleet(s, 'F', { thingNames: ['a', 'b', 'a'] }),
      "CoreDeviceFleet Edge/F already has thing 'a', from thingNames[0] (Edge/F/a); thingNames[2] adds it again: list each device once"],
    ['addCoreDevice() adds a thing of thingNames again', (s) => new CoreDeviceFleet(s, 'F', { thingNames: ['a'] }).addCoreDevice('a'),
      "CoreDeviceFleet Edge/F already has thing 'a', from thingNames[0] (Edge/F/a); addCoreDevice('a') adds it again: list each device once"],
    ['addCoreDevice() adds the same thing twice', (s) => { const f = new CoreDeviceFleet(s, 'F'); f.addCoreDevice('gw-1'); f.addCoreDevice('gw-1'); },
      "CoreDeviceFleet Edge/F already has thing 'gw-1', from addCoreDevice('gw-1') (Edge/F/gw1); addCoreDevice('gw-1') adds it again: list each device once"],
  ])('fails when %s, naming the thing and both places', (_, act, message) => {
    expect(() => act(stack())).toThrow(message);
  });

  test('fails when a thing name known only at deploy time is added twice, without printing the token', () => {
    const s = stack();
    const name = new CfnParameter(s, 'DeviceName').valueAsString;
    const f = new CoreDeviceFleet(s, 'F', { thingNames: [name] });
    expect(f.devices[0].node.id).toBe('Device0');
    const add = () => f.addCoreDevice(name);
    expect(add).toThrow("CoreDeviceFleet Edge/F already has thing of 'Edge/DeviceName' (its name is known only at deploy time), from thingNames[0] (Edge/F/Device0); addCoreDevice() adds it again: list each device once");
  });
});

describe('one construct per thing name in the app', () => {
  const env = { account: '111111111111', region: 'eu-west-1' };

  test.each<[string, (app: App) => void, string]>([
    ['two CoreDevices of a stack', (app) => {
      const s = new Stack(app, 'Edge', { env });
      new CoreDevice(s, 'A', { thingName: 'gw-1' });
      new CoreDevice(s, 'B', { thingName: 'gw-1' });
    }, "thing 'gw-1' is created twice in this app, by CoreDevice Edge/A and by CoreDevice Edge/B: AWS IoT has one thing per name in an account and region; give each core device its own thingName, or use the existing CoreDevice"],
    ['a CoreDevice and a fleet device in two stacks', (app) => {
      new CoreDevice(new Stack(app, 'Edge', { env }), 'A', { thingName: 'gw-1' });
      new CoreDeviceFleet(new Stack(app, 'Fleets', { env }), 'Line1', { thingNames: ['gw-1'] });
    }, "thing 'gw-1' is created twice in this app, by CoreDevice Edge/A and by CoreDevice Fleets/Line1/gw1: "],
    ['devices of two fleets', (app) => {
      const s = new Stack(app, 'Edge', { env });
      new CoreDeviceFleet(s, 'Line1', { thingNames: ['gw-1'] });
      new CoreDeviceFleet(s, 'Line2').addCoreDevice('gw-1');
    }, "thing 'gw-1' is created twice in this app, by CoreDevice Edge/Line1/gw1 and by CoreDevice Edge/Line2/gw1: "],
    ['two environment-agnostic stacks (which may deploy to the same account and region)', (app) => {
      new CoreDevice(new Stack(app, 'A'), 'Core', { thingName: 'gw-1' });
      new CoreDevice(new Stack(app, 'B'), 'Core', { thingName: 'gw-1' });
    }, "thing 'gw-1' is created twice in this app, by CoreDevice A/Core and by CoreDevice B/Core: "],
  ])('fails when %s have the same thing name, naming both construct paths', (_, build, message) => {
    expect(() => build(new App())).toThrow(message);
  });

  test('fails when two devices take their name from the same parameter, without printing the token', () => {
    const s = stack();
    const name = new CfnParameter(s, 'DeviceName').valueAsString;
    new CoreDevice(s, 'A', { thingName: name });
    expect(() => new CoreDevice(s, 'B', { thingName: name }))
      .toThrow("thing of 'Edge/DeviceName' (its name is known only at deploy time) is created twice in this app, by CoreDevice Edge/A and by CoreDevice Edge/B: ");
  });

  test('the same thing name in other accounts or regions, or in another app, is another thing', () => {
    const app = new App();
    new CoreDevice(new Stack(app, 'Ireland', { env }), 'Core', { thingName: 'gw-1' });
    new CoreDevice(new Stack(app, 'Frankfurt', { env: { ...env, region: 'eu-central-1' } }), 'Core', { thingName: 'gw-1' });
    new CoreDevice(new Stack(app, 'Other', { env: { ...env, account: '222222222222' } }), 'Core', { thingName: 'gw-1' });
    new CoreDevice(stack(), 'Core', { thingName: 'gw-1' });
    expect(app.synth().stacks).toHaveLength(3);
  });
});

describe('an empty CoreDeviceFleet', () => {
  const synthErrors = (s: Stack) => {
    try {
      Template.fromStack(s);
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  };

  test.each<[string, (s: Stack) => string | undefined, string]>([
    ['named', () => 'g', "CoreDeviceFleet Edge/F (thing group 'g') has no core device: pass thingNames, or call addCoreDevice() on the fleet"],
    ['unnamed', () => undefined, 'CoreDeviceFleet Edge/F (its thing group (named by CloudFormation at deploy time)) has no core device: pass thingNames, or call addCoreDevice() on the fleet'],
    ['named by a parameter', (s) => new CfnParameter(s, 'GroupName').valueAsString,
      "CoreDeviceFleet Edge/F (thing group of 'Edge/GroupName' (its name is known only at deploy time)) has no core device: pass thingNames, or call addCoreDevice() on the fleet"],
  ])('fails when a fleet whose group is %s has no device, naming the group and addCoreDevice(), never a token', (_, groupName, message) => {
    const s = stack();
    new CoreDeviceFleet(s, 'F', { thingGroupName: groupName(s) });
    const errors = synthErrors(s);
    expect(errors).toContain(message);
    expect(errors).not.toContain('${Token[');
    expect(errors).not.toContain('addThing()');
  });

  test('a fleet with a device added after construction synthesizes', () => {
    const s = stack();
    new CoreDeviceFleet(s, 'F', { thingGroupName: 'g' }).addCoreDevice('gw-1');
    Template.fromStack(s).hasResourceProperties('Custom::GreengrassV2ThingGroupMembership', { ThingNames: [{ Ref: Match.stringLikeRegexp('^Fgw1Thing') }] });
  });
});

describe('connectivity info and the IP detector', () => {
  function deployIpDetector(s: Stack, targetArn: string) {
    new CfnDeployment(s, 'Deployment', {
      targetArn,
      components: { 'aws.greengrass.clientdevices.IPDetector': { componentVersion: '2.2.0' } },
    });
  }

  test('warns when the IP detector is deployed to the same fleet', () => {
    const s = stack();
    const fleet = new CoreDeviceFleet(s, 'Fleet');
    fleet.addCoreDevice('core-1', { connectivityInfo: [{ hostAddress: '10.0.0.5' }] });
    deployIpDetector(s, fleet.targetArn);
    Annotations.fromStack(s).hasWarning('*', Match.stringLikeRegexp('includes aws.greengrass.clientdevices.IPDetector, which overwrites the connectivity information'));
  });

  test('does not warn for a deployment elsewhere', () => {
    const s = stack();
    new CoreDevice(s, 'Core', { thingName: 'core-1', connectivityInfo: [{ hostAddress: '10.0.0.5' }] });
    deployIpDetector(s, 'arn:aws:iot:eu-west-1:111111111111:thing/other');
    Annotations.fromStack(s).hasNoWarning('*', Match.stringLikeRegexp('IPDetector'));
  });

  test('renders the endpoints with the default port', () => {
    const s = stack();
    new CoreDevice(s, 'Core', { thingName: 'core-1', connectivityInfo: [{ hostAddress: '10.0.0.5' }, { hostAddress: 'core.local', port: 443, id: 'dns' }] });
    Template.fromStack(s).hasResourceProperties('Custom::GreengrassV2ConnectivityInfo', {
      ConnectivityInfo: [
        { Id: 'endpoint-0', HostAddress: '10.0.0.5', PortNumber: '8883' },
        { Id: 'dns', HostAddress: 'core.local', PortNumber: '443' },
      ],
    });
  });

  test.each([
    [[{ hostAddress: '10.0.0.5', port: 70000 }], 'connectivity info endpoint 0 port is 70000: use an integer between 1 and 65535 (the MQTT broker\'s port, usually 8883)'],
    [[{ hostAddress: ' ' }], "connectivity info endpoint 0 hostAddress is empty: pass the core device's IP address or DNS name"],
    [[{ hostAddress: 'a', id: 'x' }, { hostAddress: 'b', id: 'x' }], "connectivity info endpoints 0 and 1 have the same id 'x': give each endpoint a unique id"],
  ])('fails when endpoints are %j', (connectivityInfo, message) => {
    expect(() => new CoreDevice(stack(), 'Core', { thingName: 'core-1', connectivityInfo })).toThrow(message);
  });

  test('fails when two endpoints have the same deploy-time id, without printing the token', () => {
    const s = stack();
    const id = new CfnParameter(s, 'EndpointId').valueAsString;
    const make = () => new CoreDevice(s, 'Core', { thingName: 'core-1', connectivityInfo: [{ hostAddress: 'a', id }, { hostAddress: 'b', id }] });
    expect(make).toThrow('connectivity info endpoints 0 and 1 have the same id (a value known only at deploy time, the same token twice): give each endpoint a unique id');
    expect(make).not.toThrow(/\$\{Token\[/);
  });
});

describe('resource ordering inside a core device', () => {
  test('client devices and connectivity info follow the thing without depending on each other', () => {
    const s = stack();
    new CoreDevice(s, 'Core', {
      thingName: 'core-1',
      clientDeviceThingNames: ['sensor-1'],
      connectivityInfo: [{ hostAddress: '10.0.0.5' }],
    });
    const t = Template.fromStack(s);
    const [thingId] = Object.keys(t.findResources('AWS::IoT::Thing'));
    const [clientDevicesId] = Object.keys(t.findResources('Custom::GreengrassV2ClientDeviceAssociation'));
    const [connectivityId] = Object.keys(t.findResources('Custom::GreengrassV2ConnectivityInfo'));
    const resources = t.toJSON().Resources;
    expect(resources[clientDevicesId].Properties.CoreDeviceThingName).toEqual({ Ref: thingId });
    expect(resources[connectivityId].Properties.ThingName).toEqual({ Ref: thingId });
    expect(resources[clientDevicesId].DependsOn ?? []).not.toContain(connectivityId);
    expect(resources[connectivityId].DependsOn ?? []).not.toContain(clientDevicesId);
  });

  test('a device defined elsewhere is created before the resources that name it', () => {
    const s = stack();
    const device = new CoreDevice(s, 'Core', { thingName: 'core-1' });
    new ConnectivityInfo(s, 'Connectivity', { coreDevice: device, endpoints: [{ hostAddress: '10.0.0.5' }] });
    const t = Template.fromStack(s);
    const [thingId] = Object.keys(t.findResources('AWS::IoT::Thing'));
    const [connectivityId] = Object.keys(t.findResources('Custom::GreengrassV2ConnectivityInfo'));
    expect(t.toJSON().Resources[connectivityId].DependsOn).toContain(thingId);
  });
});

describe('CoreDevice IoT policy size', () => {
  /** Every (action, resource) pair the statements allow. */
  const permissions = (s: Stack, statements: any[]) => [...new Set(statements.flatMap((st) =>
    [st.Action].flat().flatMap((a: string) => [st.Resource].flat().map((r: unknown) => `${a} ${JSON.stringify(s.resolve(r))}`))))].sort();
  const topics = (n: number) => Array.from({ length: n }, (_, i) => MqttTopicAccess.publishAndSubscribe(`factory/line-1/station-${i}/readings`));

  test('a device with many topics and client devices gets several policies, each within 2048 characters and attached to its certificate', () => {
    const s = stack();
    const core = new CoreDevice(s, 'Core', { thingName: 'core-1', clientDeviceThingNames: ['sensor-1', 'sensor-2'], mqttTopics: topics(12) });
    const t = Template.fromStack(s);
    expect(core.iotPolicies.length).toBeGreaterThan(1);
    expect(core.iotPolicy).toBe(core.iotPolicies[0]);
    const policies = t.findResources('AWS::IoT::Policy');
    expect(Object.keys(policies)).toEqual(core.iotPolicies.map((p) => s.getLogicalId(p)));
    for (const p of core.iotPolicies) expect(worstCaseJsonLength(s, policies[s.getLogicalId(p)].Properties.PolicyDocument)).toBeLessThanOrEqual(2048);
    // Each one is attached to the device's certificate.
    const attachments = Object.values(t.findResources('AWS::IoT::PolicyPrincipalAttachment')).map((a) => a.Properties);
    expect(attachments.map((a) => a.PolicyName)).toEqual(core.iotPolicies.map((p) => ({ Ref: s.getLogicalId(p) })));
    expect(new Set(attachments.map((a) => JSON.stringify(a.Principal)))).toEqual(new Set([JSON.stringify(s.resolve(core.certificateArn))]));
    // The split keeps the renderer's statements, in order, and grants exactly what one document would.
    const statements = iotPolicyOf(t).Statement;
    expect(statements.map((x: any) => x.Sid)).toEqual([
      'Connect', 'OwnTopics', 'OwnTopicFilters', 'OwnShadow', 'TokenExchange', 'GreengrassDataPlane',
      'ClientDeviceAuth', 'ClientDeviceCertificates', 'ClientDeviceShadows', 'ClientDeviceConnectivityInfo',
      'ClientDeviceShadowGet', 'ClientDeviceShadowSubscribe', 'ClientDeviceShadowReceive',
      'ExtraPublish', 'ExtraSubscribe', 'ExtraReceive',
    ]);
    const one = renderCoreDeviceIotPolicy(new Stack(new App(), 'Edge', { env: { account: '111111111111', region: 'eu-west-1' } }), {
      thingName: 'core-1',
      roleAliasArn: 'alias',
      clientDeviceThingNames: ['sensor-1', 'sensor-2'],
      connectivityInfoManaged: false,
      extraTopics: topics(12).map((x) => x._toGrant()),
    });
    expect(statements.flatMap((x: any) => [x.Resource].flat()).length).toBe(one.Statement.flatMap((x: any) => [x.Resource].flat()).length);
    expect(permissions(s, statements).filter((p) => p.includes('station-'))).toEqual(permissions(s, one.Statement).filter((p) => p.includes('station-')));
    expect(permissions(s, statements).filter((p) => p.includes('station-'))).toHaveLength(12 * 3);
  });

  test('a device whose policy fits keeps one policy and one attachment', () => {
    const s = stack();
    const core = new CoreDevice(s, 'Core', { thingName: 'core-1' });
    expect(core.iotPolicies).toEqual([core.iotPolicy]);
    Template.fromStack(s).resourceCountIs('AWS::IoT::PolicyPrincipalAttachment', 1);
  });

  test('up to the 10 policies AWS IoT attaches to a certificate, every topic still allowed once', () => {
    const s = stack();
    const core = new CoreDevice(s, 'Core', { thingName: 'core-1', clientDeviceThingNames: ['sensor-1'], mqttTopics: topics(60) });
    const t = Template.fromStack(s);
    expect(core.iotPolicies).toHaveLength(10);
    const policies = t.findResources('AWS::IoT::Policy');
    for (const p of Object.values(policies)) expect(worstCaseJsonLength(s, p.Properties.PolicyDocument)).toBeLessThanOrEqual(2048);
    t.resourceCountIs('AWS::IoT::PolicyPrincipalAttachment', 10);
    const granted = permissions(s, iotPolicyOf(t).Statement);
    for (const action of ['iot:Publish', 'iot:Subscribe', 'iot:Receive']) {
      expect(granted.filter((p) => p.startsWith(`${action} `) && p.includes('station-'))).toHaveLength(60);
    }
  });

  test('fails when the topics need more than the 10 policies AWS IoT attaches to a certificate', () => {
    const s = stack();
    expect(() => new CoreDevice(s, 'Core', { thingName: 'core-1', mqttTopics: topics(120) }))
      .toThrow(/^CoreDevice Edge\/Core: its IoT policy is \d+ characters with every token at its longest and needs 1\d policies of at most 2048 characters even with its statements merged, more than the 10 AWS IoT attaches to one certificate; by prop: mqttTopics \(\d+ characters\), thingName \(\d+ characters\)/);
  });
});

describe('the stack output quota (200 per template)', () => {
  const synthErrors = (s: Stack) => {
    try {
      Template.fromStack(s);
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  };
  const fleetOf = (s: Stack, devices: number, props: { emitOutputs?: boolean } = {}) =>
    new CoreDeviceFleet(s, 'F', { thingGroupName: 'g', thingNames: Array.from({ length: devices }, (_, i) => `gw-${i}`), ...props });

  test('a fleet of 66 devices with generated certificates fits: 198 outputs', () => {
    const s = stack();
    fleetOf(s, 66);
    expect(Object.keys(Template.fromStack(s).toJSON().Outputs)).toHaveLength(198);
  });

  test('fails when a fleet of 67 devices would emit 201 outputs, naming the fleet, the count and emitOutputs', () => {
    const s = stack();
    fleetOf(s, 67);
    const errors = synthErrors(s);
    expect(errors).toContain('stack Edge has 201 outputs, and CloudFormation accepts at most 200 per template (CoreDeviceFleet Edge/F adds 201)');
    expect(errors).toContain('pass emitOutputs: false to the CoreDeviceFleet');
  });

  test('fails when devices of several constructs and the stack\'s own outputs add up to more than 200', () => {
    const s = stack();
    fleetOf(s, 60);
    for (let i = 0; i < 5; i++) new CoreDevice(s, `Single${i}`, { thingName: `single-${i}` });
    for (let i = 0; i < 6; i++) new CfnOutput(s, `Mine${i}`, { value: 'x' });
    expect(synthErrors(s)).toContain('stack Edge has 201 outputs, and CloudFormation accepts at most 200 per template '
      + '(CoreDeviceFleet Edge/F adds 180, CoreDevice Edge/Single0 adds 3, CoreDevice Edge/Single1 adds 3');
  });

  test('emitOutputs: false on the fleet emits no device output and keeps each nucleus configuration', () => {
    const s = stack();
    const fleet = fleetOf(s, 80, { emitOutputs: false });
    expect(Template.fromStack(s).toJSON().Outputs).toBeUndefined();
    expect(fleet.devices[79].nucleusConfiguration.thingName).toEqual(fleet.devices[79].thingName);
  });
});
