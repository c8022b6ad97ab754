import { Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AllConstructsStack } from './all-constructs-app';
import {
  CoreDeviceFleet, Deployment, DetectorInput, DetectorModel, DetectorModelDefinition, InputDefinition, IotSiteWiseAction, IotTopicPublishAction,
  ProvisionedCoreDeviceFleet, S3TaskExport, State, StreamDefinition, StreamProvisioner,
} from '../../src';
import { describeFindings, libraryOwned, nagReport } from '../nag-report';

const USER_REASON = 'the test model writes to the asset named by each reading (the user acknowledges it, not the library)';

describe('cdk-nag AwsSolutions on an app that uses every construct', () => {
  const { open, acknowledged, app } = nagReport((a) => {
    const stack = new AllConstructsStack(a, 'All');
    // The one wildcard that is the model author's choice (a SiteWise asset id that is an expression as a whole).
    Validations.of(stack.node.findChild('GreengrassV2DetectorRuntime').node.findChild('ProcessorRole')).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iotsitewise:<AWS::Region>:<AWS::AccountId>:asset/*]',
      reason: USER_REASON,
    });
  });

  test('no finding is left on a resource the library created', () => {
    expect(describeFindings(open.filter((f) => libraryOwned(app, f.path)))).toEqual([]);
  });

  test('the checks ran: the library acknowledged its resources\' findings, each with a reason', () => {
    const byLibrary = acknowledged.filter((f) => f.reason !== USER_REASON);
    expect(byLibrary.length).toBeGreaterThan(60);
    expect(new Set(byLibrary.map((f) => f.rule.replace(/\[.*$/, '')))).toEqual(new Set([
      'AwsSolutions-IAM5', 'AwsSolutions-COG4', 'AwsSolutions-APIG3', 'AwsSolutions-APIG6', 'AwsSolutions-SQS3', 'AwsSolutions-SF2',
    ]));
    for (const f of byLibrary) {
      expect(f.reason!.length).toBeGreaterThan(40);
      expect(f.reason).not.toMatch(/\$\{Token\[/);
    }
  });

  test('the library acknowledges only on its own constructs: never on the user\'s resources or above its constructs', () => {
    const misplaced = acknowledged.filter((f) => f.reason !== USER_REASON && !libraryOwned(app, f.acknowledgedAt!))
      .map((f) => `${f.rule} at ${f.acknowledgedAt}`);
    expect(misplaced).toEqual([]);
    // The user's own resources keep their findings (the test's function uses the managed basic execution role).
    expect(describeFindings(open.filter((f) => !libraryOwned(app, f.path)))).toEqual([
      'error AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole] All/EdgeFunction/ServiceRole/Resource',
      'error AwsSolutions-L1 All/EdgeFunction/Resource',
    ]);
  });

  test('the reasons name the case: the device, the topic of the model, the provider', () => {
    const reasonOf = (rule: string, at: string) => acknowledged.find((f) => f.rule === rule && f.path.startsWith(`All/${at}`))?.reason;
    expect(reasonOf('AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:greengrass/all-gateway-1/certificate-*]',
      'GreengrassV2CertificateProvider/OnEventRole')).toContain('greengrass/all-gateway-1/certificate-<n> of the core device all-gateway-1');
    expect(reasonOf('AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:topic/factory/all/alerts/*]',
      'GreengrassV2DetectorRuntime/ProcessorRole')).toBe('detector model all-model publishes to MQTT topic factory/all/alerts/${$input.AllReadings.deviceId}, '
      + 'whose ${...} parts are evaluated per message; granted only on what matches factory/all/alerts/*');
    expect(reasonOf('AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:thing/all-p-*]',
      'Provisioned/ProvisioningRole')).toContain('all-p-<serial number>');
  });
});

/**
 * Wildcards that come from a user's choice, not from the design, are not acknowledged by the library: each stays a
 * finding (on the library's resource) that the user fixes or acknowledges (README "cdk-nag").
 */
describe('findings left to the user', () => {
  const ENV = { account: '111111111111', region: 'eu-west-1' };
  const iam5 = (resource: string) => `AwsSolutions-IAM5[Resource::${resource}]`;
  test.each<[string, (stack: Stack) => void, string[], string]>([
    ['a detector action whose whole target is an expression', (stack) => {
      const input = new DetectorInput(stack, 'In', { definition: new InputDefinition({ inputName: 'In', attributeJsonPaths: ['id', 'topic'] }) });
      const s = new State({ stateName: 'S', onInput: [{ eventName: 'e', actions: [new IotTopicPublishAction('${$input.In.topic}')] }] });
      new DetectorModel(stack, 'M', { definition: new DetectorModelDefinition({ detectorModelName: 'm', detectorKey: 'id', initialState: s }), inputs: [input] });
    }, [iam5('arn:<AWS::Partition>:iot:eu-west-1:111111111111:topic/*')], 'Stack/GreengrassV2DetectorRuntime/ProcessorRole/DefaultPolicy/Resource'],
    ['a detector SiteWise action by property alias', (stack) => {
      const input = new DetectorInput(stack, 'In', { definition: new InputDefinition({ inputName: 'In', attributeJsonPaths: ['id', 'v'] }) });
      const s = new State({ stateName: 'S', onInput: [{ eventName: 'e', actions: [new IotSiteWiseAction({ propertyAlias: '/line/1/t', propertyValue: { doubleValue: '$input.In.v' } })] }] });
      new DetectorModel(stack, 'M', { definition: new DetectorModelDefinition({ detectorModelName: 'm', detectorKey: 'id', initialState: s }), inputs: [input] });
    }, [iam5('arn:<AWS::Partition>:iotsitewise:eu-west-1:111111111111:asset/*'), iam5('arn:<AWS::Partition>:iotsitewise:eu-west-1:111111111111:time-series/*')], 'Stack/GreengrassV2DetectorRuntime/ProcessorRole/DefaultPolicy/Resource'],
    ['an S3 export whose devices may write every key under the prefix (perDevice: false)', (stack) => {
      const fleet = new CoreDeviceFleet(stack, 'Fleet', { thingGroupName: 'g', thingNames: ['t1'] });
      const bucket = new s3.Bucket(stack, 'Bucket', { enforceSSL: true, serverAccessLogsPrefix: 'logs/' });
      const streams = new StreamProvisioner(stack, 'Streams', {
        streams: [new StreamDefinition({ streamName: 'files', exports: [new S3TaskExport({ identifier: 'up', destinations: [{ bucket, keyPrefix: 'in/', perDevice: false }] })] })],
      });
      new Deployment(stack, 'D', { target: fleet, components: [streams] });
    }, ['AwsSolutions-IAM5[Resource::<Bucket83908E77.Arn>/in/*]'], 'Stack/Fleet/TokenExchange/Role/DefaultPolicy/Resource'],
    ['a provisioned fleet without thingNamePrefix (its role may change every thing)', (stack) => {
      new ProvisionedCoreDeviceFleet(stack, 'Fleet', { thingGroupName: 'g', templateName: 't' });
    }, [iam5('arn:<AWS::Partition>:iot:eu-west-1:111111111111:thing/*')], 'Stack/Fleet/ProvisioningRole/DefaultPolicy/Resource'],
  ])('%s', (_name, build, rules, resource) => {
    const { app, open } = nagReport((a) => build(new Stack(a, 'Stack', { env: ENV })));
    expect(describeFindings(open.filter((f) => libraryOwned(app, f.path)))).toEqual(rules.map((rule) => `error ${rule} ${resource}`).sort());
  });
});
