import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DetectorRuntime } from './detector-runtime';
import { wholeSeconds } from './private/durations';
import { BATCH_PUT_MESSAGE } from './private/runtime-names';
import { fromTopicFilter, selectAliases, sqlQuotingProblem, topicFilterProblem, topicFilterSqlProblem, topicLevels } from './private/topic-rule-sql';
import { InputDefinition } from '../detector/input-definition';
import { attributePathSteps } from '../private/detector-engine/expression/compiler';
import { didYouMean } from '../private/near-miss';
import { KinesisExport } from '../stream-manager/exports';

/**
 * Properties of a detector input.
 */
export interface DetectorInputProps {
  /** The input: its name and the payload attributes detector models read. */
  readonly definition: InputDefinition;

  /**
   * The runtime the input belongs to.
   *
   * @default - the stack's runtime (`DetectorRuntime.of(this)`)
   */
  readonly runtime?: DetectorRuntime;
}

/**
 * Options of a Kinesis source of a detector input.
 */
export interface DetectorKinesisSourceOptions {
  /**
   * Where the ingest function starts reading the stream.
   *
   * @default lambda.StartingPosition.LATEST
   */
  readonly startingPosition?: lambda.StartingPosition;

  /**
   * Records per ingest invocation (1-10 000).
   *
   * @default 100
   */
  readonly batchSize?: number;

  /**
   * How long Lambda gathers records before it invokes the ingest function: a whole number of seconds from 0 to 300.
   *
   * @default Duration.seconds(1)
   */
  readonly maxBatchingWindow?: Duration;

  /**
   * How many times a failing batch is retried (halved each time) before its records go to the runtime's
   * ingest failure queue.
   *
   * @default 10
   */
  readonly retryAttempts?: number;
}

/**
 * Options of an AWS IoT topic rule that feeds a detector input. Give `sql`, or `topicFilter` (with
 * `topicLevels` to take attributes, such as the detector key, from the topic).
 */
export interface DetectorTopicRuleOptions {
  /**
   * The rule's SQL (version 2016-03-23), e.g. `SELECT *, topic(3) AS deviceId FROM 'factory/line-1/+/telemetry'`.
   * Its output is one message of the input. The FROM clause's topic filter is checked at synth.
   *
   * @default - built from `topicFilter` and `topicLevels`
   */
  readonly sql?: string;

  /**
   * The MQTT topic filter of the rule (`+` and `#` wildcards), e.g. `factory/line-1/+/telemetry`: the rule is
   * `SELECT *[, topic(n) AS <attribute>...] FROM '<topicFilter>'`.
   *
   * @default - `sql` is given
   */
  readonly topicFilter?: string;

  /**
   * Attributes taken from topic levels (1-based), added to the payload: `{ deviceId: 3 }` selects
   * `topic(3) AS deviceId`. Use it when the detector key is in the topic, not in the payload. Each must be an
   * attribute of the input (a model reads only those); so must each alias (`AS <name>`) of a `sql`.
   *
   * @default - none
   */
  readonly topicLevels?: { [attribute: string]: number };

  /**
   * Where the rule sends a message it could not deliver (its error action): a CloudWatch Logs log group.
   *
   * @default - the runtime's rule error queue (SQS), watched by an alarm
   */
  readonly errorLogGroup?: logs.ILogGroup;

  /**
   * The rule's description.
   *
   * @default - names the input
   */
  readonly description?: string;
}

/**
 * An input of a detector runtime: the name messages are sent to and the attributes detector models read (as
 * `@aws-cdk/aws-iotevents-alpha`'s `Input`). Messages arrive through the Data API (`BatchPutMessage`, see
 * `grantWrite`), from Kinesis streams (`addKinesisSource`, `addStreamExport`: a Stream Manager export) and from
 * MQTT topics (`addTopicRule`).
 *
 * Order: every message goes to the runtime's FIFO queue in the message group of its detector (model, key), so a
 * detector sees its messages one at a time, in queue order. Stream Manager gives every Kinesis record a random
 * partition key, so records of one device are spread over the shards and Kinesis keeps no order between them:
 * the ingest function sorts the messages of one detector in each batch by their arrival timestamp
 * (`approximateArrivalTimestamp`) before queuing them. Guaranteed: per-key order by arrival timestamp within an
 * ingest batch; across batches (and across shards), the order in which the batches were ingested.
 */
export class DetectorInput extends Construct {
  /** The input's name. */
  public readonly inputName: string;

  /** The input's definition. */
  public readonly definition: InputDefinition;

  /** The runtime the input belongs to. */
  public readonly runtime: DetectorRuntime;

  private topicQueue?: sqs.Queue;

  constructor(scope: Construct, id: string, props: DetectorInputProps) {
    super(scope, id);
    this.definition = props.definition;
    this.inputName = props.definition.inputName;
    this.runtime = props.runtime ?? DetectorRuntime.of(this);
    this.runtime._registerInput(this.inputName, this);
  }

  /**
   * Lets `grantee` send messages to the runtime's inputs with `BatchPutMessage` (`execute-api:Invoke` on
   * POST /inputs/messages). API Gateway authorizes per method, so the grant covers every input of the runtime.
   */
  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    return this.runtime._grantMethods(grantee, [BATCH_PUT_MESSAGE]);
  }

  /**
   * Feeds the input from a Kinesis data stream: each record's data is one message payload (JSON). The runtime's
   * ingest function reads the stream (Lambda event source; `kinesis:GetRecords` and the rest granted on this
   * stream only); records it cannot route after the retries go to the runtime's ingest failure queue. A stream
   * feeds one input.
   *
   * @param stream the stream, e.g. the one a Stream Manager `KinesisExport` writes to
   */
  public addKinesisSource(stream: kinesis.IStream, options: DetectorKinesisSourceOptions = {}): void {
    const ingest = this.runtime.ingestFunction;
    this.runtime._addKinesisInput(stream.streamArn, this.inputName, `input '${this.inputName}' addKinesisSource`);
    const batchSize = options.batchSize ?? 100;
    if (batchSize < 1 || batchSize > 10_000 || !Number.isInteger(batchSize)) {
      throw new Error(`input '${this.inputName}' addKinesisSource batchSize is ${batchSize}; use a whole number from 1 to 10000 (Lambda's limit for Kinesis)`);
    }
    const maxBatchingWindow = options.maxBatchingWindow ?? Duration.seconds(1);
    if (!maxBatchingWindow.isUnresolved()) {
      wholeSeconds(maxBatchingWindow, `input '${this.inputName}' addKinesisSource maxBatchingWindow`, 0, 300, "Lambda's limit for Kinesis");
    }
    ingest.addEventSource(new KinesisEventSource(stream, {
      startingPosition: options.startingPosition ?? lambda.StartingPosition.LATEST,
      batchSize,
      maxBatchingWindow,
      retryAttempts: options.retryAttempts ?? 10,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(this.runtime._ingestFailureQueue),
    }));
  }

  /**
   * Feeds the input from the Kinesis stream a Stream Manager stream exports to (the export's stream): the same as
   * `addKinesisSource(kinesisExport.stream)`.
   */
  public addStreamExport(kinesisExport: KinesisExport, options: DetectorKinesisSourceOptions = {}): void {
    this.addKinesisSource(kinesisExport.stream, options);
  }

  /**
   * Feeds the input from MQTT: an AWS IoT topic rule whose SQS action sends each selected message to the input's
   * queue (a standard queue, SSE, with a dead-letter queue), read by the runtime's ingest function (batches of
   * up to 100 within 1 s). The rule's role may send only to that queue and to the error destination.
   *
   * @returns the rule
   * @throws if neither or both of `sql` and `topicFilter` are given, if the FROM clause's topic filter breaks the
   *   MQTT wildcard rules or AWS IoT's quotas, or if a `topicLevels` level is not in the filter
   */
  public addTopicRule(id: string, options: DetectorTopicRuleOptions): iot.CfnTopicRule {
    const where = `input '${this.inputName}' addTopicRule('${id}')`;
    const sql = this.ruleSql(where, options);
    const queue = this.ruleQueue();
    const stack = Stack.of(this);
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('iot.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: `cdk-greengrass-v2 detector input ${this.inputName}: topic rule ${id} sends to the input's queue`,
    });
    queue.grantSendMessages(role);
    let errorAction: iot.CfnTopicRule.ActionProperty;
    if (options.errorLogGroup) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        resources: [options.errorLogGroup.logGroupArn],
      }));
      errorAction = { cloudwatchLogs: { logGroupName: options.errorLogGroup.logGroupName, roleArn: role.roleArn } };
    } else {
      const errors = this.runtime._ruleErrorQueue;
      errors.grantSendMessages(role);
      errorAction = { sqs: { queueUrl: errors.queueUrl, roleArn: role.roleArn, useBase64: false } };
    }
    const rule = new iot.CfnTopicRule(this, id, {
      topicRulePayload: {
        sql,
        awsIotSqlVersion: '2016-03-23',
        ruleDisabled: false,
        description: options.description ?? `Feeds the detector input ${this.inputName}`,
        actions: [{ sqs: { queueUrl: queue.queueUrl, roleArn: role.roleArn, useBase64: false } }],
        errorAction,
      },
    });
    rule.node.addDependency(role);
    return rule;
  }

  private ruleSql(where: string, options: DetectorTopicRuleOptions): string {
    if ((options.sql === undefined) === (options.topicFilter === undefined)) {
      throw new Error(`${where}: give exactly one of sql and topicFilter, got ${options.sql === undefined ? 'neither' : 'both'}`);
    }
    if (options.sql !== undefined && options.topicLevels !== undefined) {
      throw new Error(`${where}: topicLevels works with topicFilter only; with sql, select the levels yourself (topic(3) AS deviceId)`);
    }
    let sql: string;
    if (options.topicFilter !== undefined) {
      const filter = options.topicFilter;
      this.checkFilter(where, 'topicFilter', filter);
      const extra = Object.entries(options.topicLevels ?? {}).map(([attribute, level]) => {
        if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(attribute)) {
          throw new Error(`${where}: topicLevels attribute '${attribute}' is not a valid IoT SQL alias; use letters, digits and underscores, starting with a letter`);
        }
        this.checkAttribute(where, `topicLevels attribute '${attribute}'`, attribute);
        const levels = topicLevels(filter);
        if (!Number.isInteger(level) || level < 1 || (level > levels && !filter.endsWith('#'))) {
          throw new Error(`${where}: topicLevels.${attribute} is ${level}, but topic filter '${filter}' has ${levels} levels; use a level from 1 to ${levels}`);
        }
        return `, topic(${level}) AS ${attribute}`;
      }).join('');
      sql = `SELECT *${extra} FROM '${filter}'`;
    } else {
      sql = options.sql!;
      const quoting = Token.isUnresolved(sql) ? undefined : sqlQuotingProblem(sql);
      if (quoting) {
        throw new Error(`${where}: sql ${JSON.stringify(sql)} is not valid AWS IoT SQL: ${quoting}; fix the quoting, or rename the topic`);
      }
      const filter = fromTopicFilter(sql);
      if (filter === undefined) {
        throw new Error(`${where}: sql '${sql}' has no FROM '<topic filter>' clause; write SELECT ... FROM 'my/topic/+'`);
      }
      this.checkFilter(where, 'the FROM clause', filter);
      if (!Token.isUnresolved(sql)) {
        for (const alias of selectAliases(sql)) this.checkAttribute(where, `sql alias '${alias}' (AS ${alias})`, alias);
      }
    }
    return sql;
  }

  /**
   * An attribute the rule adds to the message must be one the input has (a model reads only those): an attribute,
   * or the first level of a nested one (`motor` for `motor.id`).
   */
  private checkAttribute(where: string, what: string, attribute: string): void {
    const paths = this.definition.attributeJsonPaths;
    const tops = [...new Set(paths.map((p) => attributePathSteps(p)[0]))];
    if (tops.includes(attribute)) return;
    throw new Error(`${where}: ${what} is not an attribute of input '${this.inputName}' (its attributes: ${paths.map((p) => `'${p}'`).join(', ') || 'none'}), `
      + `so no detector model could read it; ${didYouMean(attribute, tops)}name one of its attributes, or add '${attribute}' to the input's attributeJsonPaths`);
  }

  private checkFilter(where: string, what: string, filter: string): void {
    if (Token.isUnresolved(filter)) return;
    const inSql = topicFilterSqlProblem(filter);
    if (inSql) {
      throw new Error(`${where}: ${what} '${filter}' cannot be used in a topic rule: ${inSql}; rename the topic, or match that level with '+'`);
    }
    const problem = topicFilterProblem(filter);
    if (problem) {
      throw new Error(`${where}: ${what} '${filter}' is not a valid MQTT topic filter: ${problem}; `
        + 'levels are separated by /, + stands for one whole level and # for all remaining levels (last only)');
    }
  }

  private ruleQueue(): sqs.Queue {
    if (!this.topicQueue) {
      const dlq = new sqs.Queue(this, 'TopicDeadLetterQueue', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      const ingestTimeout = this.runtime.ingestFunction.timeout ?? Duration.minutes(1);
      this.topicQueue = new sqs.Queue(this, 'TopicQueue', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(ingestTimeout.toSeconds() * 6),
        deadLetterQueue: { queue: dlq, maxReceiveCount: 5 },
      });
      this.runtime._addQueueInput(this.topicQueue.queueArn, this.inputName);
      this.runtime.ingestFunction.addEventSource(new SqsEventSource(this.topicQueue, {
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
      }));
      this.runtime._alarm('TopicDeadLetterQueueAlarm', this, dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        `Messages of detector input ${this.inputName} the ingest function failed 5 times`);
    }
    return this.topicQueue;
  }
}
