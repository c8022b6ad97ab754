import * as path from 'path';
import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  Artifact, ComponentVersion, CoreDevice, CoreDeviceCertificate, CoreDeviceFleet, Deployment, DeploymentCompletion, DeploymentDeletion,
  DetectorInput, DetectorModel, DetectorModelDefinition, DynamoDbPutItemAction, Expression, GreengrassServiceRole, InputDefinition,
  IotSiteWiseAction, IotSiteWiseExport, IotTopicPublishAction, KinesisExport, LambdaComponentVersion, LambdaInvokeAction, LifecycleStep,
  MqttTopicAccess, Platform, PreProvisioningHook, ProvisionedCoreDeviceFleet, PublicComponent, Recipe, S3TaskExport,
  SetTimerAction, SnsTopicPublishAction, SqsQueueAction, State, StreamDefinition, StreamProvisioner, TimerDuration,
} from '../../src';

/**
 * A stack that uses every construct of the library, most of them in more than one way: core devices (generated
 * certificates kept and destroyed, a CSR, per-device and shared log streams), a fleet, a provisioned fleet with an
 * allow-list hook, the Greengrass service role (replacing an existing association), components with S3, ECR and
 * URI artifacts, a Lambda component, Stream Manager streams with Kinesis, S3 and SiteWise exports, deployments
 * with every completion mode, and the detector runtime (Kinesis and MQTT inputs, a model with every external
 * action, a seed). The user's own resources (stream, bucket, topic, ...) are written to pass the AwsSolutions
 * checks, so that what remains is on the library's resources.
 */
export class AllConstructsStack extends Stack {
  public readonly model: DetectorModel;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    new GreengrassServiceRole(this, 'ServiceRole', { replaceExistingAssociation: true });

    const key = new kms.Key(this, 'DeviceKeys', { enableKeyRotation: true });
    const fleet = new CoreDeviceFleet(this, 'Fleet', {
      thingGroupName: 'all-fleet',
      mqttTopics: [MqttTopicAccess.publish('factory/all/*')],
    });
    fleet.addCoreDevice('all-gateway-1', {
      certificate: CoreDeviceCertificate.generated({ encryptionKey: key }),
      clientDeviceThingNames: ['all-sensor-1'],
      connectivityInfo: [{ hostAddress: '192.168.1.10' }],
    });
    fleet.addCoreDevice('all-gateway-2');
    const single = new CoreDevice(this, 'Single', {
      thingName: 'all:single',
      removalPolicy: RemovalPolicy.DESTROY,
      removeCoreDeviceOnDelete: true,
    });
    single.tokenExchangeRole._allowLogStreamsOf('all:single');

    const provisioned = new ProvisionedCoreDeviceFleet(this, 'Provisioned', {
      thingGroupName: 'all-provisioned',
      templateName: 'all-provisioned',
      thingNamePrefix: 'all-p-',
      tokenExchangeRole: { perDeviceLogStreams: false },
      preProvisioningHook: PreProvisioningHook.allowSerialNumbers(['SN-1', 'SN-2']),
    });

    // Components: a local asset, an ECR image, an S3 URI, a Lambda function.
    const image = new ecr.Repository(this, 'Images', { imageScanOnPush: true });
    const app = Recipe.of({
      componentName: 'com.example.All',
      componentVersion: '1.0.0',
      manifests: [{
        platform: Platform.linux(),
        artifacts: [
          Artifact.fromAsset(path.join(__dirname, '..', 'component', 'fixtures', 'script.sh')),
          Artifact.fromEcrRepository(image, '1.0'),
          Artifact.fromUri('s3://example-artifacts/all/app.zip'),
        ],
        lifecycle: { run: LifecycleStep.script('sh {artifacts:path}/script.sh') },
      }],
    });
    const component = new ComponentVersion(this, 'App', { recipe: app });
    const fn = new lambda.Function(this, 'EdgeFunction', {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: 'index.handler',
      code: lambda.Code.fromInline('def handler(event, context):\n    return None\n'),
    });
    const lambdaComponent = new LambdaComponentVersion(this, 'EdgeLambda', { function: fn.currentVersion, componentName: 'com.example.EdgeLambda' });

    // Streams with every export that grants something.
    const telemetry = new kinesis.Stream(this, 'Telemetry', { encryption: kinesis.StreamEncryption.MANAGED });
    const telemetryExport = new KinesisExport(telemetry, { identifier: 'to-kinesis' });
    const uploads = new s3.Bucket(this, 'Uploads', {
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      serverAccessLogsPrefix: 'access-logs/',
    });
    const streams = new StreamProvisioner(this, 'Streams', {
      componentName: 'com.example.AllStreams',
      streams: [
        new StreamDefinition({ streamName: 'telemetry', exports: [telemetryExport] }),
        new StreamDefinition({ streamName: 'files', exports: [new S3TaskExport({ identifier: 'to-s3', destinations: [{ bucket: uploads, keyPrefix: 'devices/' }] })] }),
        new StreamDefinition({ streamName: 'values', exports: [new IotSiteWiseExport({ identifier: 'to-sitewise' })] }),
      ],
    });

    // Deployments: a fleet that waits and cancels, a provisioned fleet that removes its components, a device.
    new Deployment(this, 'FleetDeployment', {
      target: fleet,
      deploymentName: 'all-fleet',
      components: [component, streams, lambdaComponent, PublicComponent.logManager('^2.3.0')],
      completion: DeploymentCompletion.waitFor({ timeout: Duration.minutes(30), onDelete: DeploymentDeletion.CANCEL }),
    });
    new Deployment(this, 'ProvisionedDeployment', {
      target: provisioned,
      deploymentName: 'all-provisioned',
      components: [component, streams],
      completion: DeploymentCompletion.waitFor({ onDelete: DeploymentDeletion.REMOVE_COMPONENTS }),
    });
    new Deployment(this, 'SingleDeployment', {
      target: single,
      deploymentName: 'all-single',
      components: [component],
      completion: DeploymentCompletion.noWait({ onDelete: DeploymentDeletion.LEAVE }),
    });

    // The detector runtime: a Kinesis input (a Stream Manager export) and an MQTT input, a model with every
    // external action (targets known and per message), a seed.
    const readings = new InputDefinition({ inputName: 'AllReadings', attributeJsonPaths: ['deviceId', 'temperature', 'line'] });
    const input = new DetectorInput(this, 'Readings', { definition: readings });
    input.addStreamExport(telemetryExport);
    input.addTopicRule('Mqtt', { topicFilter: 'factory/all/+/readings', topicLevels: { deviceId: 3 } });
    input.addTopicRule('MqttLogged', {
      sql: "SELECT * FROM 'factory/all/+/other'",
      errorLogGroup: new logs.LogGroup(this, 'RuleErrors', { retention: logs.RetentionDays.ONE_MONTH }),
    });
    const alarms = new sns.Topic(this, 'Alarms', { masterKey: kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'), enforceSSL: true });
    const queueDlq = new sqs.Queue(this, 'AlertsDlq', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
    const queue = new sqs.Queue(this, 'Alerts', {
      encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, deadLetterQueue: { queue: queueDlq, maxReceiveCount: 3 },
    });
    const table = new dynamodb.Table(this, 'Events', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    });
    const reading = Expression.currentInput(readings);
    const normal = new State({
      stateName: 'Normal',
      onEnter: [{ eventName: 'start', actions: [new SetTimerAction('silence', TimerDuration.fromDuration(Duration.minutes(10)))] }],
      onInput: [{
        eventName: 'reading',
        condition: reading,
        actions: [
          new IotTopicPublishAction('factory/all/alerts/${$input.AllReadings.deviceId}'),
          new IotTopicPublishAction('factory/all/summary'),
          new SnsTopicPublishAction(alarms),
          new SqsQueueAction(queue),
          new LambdaInvokeAction(fn),
          new DynamoDbPutItemAction(table, { hashKeyField: 'pk', hashKeyValue: '$input.AllReadings.deviceId' }),
          new IotSiteWiseAction({ assetId: '${$input.AllReadings.line}', propertyId: 'p1', propertyValue: { doubleValue: '$input.AllReadings.temperature' } }),
        ],
      }],
    });
    this.model = new DetectorModel(this, 'Model', {
      definition: new DetectorModelDefinition({ detectorModelName: 'all-model', detectorKey: 'deviceId', initialState: normal, inputs: [readings] }),
      inputs: [input],
    });
    this.model.seed('Seed', {
      messages: [{ messageId: 'm1', inputName: 'AllReadings', payload: { deviceId: 'a', temperature: 20, line: 'l1' } }],
      detectors: [{ messageId: 'd1', detectorModelName: 'all-model', keyValue: 'b', state: { stateName: 'Normal', variables: [], timers: [] } }],
    });
    const caller = new iam.Role(this, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    input.grantWrite(caller);
    this.model.grantRead(caller);
  }
}
