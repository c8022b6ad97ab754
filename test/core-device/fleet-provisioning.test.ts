import * as fs from 'fs';
import * as path from 'path';
import { App, Aws, CfnElement, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { MqttTopicAccess, PreProvisioningHook, ProvisionedCoreDeviceFleet, ProvisionedCoreDeviceFleetProps } from '../../src/core-device';
import { worstCaseJsonLength } from '../../src/core-device/private/iot-policy-size';
import { Deployment, DeploymentTarget } from '../../src/deployment';
import { TokenComponent } from '../deployment/component-doubles';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';

function stack() {
  return new Stack(new App(), 'Edge', { env: { account: ACCOUNT, region: REGION } });
}

function fleetIn(s: Stack, props: ProvisionedCoreDeviceFleetProps = {}) {
  return new ProvisionedCoreDeviceFleet(s, 'Line2', {
    thingGroupName: 'line-2',
    templateName: 'line-2-devices',
    thingNamePrefix: 'line-2-',
    preProvisioningHook: PreProvisioningHook.allowSerialNumbers(['SN0001', 'SN0002']),
    ...props,
  });
}

const iotArn = (resource: string, ...rest: unknown[]) =>
  ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iot:${REGION}:${ACCOUNT}:${resource}`, ...rest]] });

/** The template body with its CloudFormation tokens replaced by the logical ids they refer to. */
function templateBodyOf(t: Template): any {
  const props = Object.values(t.findResources('AWS::IoT::ProvisioningTemplate'))[0].Properties;
  const parts = props.TemplateBody['Fn::Join'][1] as unknown[];
  return JSON.parse(parts.map((p: any) => (typeof p === 'string' ? p : `<${p.Ref}>`)).join(''));
}

function policyDocOf(t: Template, idPrefix: string): any {
  const [, resource] = Object.entries(t.findResources('AWS::IoT::Policy')).find(([id]) => id.startsWith(idPrefix))!;
  return resource.Properties.PolicyDocument;
}

describe('ProvisionedCoreDeviceFleet provisioning template', () => {
  test('registers <prefix><SerialNumber> in the fleet group, with its certificate and the shared device policy', () => {
    const s = stack();
    const fleet = fleetIn(s);
    const t = Template.fromStack(s);
    const groupId = s.getLogicalId(fleet.thingGroup);
    // The minimal device policy fits one AWS IoT policy here (literal region and account).
    expect(fleet.devicePolicies).toHaveLength(1);
    const policyId = s.getLogicalId(fleet.devicePolicies[0]);
    expect(templateBodyOf(t)).toEqual({
      Parameters: { 'SerialNumber': { Type: 'String' }, 'AWS::IoT::Certificate::Id': { Type: 'String' } },
      Resources: {
        thing: {
          Type: 'AWS::IoT::Thing',
          OverrideSettings: { AttributePayload: 'MERGE', ThingTypeName: 'REPLACE', ThingGroups: 'MERGE' },
          Properties: {
            ThingName: { 'Fn::Join': ['', ['line-2-', { Ref: 'SerialNumber' }]] },
            AttributePayload: { serialNumber: { Ref: 'SerialNumber' } },
            ThingGroups: [`<${groupId}>`],
          },
        },
        certificate: { Type: 'AWS::IoT::Certificate', Properties: { CertificateId: { Ref: 'AWS::IoT::Certificate::Id' }, Status: 'Active' } },
        policy: { Type: 'AWS::IoT::Policy', Properties: { PolicyName: `<${policyId}>` } },
      },
    });
    t.hasResourceProperties('AWS::IoT::ProvisioningTemplate', {
      TemplateName: 'line-2-devices',
      TemplateType: 'FLEET_PROVISIONING',
      Enabled: true,
      ProvisioningRoleArn: { 'Fn::GetAtt': [s.getLogicalId(fleet.provisioningRole.node.defaultChild as any), 'Arn'] },
    });
  });

  test('without a prefix the thing name is the serial number', () => {
    const s = stack();
    fleetIn(s, { thingNamePrefix: undefined });
    expect(templateBodyOf(Template.fromStack(s)).Resources.thing.Properties.ThingName).toEqual({ Ref: 'SerialNumber' });
  });

  test('a generated template name is a literal of at most 36 characters, named in the claim policy', () => {
    const s = stack();
    const fleet = new ProvisionedCoreDeviceFleet(s, 'AVeryLongConstructIdForAFleetOfCoreDevicesOnLineTwo');
    expect(fleet.templateName).toMatch(/^[0-9A-Za-z_-]{1,36}$/);
    const doc = JSON.stringify(policyDocOf(Template.fromStack(s), s.getLogicalId(fleet.claimPolicy)));
    expect(doc).toContain(`$aws/provisioning-templates/${fleet.templateName}/provision/*`);
  });
});

describe('ProvisionedCoreDeviceFleet device policy', () => {
  test('scopes every device to its own thing name with the policy variable, never a literal or *', () => {
    const s = stack();
    const fleet = fleetIn(s, { mqttTopics: [MqttTopicAccess.publish('factory/line-2/${iot:Connection.Thing.ThingName}/telemetry')] });
    const t = Template.fromStack(s);
    const docs = fleet.devicePolicies.map((p) => policyDocOf(t, s.getLogicalId(p)));
    // Each document fits AWS IoT's 2048 characters with every token at its longest.
    for (const d of docs) expect(worstCaseJsonLength(s, d)).toBeLessThanOrEqual(2048);
    const doc = { Statement: docs.flatMap((d) => d.Statement) };
    const byId = Object.fromEntries(doc.Statement.map((x: any) => [x.Sid, x]));
    expect(Object.keys(byId)).toEqual(['Connect', 'OwnTopics', 'OwnTopicFilters', 'OwnShadow', 'TokenExchange', 'GreengrassDataPlane', 'ExtraPublish']);
    const v = '${iot:Connection.Thing.ThingName}';
    expect(byId.Connect.Resource).toEqual([iotArn(`client/${v}`), iotArn(`client/${v}#*`)]);
    expect(byId.OwnShadow.Resource).toEqual([iotArn(`thing/${v}`), iotArn(`thing/${v}/*`)]);
    expect(byId.OwnTopicFilters.Resource).toEqual([iotArn(`topicfilter/$aws/things/${v}/jobs/*`), iotArn(`topicfilter/$aws/things/${v}/shadow/*`)]);
    expect(byId.ExtraPublish.Resource).toEqual([iotArn(`topic/factory/line-2/${v}/telemetry`)]);
    expect(byId.TokenExchange.Resource).toEqual({ 'Fn::GetAtt': [s.getLogicalId(fleet.tokenExchangeRole.node.findChild('RoleAlias') as any), 'RoleAliasArn'] });
    // No client-device statements: the fleet has no per-device client list.
    expect(Object.keys(byId)).not.toContain('ClientDeviceAuth');
    expect(doc.Statement.filter((x: any) => x.Resource === '*').map((x: any) => x.Sid)).toEqual(['GreengrassDataPlane']);
  });
});

describe('ProvisionedCoreDeviceFleet device policy size', () => {
  test('many extra topics are split over more policies, each within AWS IoT\'s limit, all in the template', () => {
    const s = stack();
    const topics = Array.from({ length: 60 }, (_, i) => MqttTopicAccess.publishAndSubscribe(`factory/line-2/station-${i}/\${iot:Connection.Thing.ThingName}/readings`));
    const fleet = fleetIn(s, { mqttTopics: topics });
    const t = Template.fromStack(s);
    expect(fleet.devicePolicies.length).toBeGreaterThan(3);
    const docs = fleet.devicePolicies.map((p) => policyDocOf(t, s.getLogicalId(p)));
    for (const d of docs) expect(worstCaseJsonLength(s, d)).toBeLessThanOrEqual(2048);
    // The provisioning role may attach each of them, and the template attaches all of them.
    const role = Object.values(t.findResources('AWS::IAM::Policy')).find((p: any) =>
      p.Properties.Roles[0].Ref === s.getLogicalId(fleet.provisioningRole.node.defaultChild as any))!;
    const attachable = role.Properties.PolicyDocument.Statement.find((x: any) => x.Sid === 'DevicePolicy').Resource;
    expect(attachable).toEqual(fleet.devicePolicies.map((p) => iotArn('policy/', { Ref: s.getLogicalId(p) })));
    // Every topic is still allowed, once.
    const published = docs.flatMap((d) => d.Statement).filter((x: any) => /^ExtraPublish/.test(x.Sid)).flatMap((x: any) => x.Resource);
    expect(published).toHaveLength(60);
    const body = templateBodyOf(t);
    expect(Object.values(body.Resources).filter((r: any) => r.Type === 'AWS::IoT::Policy').map((r: any) => r.Properties.PolicyName))
      .toEqual(fleet.devicePolicies.map((p) => `<${s.getLogicalId(p)}>`));
  });

  test('in a stack whose region and account are known only at deploy time, the policies still fit', () => {
    const s = new Stack(new App(), 'Agnostic');
    const fleet = new ProvisionedCoreDeviceFleet(s, 'Fleet', { mqttTopics: [MqttTopicAccess.publish('factory/line-2/telemetry')] });
    const t = Template.fromStack(s);
    for (const p of fleet.devicePolicies) expect(worstCaseJsonLength(s, policyDocOf(t, s.getLogicalId(p)))).toBeLessThanOrEqual(2048);
  });

  test('the claim policy fits with the longest template name AWS IoT allows, in an environment-agnostic stack', () => {
    const s = new Stack(new App(), 'Agnostic');
    const fleet = new ProvisionedCoreDeviceFleet(s, 'Fleet', { templateName: 'x'.repeat(36) });
    const size = worstCaseJsonLength(s, policyDocOf(Template.fromStack(s), s.getLogicalId(fleet.claimPolicy)));
    expect(size).toBeGreaterThan(500);
    expect(size).toBeLessThanOrEqual(2048);
  });
});

describe('ProvisionedCoreDeviceFleet provisioning role', () => {
  test('trusts AWS IoT and holds only the registration actions, on the fleet\'s things, group, policy and certificates', () => {
    const s = stack();
    const fleet = fleetIn(s);
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'iot.amazonaws.com' } }] },
      ManagedPolicyArns: Match.absent(),
    });
    const policy = Object.values(t.findResources('AWS::IAM::Policy')).find((p: any) =>
      p.Properties.Roles[0].Ref === s.getLogicalId(fleet.provisioningRole.node.defaultChild as any))!;
    const statements = policy.Properties.PolicyDocument.Statement;
    const byId = Object.fromEntries(statements.map((x: any) => [x.Sid, x]));
    expect(byId.Things.Resource).toEqual(iotArn('thing/line-2-*'));
    expect(byId.ThingGroup.Resource).toEqual(iotArn('thinggroup/', { Ref: s.getLogicalId(fleet.thingGroup) }));
    expect([byId.DevicePolicy.Resource].flat()).toEqual(fleet.devicePolicies.map((p) => iotArn('policy/', { Ref: s.getLogicalId(p) })));
    expect(byId.Certificates.Resource).toEqual(iotArn('cert/*'));
    // Only RegisterThing (no resource type) and two read-only lookups are on '*'.
    expect(statements.filter((x: any) => x.Resource === '*').map((x: any) => x.Action))
      .toEqual([['iot:RegisterThing', 'iot:ListPrincipalThings', 'iot:ListAttachedPolicies']]);
    const actions = statements.flatMap((x: any) => [x.Action].flat());
    for (const never of ['iot:CreatePolicy', 'iot:DeletePolicy', 'iot:CreateCertificateFromCsr', 'iot:RegisterCertificate', 'iot:DeleteThing', 'iot:AddThingToBillingGroup']) {
      expect(actions).not.toContain(never);
    }
    expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
  });
});

describe('ProvisionedCoreDeviceFleet claim certificate', () => {
  test('is a generated certificate whose claim policy allows only the documented provisioning topics of this template', () => {
    const s = stack();
    const fleet = fleetIn(s);
    const t = Template.fromStack(s);
    const claimId = s.getLogicalId((fleet.node.findChild('ClaimCertificate').node.findChild('Resource').node.defaultChild) as any);
    t.hasResourceProperties('Custom::GreengrassV2GeneratedCertificate', { SecretNamePrefix: 'greengrass/line-2-devices-claim/certificate-' });
    expect(policyDocOf(t, s.getLogicalId(fleet.claimPolicy))).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Connect', Effect: 'Allow', Action: 'iot:Connect', Resource: iotArn('client/*') },
        {
          Sid: 'ProvisioningTopics',
          Effect: 'Allow',
          Action: ['iot:Publish', 'iot:Receive'],
          Resource: [iotArn('topic/$aws/certificates/create/*'), iotArn('topic/$aws/provisioning-templates/line-2-devices/provision/*')],
        },
        {
          Sid: 'ProvisioningTopicFilters',
          Effect: 'Allow',
          Action: 'iot:Subscribe',
          Resource: [iotArn('topicfilter/$aws/certificates/create/*'), iotArn('topicfilter/$aws/provisioning-templates/line-2-devices/provision/*')],
        },
      ],
    });
    t.hasResourceProperties('AWS::IoT::PolicyPrincipalAttachment', {
      PolicyName: { Ref: s.getLogicalId(fleet.claimPolicy) },
      Principal: { 'Fn::GetAtt': [claimId, 'CertificateArn'] },
    });
  });

  test.each([
    [undefined, 'Retain'],
    [RemovalPolicy.RETAIN, 'Retain'],
    [RemovalPolicy.DESTROY, 'Delete'],
  ])('removalPolicy %s keeps or deletes the claim certificate with its secret, the device policy, the thing group and the devices\' credentials (%s)', (removalPolicy, expected) => {
    const s = stack();
    const fleet = fleetIn(s, { removalPolicy });
    const t = Template.fromStack(s);
    const [claim] = Object.values(t.findResources('Custom::GreengrassV2GeneratedCertificate'));
    expect(claim.DeletionPolicy).toBe(expected);
    expect(claim.UpdateReplacePolicy).toBe(expected);
    for (const p of fleet.devicePolicies) {
      expect(t.toJSON().Resources[s.getLogicalId(p)].DeletionPolicy).toBe(expected);
    }
    // What provisioned devices run on: their group, and their credentials (role, its policy, alias).
    const resources = t.toJSON().Resources;
    const tex = fleet.tokenExchangeRole;
    const devicesRunOn = [fleet.thingGroup, tex.role.node.defaultChild, tex.role.node.findChild('DefaultPolicy').node.defaultChild, tex.node.findChild('RoleAlias')];
    for (const r of devicesRunOn) {
      const id = s.getLogicalId(r as CfnElement);
      const { DeletionPolicy: deletion, UpdateReplacePolicy: replace } = resources[id];
      expect({ id, deletion, replace }).toEqual({ id, deletion: expected, replace: expected });
    }
    // The claim policy holds no device: it goes with the stack.
    expect(t.toJSON().Resources[s.getLogicalId(fleet.claimPolicy)].DeletionPolicy).toBeUndefined();
  });
});

describe('ProvisionedCoreDeviceFleet pre-provisioning hook', () => {
  const templateArn = iotArn('provisioningtemplate/line-2-devices');

  test('the built-in allow-list: a function reading the list from its layer, invocable by IoT for this template only', () => {
    const s = stack();
    const fleet = fleetIn(s);
    const t = Template.fromStack(s);
    const fn = fleet.node.findChild('PreProvisioningHook').node.findChild('Function') as lambda.Function;
    const fnId = s.getLogicalId(fn.node.defaultChild as any);
    t.hasResourceProperties('AWS::IoT::ProvisioningTemplate', {
      PreProvisioningHook: { PayloadVersion: '2020-04-01', TargetArn: { 'Fn::GetAtt': [fnId, 'Arn'] } },
    });
    t.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
      Principal: 'iot.amazonaws.com',
      SourceAccount: ACCOUNT,
      SourceArn: templateArn,
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 5,
      Environment: { Variables: { ALLOW_LIST_PATH: '/opt/allowed-serial-numbers.json', MAX_SERIAL_NUMBER_LENGTH: '121' } },
    });
    // The template waits for the invoke permission and the provisioning role's policy.
    const [template] = Object.values(t.findResources('AWS::IoT::ProvisioningTemplate'));
    expect(template.DependsOn.sort()).toEqual([
      s.getLogicalId(fn.node.children.find((c) => c instanceof lambda.CfnPermission) as any),
      s.getLogicalId(fleet.provisioningRole.node.findChild('DefaultPolicy').node.defaultChild as any),
    ].sort());
    // The layer's asset holds exactly the listed serial numbers.
    const [layer] = Object.values(t.findResources('AWS::Lambda::LayerVersion'));
    const hash = String(layer.Properties.Content.S3Key).replace(/\.zip$/, '');
    const outdir = (s.node.root as App).synth().directory;
    expect(JSON.parse(fs.readFileSync(path.join(outdir, `asset.${hash}`, 'allowed-serial-numbers.json'), 'utf8'))).toEqual(['SN0001', 'SN0002']);
    t.hasResourceProperties('AWS::Lambda::Function', { Layers: [{ Ref: Object.keys(t.findResources('AWS::Lambda::LayerVersion'))[0] }] });
  });

  test('your own function gets the invoke permission for this template', () => {
    const s = stack();
    const mine = new lambda.Function(s, 'Mine', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({ allowProvisioning: false })') });
    fleetIn(s, { preProvisioningHook: PreProvisioningHook.fromFunction(mine) });
    const t = Template.fromStack(s);
    const mineArn = { 'Fn::GetAtt': [s.getLogicalId(mine.node.defaultChild as any), 'Arn'] };
    t.hasResourceProperties('AWS::Lambda::Permission', { FunctionName: mineArn, Principal: 'iot.amazonaws.com', SourceAccount: ACCOUNT, SourceArn: templateArn });
    t.hasResourceProperties('AWS::IoT::ProvisioningTemplate', { PreProvisioningHook: { PayloadVersion: '2020-04-01', TargetArn: mineArn } });
    t.resourceCountIs('AWS::Lambda::LayerVersion', 0);
  });

  test('an imported function of the same account gets the permission', () => {
    const s = stack();
    const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:device-registry-check`;
    fleetIn(s, { preProvisioningHook: PreProvisioningHook.fromFunction(lambda.Function.fromFunctionArn(s, 'Imported', arn)) });
    Template.fromStack(s).hasResourceProperties('AWS::Lambda::Permission', { FunctionName: arn, Principal: 'iot.amazonaws.com', SourceArn: templateArn });
  });

  test('fails when the function is in another account or region', () => {
    const other = `arn:aws:lambda:${REGION}:222222222222:function:check`;
    expect(() => { const s = stack(); fleetIn(s, { preProvisioningHook: PreProvisioningHook.fromFunction(lambda.Function.fromFunctionArn(s, 'I', other)) }); })
      .toThrow(`preProvisioningHook function ${other} is in account 222222222222, not the fleet's ${ACCOUNT}: AWS IoT invokes hooks in the template's own account and region only; deploy the function there`);
    const otherRegion = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:check`;
    expect(() => { const s = stack(); fleetIn(s, { preProvisioningHook: PreProvisioningHook.fromFunction(lambda.Function.fromFunctionArn(s, 'I', otherRegion)) }); })
      .toThrow(`is in region us-east-1, not the fleet's ${REGION}`);
  });

  test('fails when an imported function\'s policy cannot be changed, unless the permission is managed outside', () => {
    const make = (permissionManagedOutside?: boolean) => {
      const s = new Stack(new App(), 'Agnostic');
      const fn = lambda.Function.fromFunctionArn(s, 'I', 'arn:aws:lambda:eu-west-1:111111111111:function:check');
      new ProvisionedCoreDeviceFleet(s, 'Fleet', { preProvisioningHook: PreProvisioningHook.fromFunction(fn, { permissionManagedOutside }) });
      return s;
    };
    expect(() => make()).toThrow(/preProvisioningHook function Agnostic\/I is imported so that this stack cannot add its resource policy, and AWS IoT could not invoke it \(every registration would fail\): import it with lambda.Function.fromFunctionAttributes/);
    Template.fromStack(make(true)).resourceCountIs('AWS::Lambda::Permission', 0);
  });

  test('warns when there is no hook', () => {
    const s = stack();
    fleetIn(s, { preProvisioningHook: undefined });
    Annotations.fromStack(s).hasWarning('/Edge/Line2', Match.stringLikeRegexp('has no preProvisioningHook: anyone holding the claim certificate can register any number of devices named line-2-<anything>'));
  });

  test.each<[string, () => unknown, string]>([
    ['an empty list', () => PreProvisioningHook.allowSerialNumbers([]), 'allowSerialNumbers() got an empty list'],
    ['a duplicate', () => PreProvisioningHook.allowSerialNumbers(['a', 'b', 'a']), "serial number 'a' is listed twice in allowSerialNumbers(): list each device once"],
    ['a character thing names refuse', () => PreProvisioningHook.allowSerialNumbers(['SN 1']), "serial number 'SN 1' is invalid: it becomes part of the thing name, use 1-128 characters of [a-zA-Z0-9:_-]"],
    ['an empty serial', () => PreProvisioningHook.allowSerialNumbers(['']), "serial number '' is invalid"],
    ['a serial too long for the prefix', () => fleetIn(stack(), { preProvisioningHook: PreProvisioningHook.allowSerialNumbers(['x'.repeat(122)]) }),
      "is 122 characters: with thingNamePrefix 'line-2-' the thing name would exceed 128 characters; use at most 121 characters or a shorter prefix"],
  ])('allowSerialNumbers fails for %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  test('the hook resources are constant: 10 000 serial numbers make as many resources as 2', () => {
    const count = (serials: string[]) => {
      const s = stack();
      fleetIn(s, { preProvisioningHook: PreProvisioningHook.allowSerialNumbers(serials) });
      return Object.keys(Template.fromStack(s).toJSON().Resources).length;
    };
    const many = Array.from({ length: 10000 }, (_, i) => `SN${String(i).padStart(6, '0')}`);
    expect(count(many)).toBe(count(['SN0001', 'SN0002']));
  });
});

describe('ProvisionedCoreDeviceFleet synth-time checks', () => {
  test.each<[string, ProvisionedCoreDeviceFleetProps, string]>([
    ['a template name with a wildcard', { templateName: 'line-*' },
      "templateName 'line-*' is invalid: use 1-36 characters of [0-9A-Za-z_-] (AWS IoT's pattern; the claim policy names it in MQTT topics, where '*', '+', '#' and '/' would widen them)"],
    ['a template name with a slash', { templateName: 'a/b' }, "templateName 'a/b' is invalid"],
    ['a template name of 37 characters', { templateName: 'x'.repeat(37) }, `templateName '${'x'.repeat(37)}' is invalid`],
    ['a thing-name prefix with a space', { thingNamePrefix: 'line 2-' },
      "thingNamePrefix 'line 2-' is invalid: use 0-64 characters of [a-zA-Z0-9:_-] (the serial number follows it in the thing name, at most 128 characters in all)"],
    ['a thing-name prefix of 65 characters', { thingNamePrefix: 'p'.repeat(65) }, 'is invalid: use 0-64 characters'],
    ['a thing group name with a dot', { thingGroupName: 'line.2' }, "thingGroupName 'line.2' is invalid: use 1-128 characters of [a-zA-Z0-9:_-]"],
  ])('fails for %s', (_name, props, message) => {
    expect(() => fleetIn(stack(), props)).toThrow(message);
  });

  test('fails when the template name or prefix is a token', () => {
    expect(() => { const s = stack(); fleetIn(s, { templateName: Aws.STACK_NAME }); }).toThrow('templateName is a token');
    expect(() => { const s = stack(); fleetIn(s, { thingNamePrefix: Aws.STACK_NAME }); }).toThrow('thingNamePrefix is a token');
  });
});

describe('ProvisionedCoreDeviceFleet outputs', () => {
  test('FleetProvisioningConfig is the installer config.yaml for the FleetProvisioningByClaim plugin', () => {
    const s = stack();
    const fleet = fleetIn(s);
    const outputs = Template.fromStack(s).toJSON().Outputs;
    const [config] = Object.entries(outputs).find(([k]) => k.startsWith('Line2FleetProvisioningConfig'))!.slice(1) as any[];
    const parts = config.Value['Fn::Join'][1] as unknown[];
    const json = JSON.parse(parts.map((p: any) => (typeof p === 'string' ? p : `<${p.Ref ?? p['Fn::GetAtt'].join('.')}>`)).join(''));
    const endpoints = s.getLogicalId(s.node.findChild('GreengrassV2IotEndpoints').node.findChild('Resource').node.defaultChild as any);
    expect(json).toEqual({
      services: {
        'aws.greengrass.FleetProvisioningByClaim': {
          configuration: {
            rootPath: '/greengrass/v2',
            awsRegion: REGION,
            iotDataEndpoint: `<${endpoints}.DataEndpoint>`,
            iotCredentialEndpoint: `<${endpoints}.CredentialEndpoint>`,
            iotRoleAlias: `<${s.getLogicalId(fleet.tokenExchangeRole.node.findChild('RoleAlias') as any)}>`,
            provisioningTemplate: 'line-2-devices',
            claimCertificatePath: '/greengrass/v2/claim-certs/claim.pem.crt',
            claimCertificatePrivateKeyPath: '/greengrass/v2/claim-certs/claim.private.pem.key',
            rootCaPath: '/greengrass/v2/AmazonRootCA1.pem',
            templateParameters: { SerialNumber: 'REPLACE_WITH_SERIAL_NUMBER' },
          },
        },
      },
    });
    expect(Object.keys(outputs).some((k) => k.startsWith('Line2ClaimCertificateSecretArn'))).toBe(true);
    expect(Object.keys(outputs).some((k) => k.startsWith('Line2ProvisioningTemplateName'))).toBe(true);
  });

  test('emitOutputs: false emits none', () => {
    const s = stack();
    fleetIn(s, { emitOutputs: false });
    expect(Template.fromStack(s).toJSON().Outputs).toBeUndefined();
  });
});

describe('ProvisionedCoreDeviceFleet as a deployment target', () => {
  test('a deployment targets its thing group and grants the components\' needs to the token-exchange role', () => {
    const s = stack();
    const fleet = fleetIn(s);
    new Deployment(s, 'Line2Deployment', { target: fleet, components: [new TokenComponent(s, 'Reader', 'com.example.Reader')] });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::GreengrassV2::Deployment', { TargetArn: { 'Fn::GetAtt': [s.getLogicalId(fleet.thingGroup), 'Arn'] } });
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: s.getLogicalId(fleet.tokenExchangeRole.role.node.defaultChild as any) }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::artifacts-bucket/com.example.Reader/*' })]) },
    });
  });

  test('fails when another deployment targets its thing group by name', () => {
    const s = stack();
    const fleet = fleetIn(s);
    new Deployment(s, 'A', { target: fleet, components: [new TokenComponent(s, 'Reader', 'com.example.Reader')] });
    expect(() => new Deployment(s, 'B', { target: DeploymentTarget.fromThingGroupName(s, 'line-2'), components: [] }))
      .toThrow("deployments 'Edge/A' and 'Edge/B' both target thing group 'line-2'");
  });

  test('fails when two deployments target a fleet whose group name is generated', () => {
    const s = stack();
    const fleet = fleetIn(s, { thingGroupName: undefined });
    new Deployment(s, 'A', { target: fleet, components: [] });
    expect(() => new Deployment(s, 'B', { target: DeploymentTarget.fromThingGroup(fleet.thingGroup), components: [] }))
      .toThrow("deployments 'Edge/A' and 'Edge/B' both target thing group of 'Edge/Line2/ThingGroup' (its name is generated at deploy time)");
  });
});
