import { Token } from 'aws-cdk-lib';
import { isObject, normalizeJson, pickField } from './private/model-json';
import { checkInput } from './private/model-quotas';
import { InputShape } from '../private/detector-engine/evaluator/api-shapes';

/**
 * Properties of an input definition.
 */
export interface InputDefinitionProps {
  /**
   * The name of the input (`InputName`: 1-128 characters, `^[a-zA-Z][a-zA-Z0-9_]*$`). Expressions read
   * its attributes as `$input.<inputName>.<jsonPath>`.
   */
  readonly inputName: string;

  /**
   * The JSON paths of the payload attributes the input makes available to detector models
   * (`AttributeJsonPath`: `<field>.<field>...`, a field with spaces in backticks; 1-200 paths).
   */
  readonly attributeJsonPaths: string[];

  /**
   * A brief description of the input (at most 1024 characters).
   *
   * @default - no description
   */
  readonly description?: string;
}

/**
 * Options of `InputDefinition.fromJson`.
 */
export interface InputImportOptions {
  /**
   * Values of the CloudFormation intrinsics in the JSON: a `Ref` by logical ID or pseudo parameter
   * (`{ 'AWS::StackName': 'prod' }`), an `Fn::GetAtt` by `<logicalId>.<attribute>`, an `Fn::ImportValue` by export name.
   * For the input of a template that has no `InputName` (CloudFormation generates it), the name by the input's
   * logical ID, the entry `DetectorModelDefinition.fromJson` takes for a `Ref` to it (`{ MyInput08947B23: 'test_input' }`).
   *
   * @default - an input name that holds an intrinsic other than `Fn::Join` or `Fn::Sub` of literals fails,
   *   naming the entry to pass
   */
  readonly refs?: { [logicalId: string]: string };
}

/**
 * An AWS IoT Events input: the name messages are sent to and the payload attributes detector models
 * may read. A value object (`DetectorInput` deploys it); `fromJson` reads the definitions teams already have.
 *
 * @see https://docs.aws.amazon.com/iotevents/latest/apireference/API_CreateInput.html
 */
export class InputDefinition {
  /**
   * Reads an input from any of its published JSON forms:
   * - a CreateInput request (`{ inputName, inputDescription?, inputDefinition: { attributes: [{ jsonPath }] } }`),
   * - DescribeInput's `input` (`{ inputConfiguration: { inputName, ... }, inputDefinition }`) or the whole response,
   * - the Properties of an `AWS::IoTEvents::Input` (`InputName`, `InputDefinition.Attributes[].JsonPath`),
   *   the resource itself (`{ Type, Properties }`), or a whole template with one input (a `Ref` to one of its
   *   parameters stands for the parameter's Default),
   * - `{ inputName, attributes: ['<jsonPath>', ...] }` (the form of the detector-model fixtures).
   *
   * @param json the parsed JSON
   * @param options values of the intrinsics the JSON holds
   * @throws if the JSON is none of these forms, holds an intrinsic whose value is not known (the message names
   *   the `refs` entry to pass), or breaks an IoT Events rule (name pattern, attribute count and pattern)
   */
  public static fromJson(json: any, options: InputImportOptions = {}): InputDefinition {
    if (typeof json === 'string') {
      throw new Error(`input json must be an object, got a string (${JSON.stringify(json.slice(0, 80))}${json.length > 80 ? '…' : ''}); `
        + 'parse it first: InputDefinition.fromJson(JSON.parse(text))');
    }
    if (!isObject(json)) throw new Error(`input json must be an object, got ${JSON.stringify(json)}`);
    let src: any = json;
    let parameters: Record<string, any> = {};
    let logicalId: string | undefined;
    if (isObject(src.Resources)) {
      const inputs = Object.entries(src.Resources).filter(([, r]: [string, any]) => r?.Type === 'AWS::IoTEvents::Input');
      if (inputs.length !== 1) {
        throw new Error(`template has ${inputs.length} AWS::IoTEvents::Input resources (${inputs.map(([id]) => id).join(', ') || 'none'}); `
          + 'pass the one to read (the resource or its Properties)');
      }
      if (isObject(src.Parameters)) parameters = src.Parameters;
      [logicalId, src] = inputs[0];
    }
    if (src.Type === 'AWS::IoTEvents::Input' && isObject(src.Properties)) src = src.Properties;
    if (isObject(src.input)) src = src.input;
    const from: any = isObject(src.inputConfiguration) ? src.inputConfiguration : src;
    // Only the fields an input needs are read (Tags and the like may hold any intrinsic).
    const root = normalizeJson({
      inputName: pickField(from, 'inputName'),
      inputDescription: pickField(from, 'inputDescription') ?? pickField(src, 'inputDescription'),
      inputDefinition: pickField(src, 'inputDefinition'),
      attributes: pickField(src, 'attributes'),
    }, 'input', { refs: options.refs, parameters }).value;
    const config = root;
    // an input without InputName gets a generated name at deployment: refs gives it, by the input's logical ID (as a
    // Ref to the input in the detector model's template stands for it)
    const inputName = config.inputName ?? (logicalId !== undefined ? options.refs?.[logicalId] : undefined);
    if (inputName === undefined && logicalId !== undefined) {
      throw new Error(`input ${logicalId} of the template has no InputName: CloudFormation generates its name at deployment; `
        + `pass the name: fromJson(json, { refs: { ${logicalId}: '<inputName>' } }), as to DetectorModelDefinition.fromJson`);
    }
    if (typeof inputName !== 'string') {
      throw new Error(`input json has no inputName (nor InputName, nor inputConfiguration.inputName): ${JSON.stringify(json).slice(0, 200)}; `
        + 'pass a CreateInput request, DescribeInput\'s input or an AWS::IoTEvents::Input\'s Properties with a literal name');
    }
    const rawAttributes = isObject(root.inputDefinition) ? root.inputDefinition.attributes : root.attributes;
    if (!Array.isArray(rawAttributes)) {
      throw new Error(`input '${inputName}' has no inputDefinition.attributes list; list the attributes as [{ "jsonPath": "..." }]`);
    }
    const attributeJsonPaths = rawAttributes.map((a: any, i: number) => {
      const p = typeof a === 'string' ? a : isObject(a) ? a.jsonPath : undefined;
      if (typeof p !== 'string') {
        throw new Error(`input '${inputName}' attribute ${i} must be { "jsonPath": "<path>" }, got ${JSON.stringify(a)}`);
      }
      return p;
    });
    const description = config.inputDescription ?? root.inputDescription;
    return new InputDefinition({ inputName, attributeJsonPaths, description });
  }

  /** The name of the input. */
  public readonly inputName: string;

  /** The JSON paths of the attributes the input makes available. */
  public readonly attributeJsonPaths: string[];

  /**
   * The description.
   *
   * @default - none
   */
  public readonly description?: string;

  constructor(props: InputDefinitionProps) {
    this.inputName = props.inputName;
    this.attributeJsonPaths = [...props.attributeJsonPaths];
    this.description = props.description;
    if (!Token.isUnresolved(props.inputName)) checkInput(this._renderApi(), props.description);
  }

  /**
   * The input as a CreateInput request (camelCase, without tags):
   * `{ inputName, inputDescription?, inputDefinition: { attributes: [{ jsonPath }] } }`.
   */
  public toJson(): any {
    return {
      inputName: this.inputName,
      ...(this.description !== undefined ? { inputDescription: this.description } : {}),
      inputDefinition: { attributes: this.attributeJsonPaths.map((jsonPath) => ({ jsonPath })) },
    };
  }

  /** @internal */
  public _renderApi(): InputShape {
    return {
      inputName: this.inputName,
      inputDefinition: { attributes: this.attributeJsonPaths.map((jsonPath) => ({ jsonPath })) },
    };
  }
}
