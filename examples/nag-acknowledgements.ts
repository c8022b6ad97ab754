import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The cdk-nag AwsSolutions findings the example acknowledges, each on one construct, for one finding,
 * with the reason it is acceptable. Everything else the checks find fails `npx projen synth:example`.
 */
export function acknowledgeNagFindings(stack: Stack): void {
  const at = (path: string): IConstruct => {
    const found = stack.node.tryFindChild(path.split('/')[0]) && path.split('/').reduce<IConstruct>(
      (scope, id) => scope.node.findChild(id), stack);
    if (!found) throw new Error(`no construct at ${stack.node.path}/${path}`);
    return found;
  };
  const logicalId = (path: string) => {
    const c = at(path);
    const element = CfnElement.isCfnElement(c) ? c : c.node.defaultChild;
    if (!element || !CfnElement.isCfnElement(element)) throw new Error(`no CloudFormation element at ${c.node.path}`);
    return stack.getLogicalId(element);
  };
  const iam5 = (path: string, finding: string, reason: string) =>
    Validations.of(at(path)).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${finding}]`, reason });
  const scoped = (service: string, resource: string) => `arn:<AWS::Partition>:${service}:<AWS::Region>:<AWS::AccountId>:${resource}`;

  // Actions with no resource type in IAM: only `*` can be written.
  iam5('GreengrassV2ServiceRoleProvider/OnEventRole/DefaultPolicy/Resource', '*',
    'greengrass:AssociateServiceRoleToAccount, GetServiceRoleForAccount and DisassociateServiceRoleFromAccount are account-level actions with no resource type');
  iam5('GreengrassV2IotEndpointsProvider/OnEventRole/DefaultPolicy/Resource', '*',
    'iot:DescribeEndpoint has no resource type');
  iam5('GreengrassV2CertificateProvider/OnEventRole/DefaultPolicy/Resource', '*',
    'iot:CreateCertificateFromCsr and secretsmanager:ListSecrets (metadata only) have no resource type; kms:Decrypt on * is limited by '
    + 'kms:ViaService (Secrets Manager) and kms:EncryptionContext:SecretARN (these devices\' key secrets), to re-encrypt a key from a previous KMS key known only at deploy time');
  iam5('GreengrassV2DeploymentCompletionProvider/Provider/waiter-state-machine/Role/DefaultPolicy/Resource', '*',
    'the CloudWatch Logs delivery actions Step Functions needs to log the waiter state machine (logs:CreateLogDelivery, ...) support only *');

  // Identifiers that exist only at deploy time.
  for (const thing of ['line-1-gateway-1', 'line-1-gateway-2']) {
    iam5('GreengrassV2CertificateProvider/OnEventRole/DefaultPolicy/Resource',
      scoped('secretsmanager', `secret:greengrass/${thing}/certificate-*`),
      "limited to this core device's certificate secret; Secrets Manager appends a random suffix to secret ARNs");
  }
  iam5('GreengrassV2CertificateProvider/OnEventRole/DefaultPolicy/Resource',
    scoped('secretsmanager', 'secret:greengrass/line-2-core-devices-claim/certificate-*'),
    "limited to line 2's claim certificate secret; Secrets Manager appends a random suffix to secret ARNs");
  iam5('GreengrassV2DeploymentCompletionProvider/OnEventRole/DefaultPolicy/Resource', scoped('iot', 'job/*'),
    "the IoT job behind a Greengrass deployment gets its id when the deployment is created; CancelDeployment cancels that job on the caller's behalf");
  iam5('GreengrassV2DeploymentCompletionProvider/IsCompleteRole/DefaultPolicy/Resource', scoped('iot', 'job/*'),
    "the IoT job behind a Greengrass deployment gets its id when the deployment is created; only read actions on the account's jobs");
  iam5('GreengrassV2DeploymentCompletionProvider/IsCompleteRole/DefaultPolicy/Resource', scoped('iot', 'thing/*'),
    "describes the job executions of the few failing devices it names; a thing group's members change at any time");
  iam5('GreengrassServiceRole/Role/Resource', scoped('iot', 'cert/*'),
    'Greengrass verifies client devices by describing their certificates, which are not known to this stack');
  iam5('GreengrassServiceRole/Role/Resource', scoped('iot', 'thing/*-gci'),
    "Greengrass keeps each core device's connectivity information in its <thing>-gci shadow; the service role is per account and region, for every core device");

  // The Provider framework invokes exactly one handler function, on any of its versions.
  const framework: Array<[string, string[]]> = [
    ['GreengrassV2ServiceRoleProvider/FrameworkOnEventRole', ['OnEvent']],
    ['GreengrassV2IotEndpointsProvider/FrameworkOnEventRole', ['OnEvent']],
    ['GreengrassV2CertificateProvider/FrameworkOnEventRole', ['OnEvent']],
    ['GreengrassV2ClientDevicesProvider/FrameworkOnEventRole', ['OnEvent']],
    ['GreengrassV2ConnectivityInfoProvider/FrameworkOnEventRole', ['OnEvent']],
    ['GreengrassV2ThingGroupMembershipProvider/FrameworkOnEventRole', ['OnEvent']],
    ['GreengrassV2DeploymentCompletionProvider/FrameworkOnEventRole', ['OnEvent', 'IsComplete']],
    ['GreengrassV2DetectorRuntimeProvider/FrameworkOnEventRole', ['OnEvent']],
    ['GreengrassV2DeploymentCompletionProvider/FrameworkCompleteAndTimeoutRole', ['OnEvent', 'IsComplete']],
  ];
  for (const [role, functions] of framework) {
    const provider = role.split('/')[0];
    for (const fn of functions) {
      iam5(`${role}/DefaultPolicy/Resource`, `<${logicalId(`${provider}/${fn}`)}.Arn>:*`,
        'the custom-resource provider framework invokes this one handler function (any version)');
    }
  }
  for (const fn of ['framework-isComplete', 'framework-onTimeout']) {
    iam5('GreengrassV2DeploymentCompletionProvider/Provider/waiter-state-machine/Role/DefaultPolicy/Resource',
      `<${logicalId(`GreengrassV2DeploymentCompletionProvider/Provider/${fn}`)}.Arn>:*`,
      "the waiter state machine invokes the provider framework's own function (any version)");
  }
  Validations.of(at('GreengrassV2DeploymentCompletionProvider/Provider/waiter-state-machine/Resource')).acknowledge({
    id: 'AwsSolutions::AwsSolutions-SF2',
    reason: 'the custom-resource provider framework offers no X-Ray tracing setting for its waiter state machine; it logs all events',
  });

  // The devices' token-exchange roles (one per line): the documented minimal policy, and a stream export.
  for (const line of ['Line1', 'Line2']) {
    iam5(`${line}/TokenExchange/Role/DefaultPolicy/Resource`, scoped('logs', 'log-group:/aws/greengrass/*'),
      'the Greengrass log manager writes one log group per component under /aws/greengrass/ (documented minimal token-exchange policy)');
    iam5(`${line}/TokenExchange/Role/DefaultPolicy/Resource`, scoped('logs', 'log-group:/aws/greengrass/*:log-stream:/*/thing/<credentials-iot:ThingName>'),
      "each device writes log events only to its own /<date>/thing/<thing name> log streams; the date is part of the stream's name");
    iam5(`${line}/TokenExchange/Role/DefaultPolicy/Resource`, 'arn:<AWS::Partition>:s3:::*',
      's3:GetBucketLocation on the buckets that hold artifacts (documented minimal token-exchange policy); reads are granted per object');
    iam5(`${line}/TokenExchange/Role/DefaultPolicy/Resource`, `<${logicalId('Uploads')}.Arn>/devices/<credentials-iot:ThingName>/*`,
      'the S3 export tasks of the camera-files stream write objects whose keys are chosen on the device, each device only under devices/<its thing name>/');
  }

  // The detector runtime.
  const runtime = 'GreengrassV2DetectorRuntime';
  const ack = (path: string, id: string, reason: string) => Validations.of(at(path)).acknowledge({ id: `AwsSolutions::${id}`, reason });
  iam5(`${runtime}/ProcessorRole/DefaultPolicy/Resource`,
    scoped('scheduler', `schedule/${(at(`${runtime}/Timers`) as any).scheduleGroupName}/*`),
    "detector timers are one-time schedules named after the detector and timer (t-<sha256>), known only at run time; only this runtime's schedule group");
  iam5(`${runtime}/ProcessorRole/DefaultPolicy/Resource`, scoped('iot', 'topic/factory/line-1/alerts/*'),
    "the detector's alert topic names the device (factory/line-1/alerts/<deviceId>) from each reading; only the line's alert topics");
  for (const method of ['inputs/messages/POST', 'detectors/POST', 'detectors/delete/POST', 'detectors/delete/GET', 'detectors/delete/keyValues/GET',
    'detectors/{detectorModelName}/GET', 'detectors/{detectorModelName}/keyValues/GET']) {
    ack(`${runtime}/Api/Default/${method}/Resource`, 'AwsSolutions-COG4',
      'the Data API authorizes with IAM (SigV4), as the AWS IoT Events Data API did, so that existing callers keep their signer; callers are IAM principals');
  }
  ack(`${runtime}/Api/DeploymentStage.prod/Resource`, 'AwsSolutions-APIG6',
    "execution logging needs the account's API Gateway CloudWatch role (AWS::ApiGateway::Account, one per account and region), which this stack does not own; "
    + 'the access log records every request (DetectorRuntime executionLoggingLevel turns execution logging on)');
  ack(`${runtime}/Api/DeploymentStage.prod/Resource`, 'AwsSolutions-APIG3',
    'every method requires a SigV4 signature of an IAM principal allowed execute-api:Invoke, and the stage is throttled; a WAF web ACL is left to the account');
  ack(`${runtime}/IngestFailures/Resource`, 'AwsSolutions-SQS3',
    "it is the dead-letter destination of the ingest function's Kinesis event sources (on-failure destination), watched by an alarm");

  // Line 2's fleet-provisioning role: AWS IoT registers devices that do not exist yet.
  iam5('Line2/ProvisioningRole/DefaultPolicy/Resource', '*',
    'iot:RegisterThing has no resource type (what it does is limited by the other statements); ListPrincipalThings and ListAttachedPolicies only read a certificate\'s attachments');
  iam5('Line2/ProvisioningRole/DefaultPolicy/Resource', scoped('iot', 'thing/line-2-*'),
    'each device registers as line-2-<serial number> at first connection (the template names it so); only things of this fleet');
  iam5('Line2/ProvisioningRole/DefaultPolicy/Resource', scoped('iot', 'cert/*'),
    'AWS IoT creates each device certificate during registration, so its id is unknown until then; only describe, activate and attach');
}
