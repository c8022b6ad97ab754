import { Token } from 'aws-cdk-lib';
import { InputDefinition } from './input-definition';
import { importStates } from './private/model-import';
import { isObject, normalizeJson, pickField, replaceWord } from './private/model-json';
import { checkDetectorModel } from './private/model-quotas';
import { State } from './state';
import { CompileOptions } from '../private/detector-engine/evaluator';
import { DetectorModelShape, InputShape } from '../private/detector-engine/evaluator/api-shapes';
import { checkExpressionsWithoutInputs, compileChecked, continueProblem, detectorKeyProblem } from '../private/detector-engine/model-validate';

/**
 * The order in which a detector evaluates the events of a group (IoT Events' `evaluationMethod`).
 */
export enum EventEvaluation {
  /**
   * Every condition of a group (onEnter, onInput with its transitions, onExit) sees the variables as they
   * were when the group began; the actions run after all conditions are evaluated.
   */
  BATCH = 'BATCH',
  /**
   * Events are evaluated in the order defined, each seeing the variables the previous ones set.
   */
  SERIAL = 'SERIAL',
}

/**
 * Properties of a detector model definition.
 */
export interface DetectorModelDefinitionProps {
  /**
   * The name of the detector model (1-128 characters, `^[a-zA-Z0-9_-]+$`).
   *
   * @default - none: the simulator calls it 'DetectorModel' (or 'DetectorModel2', ... when several are unnamed);
   *   `DetectorModel` generates one from its construct path
   */
  readonly detectorModelName?: string;

  /**
   * A brief description (at most 1024 characters).
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * How events are evaluated.
   *
   * @default EventEvaluation.BATCH
   */
  readonly evaluationMethod?: EventEvaluation;

  /**
   * The JSON path of the payload attribute whose value identifies a detector (one detector per value),
   * e.g. `motorid` or `payload.deviceId`. Once the inputs are known (`inputs`, the simulator, `DetectorModel`),
   * it must be one of the attributes of an input the model reads, or a path inside one (`payload.deviceId` when
   * `payload` is an attribute), as `$input` references must: a message without the key reaches no detector.
   *
   * @default - one detector for all messages
   */
  readonly detectorKey?: string;

  /**
   * The state a new detector starts in. The model's states are this one and every state a transition
   * leads to, transitively.
   */
  readonly initialState: State;

  /**
   * The inputs the model reads. When given, every expression is parsed and checked against them here
   * (unknown inputs, attributes, variables, timers, wrong function arguments fail with the state, the
   * event and the position), and so is `detectorKey`.
   *
   * @default - expressions are checked without the inputs now (syntax, variables, timers, function
   *   arguments), and against the inputs when the model is given to a `DetectorSimulator`
   */
  readonly inputs?: InputDefinition[];
}

/**
 * Options of `DetectorModelDefinition.fromJson`.
 */
export interface DetectorModelImportOptions {
  /**
   * Values of the CloudFormation intrinsics in the JSON: a `Ref` by logical ID (`{ MyInput08947B23: 'test_input' }`)
   * or pseudo parameter (`{ 'AWS::Region': 'eu-west-1' }`), an `Fn::GetAtt` by `<logicalId>.<attribute>`
   * (`{ 'MyFunction3BAA72D1.Arn': fn.functionArn }`), an `Fn::ImportValue` by export name. A value may be a CDK token.
   *
   * @default - a `Ref` to an `AWS::IoTEvents::Input` of the same template stands for its InputName and a `Ref` to a
   *   template parameter for its Default; any other `Ref` in an expression is matched to an input when the inputs
   *   are known (an input of that name, else the only input). Other intrinsics are kept as written in the fields
   *   of actions that call other services (`lambda.functionArn`, `sns.targetArn`, ...) and fail anywhere else
   */
  readonly refs?: { [logicalId: string]: string };

  /**
   * The inputs the model reads, to check its expressions and its key now (see `DetectorModelDefinitionProps.inputs`).
   * A key that is a near miss of an attribute, or another input's attribute, fails; a key that no input declares
   * and no attribute is close to is accepted, as IoT Events accepted it (it reads the key from the whole payload),
   * and the simulator and `DetectorModel` warn about it.
   *
   * @default - checked when the model is given to a `DetectorSimulator`
   */
  readonly inputs?: InputDefinition[];
}

const IMPORTED_STATES = Symbol('importedStates');
const IMPORTED = Symbol('imported');

/**
 * An AWS IoT Events detector model: states with events, transitions and actions, the detector key and the
 * evaluation method. A value object (`DetectorModel` deploys it), checked against IoT Events' rules and quotas
 * when it is created; `DetectorSimulator` runs it.
 *
 * @see https://docs.aws.amazon.com/iotevents/latest/apireference/API_CreateDetectorModel.html
 */
export class DetectorModelDefinition {
  /**
   * Reads a detector model from any of its published JSON forms:
   * - a CreateDetectorModel request (`{ detectorModelName, key?, evaluationMethod?, detectorModelDefinition }`),
   * - DescribeDetectorModel's `detectorModel` (`{ detectorModelConfiguration, detectorModelDefinition }`) or the
   *   whole response,
   * - the Properties of an `AWS::IoTEvents::DetectorModel` (PascalCase: `DetectorModelName`, `Key`,
   *   `DetectorModelDefinition.States[].OnInput.TransitionEvents`, ...), the resource itself, or a whole
   *   template with one detector model.
   * - a bare `DetectorModelDefinition` (`{ states, initialStateName }`), as `--detector-model-definition` takes it.
   * `null` members count as absent. `Fn::Join` and `Fn::Sub` of known values are joined; a `Ref` stands for a name
   * (see `options.refs`). An intrinsic known only at deployment (`Fn::GetAtt`, `AWS::Region`, ...) is kept as
   * written in a field that names an action's target (`lambda.functionArn`, ...) and throws anywhere else, naming
   * where it is and the `refs` entry that gives its value.
   *
   * @throws if the JSON is none of these forms or breaks an IoT Events rule
   */
  public static fromJson(json: any, options: DetectorModelImportOptions = {}): DetectorModelDefinition {
    if (typeof json === 'string') {
      throw new Error(`detector model json must be an object, got a string (${JSON.stringify(json.slice(0, 80))}${json.length > 80 ? '…' : ''}); `
        + 'parse it first: DetectorModelDefinition.fromJson(JSON.parse(text))');
    }
    if (!isObject(json)) throw new Error(`detector model json must be an object, got ${JSON.stringify(json)}`);
    let src: any = json;
    const templateRefs: Record<string, string> = {};
    const resourceTypes: Record<string, string> = {};
    let parameters: Record<string, any> = {};
    if (isObject(src.Resources)) {
      const models = Object.entries(src.Resources).filter(([, r]: [string, any]) => r?.Type === 'AWS::IoTEvents::DetectorModel');
      if (models.length !== 1) {
        throw new Error(`template has ${models.length} AWS::IoTEvents::DetectorModel resources; pass the one to read (its Properties)`);
      }
      if (isObject(src.Parameters)) parameters = src.Parameters;
      for (const [id, r] of Object.entries(src.Resources) as Array<[string, any]>) {
        if (typeof r?.Type === 'string') resourceTypes[id] = r.Type;
      }
      for (const [id, r] of Object.entries(src.Resources) as Array<[string, any]>) {
        if (r?.Type !== 'AWS::IoTEvents::Input' || r.Properties?.InputName === undefined) continue;
        try {
          const name = normalizeJson(r.Properties.InputName, `Resources.${id}.Properties.InputName`,
            { refs: options.refs, resourceTypes, parameters }).value;
          if (typeof name === 'string') templateRefs[id] = name;
        } catch {
          // its name is known only at deployment: a Ref to it fails where it is used, asking for refs
        }
      }
      src = models[0][1];
    }
    if (src.Type === 'AWS::IoTEvents::DetectorModel' && isObject(src.Properties)) src = src.Properties;
    if (isObject(src.detectorModel)) src = src.detectorModel;
    // a bare DetectorModelDefinition ({ states, initialStateName }), as --detector-model-definition and SDK scripts take it
    if (pickField(src, 'detectorModelDefinition') === undefined && Array.isArray(pickField(src, 'states'))) {
      src = { detectorModelDefinition: src };
    }
    const config: any = isObject(src.detectorModelConfiguration) ? src.detectorModelConfiguration : src;
    // Only the fields a detector model needs are read (RoleArn, Tags and the like may hold any intrinsic).
    const normalized = normalizeJson({
      detectorModelName: pickField(config, 'detectorModelName'),
      key: pickField(config, 'key'),
      evaluationMethod: pickField(config, 'evaluationMethod'),
      detectorModelDescription: pickField(config, 'detectorModelDescription'),
      detectorModelDefinition: pickField(src, 'detectorModelDefinition'),
    }, 'detectorModel', { refs: { ...templateRefs, ...options.refs }, resourceTypes, parameters });
    const n = normalized.value;
    const shape: any = {
      detectorModelName: n.detectorModelName,
      key: n.key,
      evaluationMethod: n.evaluationMethod,
      detectorModelDefinition: n.detectorModelDefinition,
    };
    if (!isObject(shape.detectorModelDefinition)) {
      throw new Error('detector model json has no detectorModelDefinition (nor DetectorModelDefinition); pass a CreateDetectorModel '
        + 'request, DescribeDetectorModel\'s detectorModel or an AWS::IoTEvents::DetectorModel\'s Properties');
    }
    let unresolved = normalized.unresolvedRefs;
    if (unresolved.length > 0 && options.inputs) {
      shape.detectorModelDefinition = resolveRefs(shape.detectorModelDefinition, unresolved, options.inputs.map((i) => i.inputName));
      unresolved = [];
    }
    return DetectorModelDefinition.fromShape(shape, n.detectorModelDescription, unresolved, options.inputs);
  }

  private static fromShape(shape: any, description: string | undefined, unresolvedRefs: string[], inputs?: InputDefinition[]) {
    const where = shape.detectorModelName ? `detector model '${shape.detectorModelName}'` : 'detector model';
    const { states, initial } = importStates(shape.detectorModelDefinition, where);
    for (const [field, v] of [['detectorModelName', shape.detectorModelName], ['key', shape.key], ['evaluationMethod', shape.evaluationMethod], ['detectorModelDescription', description]]) {
      if (v !== undefined && typeof v !== 'string') throw new Error(`${where} ${field} must be a string, got ${JSON.stringify(v)}`);
    }
    const props: DetectorModelDefinitionProps & { [IMPORTED_STATES]?: State[]; [IMPORTED]?: boolean } = {
      detectorModelName: shape.detectorModelName,
      description,
      evaluationMethod: shape.evaluationMethod,
      detectorKey: shape.key,
      initialState: initial,
      inputs,
      [IMPORTED_STATES]: states,
      [IMPORTED]: true,
    };
    const model = new DetectorModelDefinition(props);
    model.unresolvedRefs = unresolvedRefs;
    return model;
  }

  /**
   * The name of the detector model.
   *
   * @default - none
   */
  public readonly detectorModelName?: string;

  /**
   * The description.
   *
   * @default - none
   */
  public readonly description?: string;

  /**
   * The evaluation method.
   *
   * @default - BATCH
   */
  public readonly evaluationMethod?: EventEvaluation;

  /**
   * The detector key (a JSON path).
   *
   * @default - one detector for all messages
   */
  public readonly detectorKey?: string;

  /** The initial state. */
  public readonly initialState: State;

  private readonly states: State[];
  private readonly imported: boolean;
  private unresolvedRefs: string[] = [];

  constructor(props: DetectorModelDefinitionProps) {
    this.detectorModelName = props.detectorModelName;
    this.description = props.description;
    this.evaluationMethod = props.evaluationMethod;
    this.detectorKey = props.detectorKey;
    this.initialState = props.initialState;
    this.states = (props as any)[IMPORTED_STATES] ?? collectStates(props.initialState);
    this.imported = (props as any)[IMPORTED] === true;
    const shape = this._renderApi();
    checkDetectorModel({ ...shape, detectorModelName: this.detectorModelName as string }, props.description);
    if (!Token.isUnresolved(JSON.stringify(shape.detectorModelDefinition))) {
      if (props.inputs) {
        const inputs = props.inputs.map((i) => i._renderApi());
        const compiled = compileChecked(shape, inputs, this._compileOptions());
        this._checkDetectorKey(shape, compiled.inputNames, inputs);
      } else {
        checkExpressionsWithoutInputs(shape);
      }
    }
  }

  /** The names of the model's states, in the order they are rendered. */
  public get stateNames(): string[] {
    return this.states.map((s) => s.stateName);
  }

  /**
   * The model as a CreateDetectorModel request (camelCase, without roleArn and tags):
   * `{ detectorModelName?, detectorModelDescription?, key?, evaluationMethod?, detectorModelDefinition }`.
   */
  public toJson(): any {
    const shape = this._renderApi();
    const out: any = {};
    if (this.detectorModelName !== undefined) out.detectorModelName = this.detectorModelName;
    if (this.description !== undefined) out.detectorModelDescription = this.description;
    if (shape.key !== undefined) out.key = shape.key;
    if (shape.evaluationMethod !== undefined) out.evaluationMethod = shape.evaluationMethod;
    out.detectorModelDefinition = shape.detectorModelDefinition;
    return out;
  }

  /**
   * The model as the evaluator's shape. `detectorModelName` is '' when the model has none.
   *
   * @internal
   */
  public _renderApi(): DetectorModelShape {
    return {
      detectorModelName: this.detectorModelName ?? '',
      ...(this.detectorKey !== undefined ? { key: this.detectorKey } : {}),
      ...(this.evaluationMethod !== undefined ? { evaluationMethod: this.evaluationMethod } : {}),
      detectorModelDefinition: {
        states: this.states.map((s) => s._renderApi()),
        initialStateName: this.initialState.stateName,
      },
    };
  }

  /**
   * How the evaluator compiles this model: a model read by `fromJson` may read attributes its inputs do not declare
   * (IoT Events accepted such models and read the attribute from the whole payload; aws-samples' freezer monitor
   * reads `temp`, which its input does not list), unless the attribute is a near miss of a declared one. A typed
   * model may not.
   *
   * @internal
   */
  public _compileOptions(): CompileOptions {
    return { acceptUndeclaredAttributes: this.imported };
  }

  /**
   * Checks that the inputs the model reads provide its key (see `detectorKeyProblem`); throws when they do not.
   * A model read by `fromJson` whose key is merely undeclared (no attribute is close to it, none of another input)
   * is accepted, as IoT Events accepted it (it reads the key from the whole payload; the published cranes
   * example keys on an attribute its inputs do not list): the returned warning says so.
   *
   * @param shape the model as rendered for these inputs (its name as the caller shows it)
   * @param readInputs the inputs the model reads (`compiled.inputNames`)
   * @param inputs the inputs known to the caller
   * @returns a warning, or `undefined` when the key is provided
   * @internal
   */
  public _checkDetectorKey(shape: DetectorModelShape, readInputs: Iterable<string>, inputs: InputShape[]): string | undefined {
    if (shape.key === undefined || Token.isUnresolved(shape.key) || inputs.some((i) => Token.isUnresolved(JSON.stringify(i)))) return undefined;
    const problem = detectorKeyProblem(shape, readInputs, inputs, this.imported ? 'key' : 'detectorKey');
    if (problem === undefined) return undefined;
    if (this.imported && !problem.mistake) {
      return continueProblem(problem.problem, 'accepted because the model was read from JSON and IoT Events reads the key from the '
        + `whole payload, but a message without it reaches no detector; to declare it, ${problem.fix}`);
    }
    throw new Error(continueProblem(problem.problem, `every message would reach no detector: ${problem.fix}`));
  }

  /**
   * The shape with `Ref`s left unresolved by `fromJson` matched to the given inputs.
   *
   * @internal
   */
  public _renderApiFor(inputNames: string[]): DetectorModelShape {
    const shape = this._renderApi();
    if (this.unresolvedRefs.length === 0) return shape;
    return { ...shape, detectorModelDefinition: resolveRefs(shape.detectorModelDefinition, this.unresolvedRefs, inputNames) };
  }
}

/** The initial state and every state reachable from it through transitions, breadth first. */
function collectStates(initial: State): State[] {
  const seen = new Set<State>([initial]);
  const order = [initial];
  for (let i = 0; i < order.length; i++) {
    for (const t of order[i]._targets()) {
      if (!seen.has(t)) {
        seen.add(t);
        order.push(t);
      }
    }
  }
  const names = new Set<string>();
  for (const s of order) {
    if (names.has(s.stateName)) {
      throw new Error(`two different states are named '${s.stateName}'; state names must be unique within a detector model`);
    }
    names.add(s.stateName);
  }
  return order;
}

/** Replaces each unresolved `Ref` (left as its logical ID) by the input it stands for. */
function resolveRefs(def: any, refs: string[], inputNames: string[]): any {
  let out = def;
  for (const ref of refs) {
    if (inputNames.includes(ref)) continue;
    if (inputNames.length !== 1) {
      throw new Error(`the detector model holds {"Ref": "${ref}"}, which names none of the inputs (${inputNames.join(', ') || 'none'}); `
        + `pass fromJson(json, { refs: { ${ref}: '<inputName>' } })`);
    }
    out = replaceWord(out, ref, inputNames[0]);
  }
  return out;
}
