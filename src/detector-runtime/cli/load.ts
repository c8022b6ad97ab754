/**
 * Reads the files `greengrass-detectors serve` is given into detector models and inputs. A file holds:
 * - a detector model in any form `DetectorModelDefinition.fromJson` reads (CreateDetectorModel request,
 *   DescribeDetectorModel response, `AWS::IoTEvents::DetectorModel` resource or its Properties),
 * - an input in any form `InputDefinition.fromJson` reads,
 * - `{ "inputs": [...], "detectorModel": {...} }` (the detector-model fixtures' form),
 * - a CloudFormation template (its `AWS::IoTEvents::Input` resources and its one `AWS::IoTEvents::DetectorModel`),
 * - or a JSON array of any of these.
 * Inputs are read first, so that a model's `Ref` to an input resolves against every input given.
 */
import * as fs from 'node:fs';
import { DetectorModelDefinition } from '../../detector/detector-model-definition';
import { InputDefinition } from '../../detector/input-definition';

/** What the files hold. */
export interface LoadedDefinitions {
  readonly detectorModels: DetectorModelDefinition[];
  readonly inputs: InputDefinition[];
}

function isObject(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function looksLikeModel(j: Record<string, any>): boolean {
  return j.Type === 'AWS::IoTEvents::DetectorModel' || isObject(j.detectorModel) || isObject(j.detectorModelDefinition)
    || isObject(j.DetectorModelDefinition);
}

/** Reads the files; throws naming the file and what is wrong with it. */
export function loadDefinitionFiles(files: readonly string[]): LoadedDefinitions {
  const inputs: InputDefinition[] = [];
  const models: Array<{ file: string; json: unknown }> = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e: any) {
      const problem = e?.code === 'ENOENT' ? 'no such file' : e?.code === 'EISDIR' ? 'is a folder' : `cannot read it (${e?.message})`;
      throw new Error(`${file}: ${problem}; pass a JSON file holding a detector model or an input`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e: any) {
      throw new Error(`${file}: cannot read it as JSON (${e.message}); pass a detector model or an input as a JSON file`);
    }
    const add = (json: unknown, where: string) => {
      try {
        if (!isObject(json)) throw new Error(`expected a JSON object, got ${JSON.stringify(json)?.slice(0, 60)}`);
        if (Array.isArray(json.inputs) && isObject(json.detectorModel)) {
          for (const i of json.inputs) inputs.push(InputDefinition.fromJson(i));
          models.push({ file: where, json: json.detectorModel });
        } else if (isObject(json.Resources)) {
          const resources = Object.values(json.Resources) as any[];
          for (const r of resources) if (r?.Type === 'AWS::IoTEvents::Input') inputs.push(InputDefinition.fromJson(r));
          if (resources.some((r) => r?.Type === 'AWS::IoTEvents::DetectorModel')) models.push({ file: where, json });
        } else if (looksLikeModel(json)) {
          models.push({ file: where, json });
        } else {
          inputs.push(InputDefinition.fromJson(json));
        }
      } catch (e: any) {
        throw new Error(`${where}: ${e.message}`);
      }
    };
    if (Array.isArray(parsed)) parsed.forEach((j, i) => add(j, `${file}[${i}]`));
    else add(parsed, file);
  }
  const byName = new Map<string, InputDefinition>();
  for (const input of inputs) {
    const seen = byName.get(input.inputName);
    if (seen && JSON.stringify(seen._renderApi()) !== JSON.stringify(input._renderApi())) {
      throw new Error(`input '${input.inputName}' is given twice with different attributes; give each input once`);
    }
    byName.set(input.inputName, seen ?? input);
  }
  inputs.splice(0, inputs.length, ...byName.values());
  const detectorModels = models.map(({ file, json }) => {
    try {
      return DetectorModelDefinition.fromJson(json, { inputs });
    } catch (e: any) {
      throw new Error(`${file}: ${e.message}`);
    }
  });
  if (detectorModels.length === 0) {
    throw new Error(`no detector model in ${files.join(', ') || '(no file given)'}; pass at least one file holding a detector model`);
  }
  return { detectorModels, inputs };
}
