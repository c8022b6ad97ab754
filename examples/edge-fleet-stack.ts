import * as path from 'path';
import { Duration, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  AbortCriterion, AbortFailureType, AccessControl, Artifact, ComponentUpdatePolicy, ComponentVersion,
  CoreDeviceCertificate, CoreDeviceFleet, Deployment, DeploymentCompletion, DeploymentDeletion, DetectorInput, DetectorModel,
  FailureHandling, GreengrassServiceRole, KinesisExport, LifecycleStep, MqttTopicAccess, OfflineDevices,
  Platform, PreProvisioningHook, ProvisionedCoreDeviceFleet, PublicComponent, RateIncreaseCriteria, Recipe,
  RecipeVariables, Rollout, S3TaskExport, StatusLevel, StreamDefinition, StreamProvisioner, SuccessThreshold,
} from '../src';
import { lineOverheatDetector, lineTelemetryInput } from './line-telemetry-detector';

/**
 * A production line's edge fleet: two Greengrass core devices in one thing group, a sensor-reading
 * component built from a local directory, a component imported from a GDK recipe, Stream Manager
 * streams exported to Kinesis and S3, and one deployment that rolls out gradually and waits for the
 * fleet. A second line's core devices provision themselves by claim (no resource per device), and
 * get their own deployment. The telemetry the devices export to Kinesis feeds a detector per sensor
 * (overheating, silence), whose alarms go to an SNS topic.
 */
export class EdgeFleetStack extends Stack {
  public readonly fleet: CoreDeviceFleet;
  public readonly deployment: Deployment;
  public readonly line2: ProvisionedCoreDeviceFleet;
  public readonly line2Deployment: Deployment;
  /** The topic the detectors' alarms are published to. */
  public readonly alarmTopic: sns.Topic;
  /** The detector model that watches the telemetry stream, deployed to the stack's detector runtime. */
  public readonly telemetryDetector: DetectorModel;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    // Server access logs are delivered under a bucket policy rather than a legacy ACL.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    // Greengrass needs its service role once per account and region (client devices, connectivity).
    new GreengrassServiceRole(this, 'GreengrassServiceRole');

    // Core devices: things, generated certificates (keys in Secrets Manager), a least-privilege IoT
    // policy each, one token-exchange role and role alias for the whole thing group.
    const sensors = ['line-1-sensor-1', 'line-1-sensor-2'].map((thingName) =>
      new iot.CfnThing(this, `ClientDevice-${thingName}`, { thingName }));
    this.fleet = new CoreDeviceFleet(this, 'Line1', {
      thingGroupName: 'line-1',
      mqttTopics: [MqttTopicAccess.publish('factory/line-1/*')],
    });
    const gateway = this.fleet.addCoreDevice('line-1-gateway-1', {
      certificate: CoreDeviceCertificate.generated({ encryptionKey: new kms.Key(this, 'CertificateKey', { enableKeyRotation: true }) }),
      clientDeviceThingNames: sensors.map((s) => s.thingName!),
      connectivityInfo: [{ hostAddress: '192.168.1.10' }],
    });
    sensors.forEach((s) => gateway.node.addDependency(s));
    this.fleet.addCoreDevice('line-1-gateway-2');

    // A component built from a local directory: a Python program and its requirements, uploaded as a
    // zipped CDK asset; the version follows the content.
    const program = Artifact.fromAsset(path.join(__dirname, 'components', 'sensor-reader'));
    const sensorReader = new ComponentVersion(this, 'SensorReader', {
      recipe: Recipe.of({
        componentName: 'com.example.SensorReader',
        componentVersion: '1.0.0',
        description: 'Reads the line sensors and publishes readings on local pub/sub.',
        publisher: 'Example Corp',
        defaultConfiguration: { topic: 'factory/line-1/readings', intervalSeconds: 5 },
        accessControl: AccessControl.create().allowPublishToTopic('factory/line-1/readings'),
        manifests: [{
          platform: Platform.linux(),
          artifacts: [program],
          lifecycle: {
            install: LifecycleStep.script(`python3 -m pip install --user -r ${program.decompressedPath}/requirements.txt`, {
              timeout: Duration.minutes(5),
            }),
            run: LifecycleStep.script(
              `python3 -u ${program.decompressedPath}/main.py ${RecipeVariables.configuration('/topic')} ${RecipeVariables.configuration('/intervalSeconds')}`),
          },
        }],
      }),
    });

    // A component imported from an existing GDK recipe file, placeholders replaced.
    const diskReporter = new ComponentVersion(this, 'DiskReporter', {
      recipe: Recipe.fromFile(path.join(__dirname, 'components', 'imported', 'recipe.yaml'), {
        componentName: 'com.example.DiskReporter',
        componentVersion: '1.2.0',
      }),
    });

    // Stream Manager streams, created on the devices by the library's provisioning component; their
    // exports are granted to the fleet's token-exchange role.
    const telemetry = new kinesis.Stream(this, 'Telemetry', { encryption: kinesis.StreamEncryption.MANAGED });
    const telemetryExport = new KinesisExport(telemetry, { identifier: 'to-kinesis', batchSize: 200, batchInterval: Duration.minutes(1) });
    const uploads = new s3.Bucket(this, 'Uploads', {
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      serverAccessLogsPrefix: 'access-logs/',
    });
    const uploadStatus = new StreamDefinition({ streamName: 'upload-status', timeToLive: Duration.days(1) });
    const streams = new StreamProvisioner(this, 'Streams', {
      componentName: 'com.example.LineStreams',
      streams: [
        new StreamDefinition({
          streamName: 'telemetry',
          maxSize: Size.mebibytes(512),
          exports: [telemetryExport],
        }),
        new StreamDefinition({
          streamName: 'camera-files',
          exports: [new S3TaskExport({
            identifier: 'to-s3',
            destinations: [{ bucket: uploads, keyPrefix: 'devices/' }],
            statusStream: uploadStatus,
            statusLevel: StatusLevel.INFO,
          })],
        }),
        uploadStatus,
      ],
    });

    // The detector runtime (created on first use): the records the devices export to Kinesis feed one
    // detector per sensor; its alarms publish to SNS (the topic encrypted with the AWS managed key, which
    // publishers of the account use without a key grant).
    this.alarmTopic = new sns.Topic(this, 'DetectorAlarms', {
      masterKey: kms.Alias.fromAliasName(this, 'SnsManagedKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    const telemetryInput = new DetectorInput(this, 'LineTelemetry', { definition: lineTelemetryInput });
    telemetryInput.addStreamExport(telemetryExport);
    this.telemetryDetector = new DetectorModel(this, 'LineOverheat', {
      definition: lineOverheatDetector(this.alarmTopic),
      inputs: [telemetryInput],
    });

    // One deployment for the thing group: gradual rollout, abort on failures, and `cdk deploy` waits
    // until 95 % of the fleet runs it.
    this.deployment = new Deployment(this, 'Line1Deployment', {
      target: this.fleet,
      deploymentName: 'line-1',
      components: [sensorReader, diskReporter, streams, PublicComponent.logManager('^2.3.0'), PublicComponent.cli('^2.12.0')],
      failureHandling: FailureHandling.ROLLBACK,
      componentUpdatePolicy: ComponentUpdatePolicy.notifyComponents(Duration.minutes(1)),
      rollout: Rollout.exponential({
        baseRatePerMinute: 5,
        incrementFactor: 2,
        rateIncreaseCriteria: RateIncreaseCriteria.succeededThings(10),
        maximumPerMinute: 100,
      }),
      abortCriteria: [
        AbortCriterion.of({ failureType: AbortFailureType.FAILED, thresholdPercentage: 10, minNumberOfExecutedThings: 20 }),
        AbortCriterion.of({ failureType: AbortFailureType.TIMED_OUT, thresholdPercentage: 20, minNumberOfExecutedThings: 20 }),
      ],
      inProgressTimeout: Duration.minutes(30),
      completion: DeploymentCompletion.waitFor({
        timeout: Duration.minutes(45),
        successThreshold: SuccessThreshold.percentage(95),
        offlineDevices: OfflineDevices.EXCLUDE,
        onDelete: DeploymentDeletion.CANCEL,
      }),
    });
    this.deployment.addComponent(PublicComponent.nucleus('^2.12.0'), {
      configurationMerge: { logging: { level: 'INFO' } },
    });

    // Line 2: core devices provisioned by claim. Each device installs the nucleus with the fleet
    // provisioning plugin and the shared claim certificate; AWS IoT creates its thing
    // (line-2-<serial>), certificate and policy attachment at first connection, and only the
    // listed serial numbers may register. The stack's resources do not grow with the fleet.
    this.line2 = new ProvisionedCoreDeviceFleet(this, 'Line2', {
      thingGroupName: 'line-2',
      templateName: 'line-2-core-devices',
      thingNamePrefix: 'line-2-',
      mqttTopics: [MqttTopicAccess.publish('factory/line-2/*')],
      preProvisioningHook: PreProvisioningHook.allowSerialNumbers(
        Array.from({ length: 500 }, (_, i) => `SN-${String(i + 1).padStart(6, '0')}`)),
    });
    // Its own deployment: the sensor reader (its artifact is granted to line 2's role) and the
    // streams (their exports too).
    this.line2Deployment = new Deployment(this, 'Line2Deployment', {
      target: this.line2,
      deploymentName: 'line-2',
      components: [sensorReader, streams, PublicComponent.logManager('^2.3.0')],
      failureHandling: FailureHandling.ROLLBACK,
      rollout: Rollout.exponential({
        baseRatePerMinute: 10,
        incrementFactor: 2,
        rateIncreaseCriteria: RateIncreaseCriteria.succeededThings(20),
        maximumPerMinute: 200,
      }),
      abortCriteria: [AbortCriterion.of({ failureType: AbortFailureType.FAILED, thresholdPercentage: 10, minNumberOfExecutedThings: 20 })],
      inProgressTimeout: Duration.minutes(30),
    });
  }
}
