import { ArnFormat, Aws, Fn, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ActionShape, DetectorModelShape, StateShape } from '../../private/detector-engine/evaluator/api-shapes';

/** Every action of a model, in definition order. */
export function modelActions(model: DetectorModelShape): ActionShape[] {
  const out: ActionShape[] = [];
  const events = (s: StateShape) => [
    ...(s.onEnter?.events ?? []), ...(s.onInput?.events ?? []), ...(s.onInput?.transitionEvents ?? []), ...(s.onExit?.events ?? []),
  ];
  for (const state of model.detectorModelDefinition.states) {
    for (const e of events(state)) out.push(...(e.actions ?? []));
  }
  return out;
}

/**
 * The part of an action's text field known at synth, dynamic parts as `*`:
 * a token stays as it is (a CloudFormation reference); `'literal'` is the literal; `a/${$input.X.y}/b` is `a/* /b`;
 * any other expression (`$input.X.y`, `'a' + $variable.b`) is `*`; plain text is itself.
 */
export function staticText(text: string): string {
  if (Token.isUnresolved(text)) return text;
  const t = text.trim();
  const literal = /^'([^']*)'$/.exec(t) ?? /^"([^"]*)"$/.exec(t);
  if (literal) return literal[1];
  if (t.includes('${')) return t.replace(/\$\{[^}]*\}/g, '*').replace(/\*+/g, '*');
  if (/\$(input|variable)\.|\+|^'|\(/.test(t)) return '*';
  return t;
}

/** An SQS queue ARN from its URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`), token or literal. */
function queueArnOf(stack: Stack, url: string): string {
  if (Token.isUnresolved(url)) {
    const parts = Fn.split('/', url);
    const region = Fn.select(1, Fn.split('.', Fn.select(2, parts)));
    return `arn:${Aws.PARTITION}:sqs:${region}:${Fn.select(3, parts)}:${Fn.select(4, parts)}`;
  }
  const m = /^https:\/\/sqs\.([a-z0-9-]+)\.[^/]+\/(\d{12}|\*)\/([^/]+)$/.exec(url);
  if (m) return `arn:${Aws.PARTITION}:sqs:${m[1]}:${m[2]}:${m[3]}`;
  return stack.formatArn({ service: 'sqs', resource: staticText(url).split('/').pop() || '*' });
}

/**
 * A statement the processor needs for an action; `wildcardReason` when its resource has a `*` for a `${...}`
 * substitution inside an otherwise literal target (the design: the target is known per message, within what is
 * literal). A target that is an expression as a whole grants `*` on the resource type: that is the model
 * author's choice, with no reason here.
 */
export interface ActionGrant {
  readonly statement: iam.PolicyStatement;
  readonly wildcardReason?: string;
}

/** The reason for the wildcard of `target` (an action's text field) when it is a substitution in a literal. */
function substitutionReason(modelName: string, what: string, target: string): string | undefined {
  if (Token.isUnresolved(target) || !target.includes('${')) return undefined;
  const known = staticText(target);
  if (!/[a-zA-Z0-9]/.test(known)) return undefined;
  return `detector model ${modelName} ${what} ${target.trim()}, whose \${...} parts are evaluated per message; `
    + `granted only on what matches ${known}`;
}

/** The statements the processor needs to run the model's external actions, one per action, on exact ARNs. */
export function actionStatements(stack: Stack, model: DetectorModelShape): ActionGrant[] {
  const out: ActionGrant[] = [];
  const name = model.detectorModelName ?? 'DetectorModel';
  const add = (actions: string[], resources: string[], what?: string, target?: string) => out.push({
    statement: new iam.PolicyStatement({ actions, resources }),
    wildcardReason: target !== undefined && what !== undefined ? substitutionReason(name, what, target) : undefined,
  });
  for (const a of modelActions(model)) {
    if (a.sns) {
      const arn = staticText(a.sns.targetArn);
      add(['sns:Publish'], [arn === '*' ? stack.formatArn({ service: 'sns', resource: '*' }) : arn], 'publishes to SNS topic', a.sns.targetArn);
    } else if (a.lambda) {
      const arn = staticText(a.lambda.functionArn);
      add(['lambda:InvokeFunction'], [arn === '*' ? stack.formatArn({ service: 'lambda', resource: 'function', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) : arn],
        'invokes function', a.lambda.functionArn);
    } else if (a.iotTopicPublish) {
      add(['iot:Publish'], [stack.formatArn({ service: 'iot', resource: 'topic', resourceName: staticText(a.iotTopicPublish.mqttTopic) })],
        'publishes to MQTT topic', a.iotTopicPublish.mqttTopic);
    } else if (a.sqs) {
      add(['sqs:SendMessage'], [queueArnOf(stack, a.sqs.queueUrl)], 'sends to queue', a.sqs.queueUrl);
    } else if (a.firehose) {
      add(['firehose:PutRecord'], [stack.formatArn({ service: 'firehose', resource: 'deliverystream', resourceName: staticText(a.firehose.deliveryStreamName) })],
        'puts records to delivery stream', a.firehose.deliveryStreamName);
    } else if (a.dynamoDB || a.dynamoDBv2) {
      const tableName = staticText((a.dynamoDB ?? a.dynamoDBv2)!.tableName);
      const operation = a.dynamoDB?.operation !== undefined ? staticText(a.dynamoDB.operation).toUpperCase() : 'INSERT';
      // The processor sends PutItem for INSERT (the default), UpdateItem for UPDATE and DeleteItem for DELETE.
      const byOperation: Record<string, string[]> = {
        'UPDATE': ['dynamodb:UpdateItem'],
        'DELETE': ['dynamodb:DeleteItem'],
        '*': ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      };
      const actions = byOperation[operation] ?? ['dynamodb:PutItem'];
      add(actions, [stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: tableName })], 'writes to table', (a.dynamoDB ?? a.dynamoDBv2)!.tableName);
    } else if (a.iotSiteWise) {
      const s = a.iotSiteWise;
      // By alias, IAM cannot name the property: every asset and time series (the author's choice, no reason here).
      const resources = s.assetId !== undefined
        ? [stack.formatArn({ service: 'iotsitewise', resource: 'asset', resourceName: staticText(s.assetId) })]
        : [stack.formatArn({ service: 'iotsitewise', resource: 'time-series', resourceName: '*' }), stack.formatArn({ service: 'iotsitewise', resource: 'asset', resourceName: '*' })];
      add(['iotsitewise:BatchPutAssetPropertyValue'], resources, 'writes to IoT SiteWise asset', s.assetId);
    }
  }
  return out;
}

/** The inputs the model's iotEvents actions send to (re-injection). */
export function reinjectedInputs(model: DetectorModelShape): string[] {
  return [...new Set(modelActions(model).filter((a) => a.iotEvents).map((a) => staticText(a.iotEvents!.inputName)))];
}

/** Whether the model publishes to MQTT (the processor then needs the account's IoT data endpoint). */
export function publishesToMqtt(model: DetectorModelShape): boolean {
  return modelActions(model).some((a) => a.iotTopicPublish);
}
