import { CfnOutput, Duration, Fn, Lazy, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { wholeSeconds } from './private/durations';
import { DataApiFunction } from './private/handlers/data-api-function';
import { IngestFunction } from './private/handlers/ingest-function';
import { ProcessorFunction } from './private/handlers/processor-function';
import { DATA_API_METHODS, DataApiMethod, ENV, READ_DETECTORS, executeApiResources } from './private/runtime-names';
import { acknowledgeFinding, acknowledgeWildcardResources } from '../private/nag';

/**
 * Properties of a detector runtime.
 */
export interface DetectorRuntimeProps {
  /**
   * What happens to the detector table (detector state and the registered models) when the runtime is removed
   * from the stack or the stack is deleted. Detector state is user data.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Retention of the functions' log groups and of the Data API's access log.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Steady-state request rate of the Data API stage, in requests per second (API Gateway stage throttling;
   * above it callers get `429 ThrottlingException`-like `TooManyRequestsException`).
   *
   * @default 100
   */
  readonly apiThrottlingRateLimit?: number;

  /**
   * Burst of the Data API stage, in requests.
   *
   * @default 200
   */
  readonly apiThrottlingBurstLimit?: number;

  /**
   * Execution logging of the Data API stage (CloudWatch Logs, all methods). API Gateway needs the account's
   * CloudWatch role (`AWS::ApiGateway::Account`, once per account and region) before a stage may log.
   *
   * @default - off (the access log is always on)
   */
  readonly executionLoggingLevel?: apigateway.MethodLoggingLevel;

  /**
   * How long the processor function may run for one batch of 10 queue messages: a whole number of seconds
   * from 1 to 900 (Lambda's maximum). The queue's visibility timeout is 6 times it.
   *
   * @default Duration.minutes(1)
   */
  readonly processorTimeout?: Duration;
}

/**
 * The shared infrastructure that runs detector models on AWS, in place of AWS IoT Events: one DynamoDB table
 * (detector state and registered models), one SQS FIFO queue (one message group per detector: per-key order)
 * with a FIFO dead-letter queue, the processor, ingest and Data API functions, an API Gateway REST API with the
 * IoT Events Data API's paths (IAM auth), an EventBridge Scheduler group for the timers, and CloudWatch alarms.
 *
 * One per stack unless you create one yourself: `DetectorRuntime.of(scope)` returns the stack's runtime and
 * creates it the first time. `DetectorInput` and `DetectorModel` use it when given none.
 *
 * @see https://docs.aws.amazon.com/iotevents/latest/apireference/API_Operations_AWS_IoT_Events_Data.html
 */
export class DetectorRuntime extends Construct {
  /**
   * The stack's default runtime (construct id `GreengrassV2DetectorRuntime` at the stack's root), created on first use.
   */
  public static of(scope: IConstruct): DetectorRuntime {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(DEFAULT_ID);
    if (existing) {
      if (!(existing instanceof DetectorRuntime)) {
        throw new Error(`construct id '${DEFAULT_ID}' is already used at the root of stack ${stack.stackName} by something that is not a DetectorRuntime; rename that construct`);
      }
      return existing;
    }
    return new DetectorRuntime(stack, DEFAULT_ID);
  }

  /**
   * The detector table: partition key `pk` (S); GSI `byModel` (`detectorModelName`, `keyValue`). Items
   * `detector#<model>#<keyValue>` (state, version, recent work ids, outbox) and `model#<name>` (definition).
   */
  public readonly table: dynamodb.Table;

  /** The FIFO queue every piece of work goes through, one message group per (model, key). */
  public readonly queue: sqs.Queue;

  /** The FIFO dead-letter queue: work the processor failed 5 times. */
  public readonly deadLetterQueue: sqs.Queue;

  /** Evaluates the queued work: state writes, timers and actions. */
  public readonly processorFunction: lambda.Function;

  /** Turns Kinesis records and IoT topic-rule messages into queued work. */
  public readonly ingestFunction: lambda.Function;

  /** Serves the Data API behind `api`. */
  public readonly dataApiFunction: lambda.Function;

  /** The Data API: API Gateway REST API, IAM auth, stage `prod`. */
  public readonly api: apigateway.RestApi;
  private readonly endpointWithoutSlash: string;

  /** The schedule group of the detectors' timers (one-time schedules that delete themselves). */
  public readonly scheduleGroup: scheduler.ScheduleGroup;

  /** The role EventBridge Scheduler uses to deliver a timer to the queue (sqs:SendMessage on the queue only). */
  public readonly schedulerRole: iam.Role;

  /**
   * The failure alarms (no actions: add yours with `alarm.addAlarmAction(...)`): the dead-letter queue holds work,
   * a function failed, Scheduler failed to deliver or dropped a timer; inputs add theirs (rule errors, ingest
   * failures, their queues' dead letters).
   */
  public readonly alarms: cloudwatch.Alarm[] = [];

  private readonly logRetention: logs.RetentionDays;
  private readonly methods = new Map<string, apigateway.Method>();
  private readonly modelNames: string[] = [];
  private readonly inputs = new Map<string, IConstruct>();
  private readonly kinesisInputs: Record<string, string> = {};
  private readonly queueInputs: Record<string, string> = {};
  private ruleErrors?: sqs.Queue;
  private ingestFailures?: sqs.Queue;

  constructor(scope: Construct, id: string, props: DetectorRuntimeProps = {}) {
    super(scope, id);
    this.logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    const processorTimeout = props.processorTimeout ?? Duration.minutes(1);
    const processorSeconds = wholeSeconds(processorTimeout, 'detector runtime processorTimeout', 1, MAX_LAMBDA_TIMEOUT_SECONDS,
      "Lambda's 15-minute maximum");

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: 'byModel',
      partitionKey: { name: 'detectorModelName', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'keyValue', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    const baseName = Names.uniqueResourceName(this, { maxLength: 48 });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: `${baseName}-detector-dlq.fifo`,
      fifo: true,
      contentBasedDeduplication: false,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: `${baseName}-detector-events.fifo`,
      fifo: true,
      // EventBridge Scheduler sends to a FIFO queue only with content-based deduplication on (SqsParameters has no
      // deduplication id). Ingest still sets its own MessageDeduplicationId, which takes precedence.
      contentBasedDeduplication: true,
      // High-throughput FIFO: the quota applies per message group (per detector), not per queue.
      fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Lambda's advice: six times the function timeout, so that retries of a batch do not overlap.
      visibilityTimeout: Duration.seconds(processorSeconds * 6),
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });

    // The group holds only pending timers; deleting it deletes them (nothing fires into a deleted queue).
    this.scheduleGroup = new scheduler.ScheduleGroup(this, 'Timers', { removalPolicy: RemovalPolicy.DESTROY });
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'cdk-greengrass-v2 detector runtime: EventBridge Scheduler delivers detector timers to the FIFO queue',
    });
    this.queue.grantSendMessages(this.schedulerRole);

    const env: Record<string, string> = {
      [ENV.table]: this.table.tableName,
      [ENV.queueUrl]: this.queue.queueUrl,
      [ENV.queueArn]: this.queue.queueArn,
      [ENV.scheduleGroup]: this.scheduleGroup.scheduleGroupName,
      [ENV.schedulerRoleArn]: this.schedulerRole.roleArn,
      [ENV.modelNames]: Lazy.string({ produce: () => this.modelNames.join(',') }),
      POWERTOOLS_SERVICE_NAME: 'detector-runtime',
    };

    this.processorFunction = this.handler('Processor', (s, i, p) => new ProcessorFunction(s, i, p), {
      timeout: processorTimeout,
      memorySize: 512,
      environment: env,
      description: 'cdk-greengrass-v2 detector runtime: evaluates queued messages, timers and updates per detector',
    });
    this.ingestFunction = this.handler('Ingest', (s, i, p) => new IngestFunction(s, i, p), {
      timeout: Duration.minutes(1),
      memorySize: 512,
      environment: {
        ...env,
        [ENV.kinesisInputs]: Lazy.string({ produce: () => Stack.of(this).toJsonString(this.kinesisInputs) }),
        [ENV.queueInputs]: Lazy.string({ produce: () => Stack.of(this).toJsonString(this.queueInputs) }),
      },
      description: 'cdk-greengrass-v2 detector runtime: routes Kinesis and IoT rule messages to the detector queue',
    });
    this.dataApiFunction = this.handler('DataApi', (s, i, p) => new DataApiFunction(s, i, p), {
      timeout: Duration.seconds(29),
      memorySize: 512,
      environment: env,
      description: 'cdk-greengrass-v2 detector runtime: the IoT Events Data API',
    });

    // Per-function grants, each what its handler does.
    // Exact table grants, what each handler sends (the `grant*Data` helpers would add index/* and batch actions):
    // the processor reads a detector and writes it back with a conditional PutItem; ingest reads model items;
    // the Data API reads detectors and models and queries the byModel index (ListDetectors).
    const tableStatement = (actions: string[], withIndex = false) => new iam.PolicyStatement({
      actions: actions.map((a) => `dynamodb:${a}`),
      resources: [this.table.tableArn, ...(withIndex ? [`${this.table.tableArn}/index/byModel`] : [])],
    });
    this.processorFunction.addToRolePolicy(tableStatement(['GetItem', 'PutItem']));
    this.queue.grantSendMessages(this.processorFunction); // re-injection (iotEvents actions)
    this.processorFunction.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }));
    const stack = Stack.of(this);
    const schedules = stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${this.scheduleGroup.scheduleGroupName}/*` });
    this.processorFunction.addToRolePolicy(new iam.PolicyStatement({
      actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
      resources: [schedules],
    }));
    acknowledgeWildcardResources(this.processorFunction.role!, [schedules], 'detector timers are one-time schedules named after the detector '
      + "and timer (t-<sha256>), known only at run time; only the schedules of this runtime's group");
    this.processorFunction.addToRolePolicy(new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [this.schedulerRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    }));
    this.ingestFunction.addToRolePolicy(tableStatement(['GetItem']));
    this.queue.grantSendMessages(this.ingestFunction);
    this.dataApiFunction.addToRolePolicy(tableStatement(['GetItem', 'Query'], true));
    this.queue.grantSendMessages(this.dataApiFunction);

    this.api = this.restApi(props);
    this.endpointWithoutSlash = Fn.join('', ['https://', this.api.restApiId, '.execute-api.', stack.region, '.', stack.urlSuffix, '/', this.api.deploymentStage.stageName]);
    // RestApi's own output holds the URL with a trailing slash, which IoT Events Data clients double
    const endpointOutput = this.api.node.tryFindChild('Endpoint');
    if (endpointOutput instanceof CfnOutput) {
      endpointOutput.value = this.endpointWithoutSlash;
      endpointOutput.description = 'The detector Data API endpoint for IoT Events Data clients (SigV4 service name execute-api)';
    }

    this.alarm('DeadLetterQueueAlarm', this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      'Detector work failed 5 times and waits in the dead-letter queue');
    this.alarm('ProcessorErrorsAlarm', this.processorFunction.metricErrors({ period: Duration.minutes(5) }), 'The detector processor function failed');
    this.alarm('IngestErrorsAlarm', this.ingestFunction.metricErrors({ period: Duration.minutes(5) }), 'The detector ingest function failed');
    this.alarm('DataApiErrorsAlarm', this.dataApiFunction.metricErrors({ period: Duration.minutes(5) }), 'The detector Data API function failed');
    this.alarm('TimerErrorsAlarm', this.scheduleGroup.metricTargetErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      'EventBridge Scheduler failed to deliver a detector timer to the queue (it retries)');
    this.alarm('TimersDroppedAlarm', this.scheduleGroup.metricDropped({ period: Duration.minutes(5), statistic: 'Sum' }),
      'EventBridge Scheduler dropped a detector timer after its retries: the timer did not fire');
  }

  /**
   * The Data API's base URL as API Gateway gives it, with a trailing slash:
   * `https://<api-id>.execute-api.<region>.<url suffix>/prod/`. `DetectorDataClient` takes it as is; for an
   * `@aws-sdk/client-iot-events-data` client use `dataApiEndpoint`, since the SDK adds a `/` of its own.
   */
  public get apiUrl(): string {
    return this.api.url;
  }

  /**
   * The Data API's endpoint for an IoT Events Data client, without a trailing slash:
   * `https://<api-id>.execute-api.<region>.<url suffix>/prod`. The SDK appends each operation's path
   * (`/inputs/messages`), so a trailing slash would make it `/prod//inputs/messages`, which matches no method.
   * Sign with SigV4 for the service name `execute-api`. The stack output `<runtime>ApiEndpoint…` holds it.
   */
  public get dataApiEndpoint(): string {
    return this.endpointWithoutSlash;
  }

  /**
   * Lets `grantee` call every Data API operation (`execute-api:Invoke` on POST /inputs/messages, POST /detectors,
   * POST /detectors/delete and GET /detectors/*).
   */
  public grantDataApi(grantee: iam.IGrantable): iam.Grant {
    return this.grantMethods(grantee, DATA_API_METHODS);
  }

  /**
   * Lets `grantee` call DescribeDetector and ListDetectors on every model of the runtime
   * (`execute-api:Invoke` on GET /detectors/*).
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantMethods(grantee, [READ_DETECTORS]);
  }

  /**
   * Lets `grantee` call the given Data API methods (`execute-api:Invoke` on exactly those).
   *
   * @internal
   */
  public _grantMethods(grantee: iam.IGrantable, methods: DataApiMethod[]): iam.Grant {
    return this.grantMethods(grantee, methods);
  }

  /** @internal */
  public _registerModel(name: string): void {
    if (this.modelNames.includes(name)) {
      throw new Error(`detectorModelName '${name}' is already registered in the detector runtime ${this.node.path}; give each DetectorModel of a runtime its own name`);
    }
    this.modelNames.push(name);
  }

  /** @internal */
  public _registerInput(name: string, input: IConstruct): void {
    const other = this.inputs.get(name);
    if (other) {
      throw new Error(`inputName '${name}' is already used by ${other.node.path} in the detector runtime ${this.node.path}; give each DetectorInput of a runtime its own name`);
    }
    this.inputs.set(name, input);
  }

  /** The input construct of that name in this runtime. @internal */
  public _input(name: string): IConstruct | undefined {
    return this.inputs.get(name);
  }

  /** The names of the inputs of this runtime. @internal */
  public get _inputNames(): string[] {
    return [...this.inputs.keys()];
  }

  /** @internal */
  public _addKinesisInput(streamArn: string, inputName: string, where: string): void {
    const key = Stack.of(this).resolve(streamArn);
    const k = JSON.stringify(key);
    for (const [arn, name] of Object.entries(this.kinesisInputs)) {
      if (JSON.stringify(Stack.of(this).resolve(arn)) === k) {
        throw new Error(`${where}: the Kinesis stream already feeds input '${name}' of this runtime; a stream feeds one input (its records are that input's messages)`);
      }
    }
    this.kinesisInputs[streamArn] = inputName;
  }

  /** @internal */
  public _addQueueInput(queueArn: string, inputName: string): void {
    this.queueInputs[queueArn] = inputName;
  }

  /** The failure queue of the Kinesis event sources (records the ingest function failed), created on first use. @internal */
  public get _ingestFailureQueue(): sqs.Queue {
    if (!this.ingestFailures) {
      this.ingestFailures = new sqs.Queue(this, 'IngestFailures', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      acknowledgeFinding(this.ingestFailures, 'SQS3', 'it is itself a dead-letter destination: the on-failure destination of the ingest '
        + "function's Kinesis event sources, watched by the IngestFailuresAlarm; nothing reads it to fail again");
      this.alarm('IngestFailuresAlarm', this.ingestFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        'Kinesis records the ingest function could not route (their shard, sequence numbers and batch are in the failure queue)');
    }
    return this.ingestFailures;
  }

  /** The error queue of the topic rules (messages a rule could not deliver), created on first use. @internal */
  public get _ruleErrorQueue(): sqs.Queue {
    if (!this.ruleErrors) {
      this.ruleErrors = new sqs.Queue(this, 'RuleErrors', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      acknowledgeFinding(this.ruleErrors, 'SQS3', "it is itself a dead-letter destination: the error action of the detector inputs' topic "
        + 'rules, watched by the RuleErrorsAlarm; nothing reads it to fail again');
      this.alarm('RuleErrorsAlarm', this.ruleErrors.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        'An IoT topic rule of a detector input failed to deliver a message (the rule error action sent it to the error queue)');
    }
    return this.ruleErrors;
  }

  /** A failure alarm: at least 1 over one period. @internal */
  public _alarm(id: string, scope: Construct, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(scope, id, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    this.alarms.push(alarm);
    return alarm;
  }

  private alarm(id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm {
    return this._alarm(id, this, metric, description);
  }

  private grantMethods(grantee: iam.IGrantable, methods: DataApiMethod[]): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: executeApiResources(this.api, methods),
    });
  }

  /** A handler function with its own log group and a role that may write only there. */
  private handler(id: string, factory: (s: Construct, i: string, p: lambda.FunctionOptions) => lambda.Function,
    options: lambda.FunctionOptions): lambda.Function {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention: this.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `cdk-greengrass-v2 detector runtime: ${id} function`,
      inlinePolicies: {
        Logs: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] })],
        }),
      },
    });
    return factory(this, id, { ...options, role, logGroup, loggingFormat: lambda.LoggingFormat.JSON });
  }

  private restApi(props: DetectorRuntimeProps): apigateway.RestApi {
    const accessLogs = new logs.LogGroup(this, 'DataApiAccessLogs', { retention: this.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    const api = new apigateway.RestApi(this, 'Api', {
      restApiName: `${Names.uniqueResourceName(this, { maxLength: 100 })}-detector-data-api`,
      description: 'cdk-greengrass-v2 detector runtime: the AWS IoT Events Data API (IAM auth)',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: false,
      deployOptions: {
        stageName: 'prod',
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        throttlingRateLimit: props.apiThrottlingRateLimit ?? 100,
        throttlingBurstLimit: props.apiThrottlingBurstLimit ?? 200,
        ...(props.executionLoggingLevel ? { loggingLevel: props.executionLoggingLevel, dataTraceEnabled: false } : {}),
      },
      defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM },
    });
    if (props.executionLoggingLevel === undefined) {
      acknowledgeFinding(api.deploymentStage, 'APIG6', "execution logging needs the account's API Gateway CloudWatch role "
        + '(AWS::ApiGateway::Account, one per account and region), which a library cannot own; the access log records every request, and '
        + 'the executionLoggingLevel prop turns execution logging on');
    }
    acknowledgeFinding(api.deploymentStage, 'APIG3', 'every method requires a SigV4 signature of an IAM principal allowed execute-api:Invoke '
      + 'on it, and the stage is throttled (apiThrottlingRateLimit); a WAF web ACL is the account\'s choice (associate one with the stage ARN)');
    const validator = api.addRequestValidator('Validator', { validateRequestParameters: true, validateRequestBody: true });
    // Errors API Gateway itself returns carry the error type the IoT Events Data clients read (x-amzn-ErrorType).
    const gatewayError = (id: string, type: apigateway.ResponseType, statusCode: string, errorType: string, message: string) =>
      api.addGatewayResponse(id, {
        type,
        statusCode,
        responseHeaders: { 'x-amzn-ErrorType': `'${errorType}'` },
        templates: { 'application/json': `{"message": ${message}}` },
      });
    gatewayError('BadRequestBody', apigateway.ResponseType.BAD_REQUEST_BODY, '400', 'InvalidRequestException', '"$context.error.validationErrorString"');
    gatewayError('BadRequestParameters', apigateway.ResponseType.BAD_REQUEST_PARAMETERS, '400', 'InvalidRequestException', '"$context.error.validationErrorString"');
    gatewayError('Throttled', apigateway.ResponseType.THROTTLED, '429', 'ThrottlingException', '$context.error.messageString');
    const bodyModel = (id: string, member: string, required: string[]) => api.addModel(id, {
      contentType: 'application/json',
      schema: {
        schema: apigateway.JsonSchemaVersion.DRAFT4,
        type: apigateway.JsonSchemaType.OBJECT,
        required: [member],
        properties: {
          [member]: {
            type: apigateway.JsonSchemaType.ARRAY,
            minItems: 1,
            items: { type: apigateway.JsonSchemaType.OBJECT, required },
          },
        },
      },
    });
    const models: Record<string, apigateway.IModel> = {
      '/inputs/messages': bodyModel('BatchPutMessageRequest', 'messages', ['messageId', 'inputName', 'payload']),
      '/detectors': bodyModel('BatchUpdateDetectorRequest', 'detectors', ['messageId', 'detectorModelName', 'state']),
      '/detectors/delete': bodyModel('BatchDeleteDetectorRequest', 'detectors', ['messageId', 'detectorModelName']),
    };
    const integration = new apigateway.LambdaIntegration(this.dataApiFunction, { allowTestInvoke: false });
    const options = (path: string, method: string, query: string[] = []): apigateway.MethodOptions => ({
      requestValidator: validator,
      ...(method === 'POST' ? { requestModels: { 'application/json': models[path] } } : {}),
      ...(query.length > 0 ? { requestParameters: Object.fromEntries(query.map((q) => [`method.request.querystring.${q}`, false])) } : {}),
    });
    const add = (resource: apigateway.IResource, method: string, query?: string[]) => {
      const m = resource.addMethod(method, integration, options(resource.path, method, query));
      this.methods.set(`${method} ${resource.path}`, m);
      acknowledgeFinding(m, 'COG4', 'the Data API authorizes with IAM (SigV4), as the AWS IoT Events Data API did, so that existing callers '
        + 'keep their signer; callers are IAM principals granted execute-api:Invoke per method (grantWrite, grantRead, grantDataApi)');
    };
    const inputs = api.root.addResource('inputs').addResource('messages');
    add(inputs, 'POST'); // BatchPutMessage
    const detectors = api.root.addResource('detectors');
    add(detectors, 'POST'); // BatchUpdateDetector
    const del = detectors.addResource('delete');
    add(del, 'POST'); // BatchDeleteDetector
    const model = detectors.addResource('{detectorModelName}');
    add(model, 'GET', ['stateName', 'maxResults', 'nextToken']); // ListDetectors
    add(model.addResource('keyValues'), 'GET', ['keyValue']); // DescribeDetector
    // A model named 'delete': API Gateway matches the static /detectors/delete first, so its reads are routed there.
    add(del, 'GET', ['stateName', 'maxResults', 'nextToken']);
    add(del.addResource('keyValues'), 'GET', ['keyValue']);
    return api;
  }
}

const DEFAULT_ID = 'GreengrassV2DetectorRuntime';
/** Lambda's largest function timeout (15 minutes). */
const MAX_LAMBDA_TIMEOUT_SECONDS = 900;

