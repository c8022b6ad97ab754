import { createHash } from 'crypto';
import { Annotations, CustomResource, Names, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DetectorInput } from './detector-input';
import { DetectorRuntime } from './detector-runtime';
import { DetectorSeed } from './detector-seed';
import { actionStatements, publishesToMqtt, reinjectedInputs } from './private/action-grants';
import { ENV } from './private/runtime-names';
import { MODEL_RESOURCE_TYPE, ModelResourceProperties } from './private/seed/api';
import { seedProvider } from './private/seed-provider';
import { IotEndpoints } from '../custom-resources/iot-endpoints';
import { DetectorModelDefinition } from '../detector/detector-model-definition';
import { Message, UpdateDetectorRequest } from '../detector/simulator';
import { CompiledDetectorModel, compileDetectorModel, describeProblem, isCloudFormationIntrinsic } from '../private/detector-engine/evaluator';
import { DetectorModelShape } from '../private/detector-engine/evaluator/api-shapes';
import { compileChecked } from '../private/detector-engine/model-validate';
import { acknowledgeWildcardResources } from '../private/nag';

/**
 * Properties of a deployed detector model.
 */
export interface DetectorModelProps {
  /** The model: states, events, actions, key and evaluation method. */
  readonly definition: DetectorModelDefinition;

  /**
   * The inputs the model reads, each a `DetectorInput` of the same runtime. Every input the model's expressions
   * read (`$input.<name>...`, `currentInput("<name>")`) must be here; one that no expression reads gets a synth
   * warning (`cdk-greengrass-v2:detectorInputNotRead`), since messages go only to the models that read their input.
   */
  readonly inputs: DetectorInput[];

  /**
   * The runtime the model runs in.
   *
   * @default - the runtime of the inputs (the stack's runtime when they use it)
   */
  readonly runtime?: DetectorRuntime;
}

/**
 * Options of seeding a detector model at deploy time.
 */
export interface DetectorSeedOptions {
  /**
   * Messages sent with `BatchPutMessage` on every deployment that creates or changes the seed (for example an
   * initial threshold per key, as the published HVAC example does through a seed input). Each message's
   * `messageId` gets a suffix of the deployment, so that the messageId an action reports tells the deployments
   * apart. `payload` is a JSON text or a JSON value.
   *
   * @default - none
   */
  readonly messages?: Message[];

  /**
   * Detectors set with `BatchUpdateDetector` (state, variables and timers), before the messages are sent.
   *
   * @default - none
   */
  readonly detectors?: UpdateDetectorRequest[];
}

/**
 * A detector model deployed to a `DetectorRuntime` (in place of an `AWS::IoTEvents::DetectorModel`): its
 * definition is written to the runtime's table at deploy time (item `model#<name>`), the runtime's functions learn
 * its name, and the processor is granted exactly what its external actions need (`sns:Publish` on the topic,
 * `sqs:SendMessage`, `lambda:InvokeFunction`, `iot:Publish` on the topic, `dynamodb:PutItem`, `firehose:PutRecord`,
 * `iotsitewise:BatchPutAssetPropertyValue`), on the ARNs in the actions (built in the stack's account and region
 * where an action names its resource only; `*` where a part is an expression evaluated per message).
 *
 * @see https://docs.aws.amazon.com/iotevents/latest/apireference/API_CreateDetectorModel.html
 */
export class DetectorModel extends Construct {
  /** The model's name: the definition's, or one generated from the construct path. */
  public readonly detectorModelName: string;

  /** The runtime the model runs in. */
  public readonly runtime: DetectorRuntime;

  /** The model's definition. */
  public readonly definition: DetectorModelDefinition;

  /** The inputs the model reads. */
  public readonly inputs: DetectorInput[];

  /** The deploy-time resource that registers the model in the table; seeds run after it. */
  public readonly registration: CustomResource;

  /** @internal */
  public readonly _shape: DetectorModelShape;

  /** The model compiled at synth (states, variables, timers, key, inputs read), for the seed's checks. @internal */
  public readonly _compiled: CompiledDetectorModel;

  constructor(scope: Construct, id: string, props: DetectorModelProps) {
    super(scope, id);
    this.definition = props.definition;
    this.inputs = [...props.inputs];
    this.runtime = props.runtime ?? props.inputs[0]?.runtime ?? DetectorRuntime.of(this);
    const name = props.definition.detectorModelName
      ?? Names.uniqueResourceName(this, { maxLength: 128, allowedSpecialCharacters: '_-' });
    this.detectorModelName = name;
    const where = `detector model '${name}'`;

    for (const input of this.inputs) {
      if (input.runtime !== this.runtime) {
        throw new Error(`${where}: input '${input.inputName}' (${input.node.path}) belongs to the runtime ${input.runtime.node.path}, `
          + `not to ${this.runtime.node.path}; create the input in the model's runtime (DetectorInput runtime prop)`);
      }
    }
    const inputShapes = this.inputs.map((i) => i.definition._renderApi());
    this._shape = { ...props.definition._renderApiFor(this.inputs.map((i) => i.inputName)), detectorModelName: name };
    const kept = keptIntrinsics(this._shape.detectorModelDefinition, 'detectorModelDefinition');
    if (kept.length > 0) {
      const keys = [...new Set(kept.flatMap((k) => k.refKeys))];
      throw new Error(`${where}: ${kept[0].path} is ${JSON.stringify(kept[0].value)}, an intrinsic of the template the model was read from`
        + `${kept.length > 1 ? ` (and ${kept.length - 1} more)` : ''}; the runtime needs its value: read the model with `
        + `DetectorModelDefinition.fromJson(json, { refs: { ${keys.map((k) => `'${k}': <value>`).join(', ')} } }) `
        + '(a value may be a CDK attribute such as fn.functionArn)');
    }

    // The inputs the expressions read must be inputs of this model (and so of the runtime).
    const readable = withoutTokens(this._shape);
    try {
      this._compiled = compileDetectorModel(readable, inputShapes, props.definition._compileOptions());
    } catch (e: any) {
      const unknown = (e?.problems ?? []).map((p: any) => /^unknown input '([^']+)'/.exec(p.message)?.[1]).filter(Boolean);
      if (unknown.length > 0) {
        const names = [...new Set(unknown)];
        throw new Error(`${where} reads input${names.length > 1 ? 's' : ''} ${names.map((n) => `'${n}'`).join(', ')}, which ${names.length > 1 ? 'are' : 'is'} `
          + `not in its inputs (${this.inputs.map((i) => `'${i.inputName}'`).join(', ') || 'none'}); pass the DetectorInput of each input it reads in inputs`);
      }
      this._compiled = compileChecked(readable, inputShapes, props.definition._compileOptions());
    }
    // The key must be an attribute of the inputs it reads, or every message is dropped.
    const keyWarning = props.definition._checkDetectorKey(this._shape, this._compiled.inputNames, inputShapes);
    if (keyWarning !== undefined) Annotations.of(this).addWarningV2('cdk-greengrass-v2:detectorKeyNotDeclared', keyWarning);
    // A model read from JSON may read attributes its inputs do not declare (read from the whole payload, as IoT Events did).
    for (const u of this._compiled.undeclaredAttributes) {
      Annotations.of(this).addWarningV2('cdk-greengrass-v2:detectorAttributeNotDeclared', `${where} ${describeProblem(u)}`);
    }

    // An input the expressions never read gets no message to this model (routing follows the references, as in IoT Events).
    const unread = this.inputs.filter((i) => !this._compiled.inputNames.has(i.inputName));
    if (unread.length > 0) {
      Annotations.of(this).addWarningV2('cdk-greengrass-v2:detectorInputNotRead', `${where} lists input${unread.length > 1 ? 's' : ''} `
        + `${unread.map((i) => `'${i.inputName}'`).join(', ')} in inputs, but no expression of the model reads ${unread.length > 1 ? 'them' : 'it'}: `
        + 'its messages reach none of its detectors (a model reads an input through $input.<input>.<attribute> or currentInput("<input>")); '
        + 'read it in a condition or an action, or leave it out of inputs');
    }

    this.runtime._registerModel(name);

    // Re-injection (iotEvents actions) goes back through the runtime's routing: the target must be its input.
    const targets = reinjectedInputs(this._shape);
    this.node.addValidation({
      validate: () => targets.filter((t) => t !== '*' && !this.runtime._input(t)).map((t) =>
        `${where} has an iotEvents action to input '${t}', which is not an input of the runtime ${this.runtime.node.path}; `
        + `create new DetectorInput(this, '...', { definition: <input '${t}'>, runtime }) in the same runtime`),
    });

    const stack = Stack.of(this);
    for (const grant of actionStatements(stack, this._shape)) {
      this.runtime.processorFunction.addToRolePolicy(grant.statement);
      if (grant.wildcardReason) acknowledgeWildcardResources(this.runtime.processorFunction.role!, grant.statement.resources, grant.wildcardReason);
    }
    if (publishesToMqtt(this._shape) && !this.runtime.processorFunction.node.tryFindChild('IotDataEndpointSet')) {
      new Construct(this.runtime.processorFunction, 'IotDataEndpointSet');
      this.runtime.processorFunction.addEnvironment(ENV.iotDataEndpoint, IotEndpoints.of(this).dataEndpoint);
    }

    const bytes = Buffer.byteLength(JSON.stringify({ detectorModel: this._shape, inputs: inputShapes }), 'utf8');
    if (bytes > MAX_STORED_DEFINITION_BYTES) {
      throw new Error(`${where}: its definition with its inputs is ${bytes} bytes; the runtime keeps it in one DynamoDB item (at most 400 KB), `
        + `so it accepts at most ${MAX_STORED_DEFINITION_BYTES} bytes; split the model into several detector models`);
    }
    const definitionJson = stack.toJsonString({ detectorModel: this._shape, inputs: inputShapes });
    const provider = seedProvider(this, this.runtime);
    const properties: ModelResourceProperties = {
      TableName: this.runtime.table.tableName,
      DetectorModelName: name,
      Definition: definitionJson,
    };
    this.registration = new CustomResource(this, 'Registration', {
      serviceToken: provider.serviceToken,
      resourceType: MODEL_RESOURCE_TYPE,
      properties,
    });
  }

  /**
   * A hash of the model's definition as CloudFormation will deploy it (changes when the model changes).
   *
   * @internal
   */
  public get _version(): string {
    const stack = Stack.of(this);
    return createHash('sha256').update(JSON.stringify(stack.resolve(this._shape))).digest('hex').slice(0, 32);
  }

  /**
   * Lets `grantee` call DescribeDetector and ListDetectors on this model only (`execute-api:Invoke` on
   * GET /detectors/<name> and GET /detectors/<name>/keyValues).
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.runtime._grantMethods(grantee, [
      { method: 'GET', path: `/detectors/${this.detectorModelName}` },
      { method: 'GET', path: `/detectors/${this.detectorModelName}/keyValues` },
      { method: 'GET', path: `/detectors/${this.detectorModelName}/keyValues/` },
    ]);
  }

  /**
   * Seeds the model at deploy time through the Data API (a `DetectorSeed`).
   */
  public seed(id: string, options: DetectorSeedOptions): DetectorSeed {
    return new DetectorSeed(this, id, { ...options, model: this });
  }
}

/**
 * The CloudFormation intrinsics `DetectorModelDefinition.fromJson` kept as written (action targets known only at
 * deployment of the template they came from), with the `refs` key that gives each one's value.
 */
function keptIntrinsics(value: unknown, path: string): Array<{ path: string; value: unknown; refKeys: string[] }> {
  if (isCloudFormationIntrinsic(value)) return [{ path, value, refKeys: intrinsicKeys(value) }];
  if (Array.isArray(value)) return value.flatMap((v, i) => keptIntrinsics(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => keptIntrinsics(v, `${path}.${k}`));
  return [];
}

/** The `refs` keys of the `Ref`s (logical ID) and `Fn::GetAtt`s (`<logicalId>.<attribute>`) inside an intrinsic. */
function intrinsicKeys(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v === null || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (typeof o.Ref === 'string') out.push(o.Ref);
    const att = o['Fn::GetAtt'];
    if (att !== undefined) out.push(Array.isArray(att) ? att.join('.') : String(att));
    Object.values(o).forEach(walk);
  };
  walk(value);
  return out.length > 0 ? out : ['<logicalId>'];
}

/** The model item holds the definition (DynamoDB's 400 KB per item, 1 KB kept for the other attributes). */
const MAX_STORED_DEFINITION_BYTES = 400 * 1024 - 1024;

/** The shape with every token replaced by a placeholder, for the expression compiler. */
function withoutTokens(shape: DetectorModelShape): DetectorModelShape {
  const walk = (v: any): any => {
    if (typeof v === 'string') return Token.isUnresolved(v) ? 'deploy-time-value' : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(shape);
}
