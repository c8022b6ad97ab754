import { distance } from 'fastest-levenshtein';
import { CompileOptions, compileDetectorModel, CompiledDetectorModel } from './evaluator';
import { DetectorModelShape, InputShape } from './evaluator/api-shapes';
import { attributePathSteps, nearMiss, normalizeAttributePath } from './expression';

/** One problem the evaluator found in an expression. */
interface Problem {
  readonly state?: string;
  readonly event?: string;
  readonly field?: string;
  readonly position?: number;
  readonly message: string;
}

/**
 * Parses and checks every expression of the model against its inputs (the evaluator's compiler) and
 * throws one error naming, for each problem, the state, the event, the field and the position.
 */
export function compileChecked(model: DetectorModelShape, inputs: InputShape[], options: CompileOptions = {}): CompiledDetectorModel {
  try {
    return compileDetectorModel(model, inputs, options);
  } catch (e: any) {
    const problems: Problem[] | undefined = e?.problems;
    if (!Array.isArray(problems)) throw e;
    throwExpressionProblems(model, problems);
    throw e;
  }
}

/** The problems that depend on the inputs (unknown inputs and attributes). */
const INPUT_PROBLEM = /^(unknown input '|input '[^']*' has no attribute )/;

/**
 * Checks what can be checked without the inputs: syntax, variables, timers, function arguments, types of
 * literals. Problems with inputs and their attributes wait until the inputs are known.
 */
export function checkExpressionsWithoutInputs(model: DetectorModelShape): void {
  try {
    compileDetectorModel(model, []);
  } catch (e: any) {
    const problems: Problem[] | undefined = e?.problems;
    if (!Array.isArray(problems)) throw e;
    const left = problems.filter((p) => !INPUT_PROBLEM.test(p.message));
    if (left.length > 0) throwExpressionProblems(model, left);
  }
}

function throwExpressionProblems(model: DetectorModelShape, problems: Problem[]): never {
  const name = model.detectorModelName ? `detector model '${model.detectorModelName}'` : 'detector model';
  const lines = problems.slice(0, 20).map((p) => {
    const where = [
      p.state !== undefined ? `state '${p.state}'` : undefined,
      p.event !== undefined ? `event '${p.event}'` : undefined,
      p.field !== undefined ? p.field : undefined,
      p.position !== undefined ? `at position ${p.position}` : undefined,
    ].filter((x) => x !== undefined).join(', ');
    return `  - ${where ? `${where}: ` : ''}${p.message}`;
  });
  const more = problems.length > 20 ? `\n  (${problems.length - 20} more)` : '';
  throw new Error(`${name} has ${problems.length} expression problem${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}${more}`);
}

/** Checks the expressions (see `compileChecked`). */
export function checkExpressions(model: DetectorModelShape, inputs: InputShape[]): void {
  compileChecked(model, inputs);
}

/** Why a detector key is not provided by the inputs a model reads. */
export interface DetectorKeyProblem {
  /** What is wrong: the key, the inputs' attributes and the nearest attribute. */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;
  /**
   * The key is surely a mistake: a near miss of an attribute (`deviceID` for `deviceId`), an object holding
   * attributes (`payload` for `payload.deviceId`), or an attribute of an input the model does not read.
   */
  readonly mistake: boolean;
}

/**
 * Checks that the inputs the model reads provide its key, the way `$input` references are checked: the key is
 * one of their attributes or a path inside one (`payload.deviceId` when `payload` is an attribute). An
 * attribute inside the key's path (`payload.deviceId` when the key is `payload`) does not count: the key would
 * be an object, which is no key value. `readInputs` are the inputs the model reads (`compiled.inputNames`); when
 * it reads none of `inputs`, all of them are considered. `keyField` names the field in messages (`detectorKey`).
 */
export function detectorKeyProblem(
  model: DetectorModelShape, readInputs: Iterable<string>, inputs: InputShape[], keyField: string = 'key',
): DetectorKeyProblem | undefined {
  const key = model.key;
  if (key === undefined || key === null || key === '' || inputs.length === 0) return undefined;
  const attributesOf = (i: InputShape) => (i.inputDefinition?.attributes ?? []).map((a) => normalizeAttributePath(a.jsonPath));
  const provides = (i: InputShape, path: string) => attributesOf(i).some((a) => a === path || path.startsWith(a + '.'));
  const path = normalizeAttributePath(key);
  const read = new Set(readInputs);
  let candidates = inputs.filter((i) => read.has(i.inputName));
  if (candidates.length === 0) candidates = inputs;
  if (candidates.some((i) => provides(i, path))) return undefined;

  const name = model.detectorModelName ? `detector model '${model.detectorModelName}'` : 'detector model';
  const listed = candidates.map((i) => `${i.inputName}: ${attributesOf(i).join(', ') || 'none'}`).join('; ');
  const head = `${name} ${keyField} '${key}' is not an attribute, nor a path inside one, of the input${candidates.length > 1 ? 's' : ''} `
    + `it reads (${listed})`;
  const fix = `set ${keyField} to one of these attributes or a path inside one, or add '${key}' to the attributeJsonPaths of `
    + 'the input whose messages carry it';

  const elsewhere = inputs.filter((i) => !candidates.includes(i) && provides(i, path)).map((i) => i.inputName);
  if (elsewhere.length > 0) {
    return { mistake: true, fix, problem: `${head}; it is an attribute of ${elsewhere.map((n) => `'${n}'`).join(', ')}, which the model does not read` };
  }
  const attributes = [...new Set(candidates.flatMap(attributesOf))];
  const plain = (p: string) => attributePathSteps(p).join('.');
  const wanted = plain(path);
  const byPlain = new Map(attributes.map((a) => [plain(a), a]));
  const lastStep = (p: string) => p.slice(p.lastIndexOf('.') + 1).toLowerCase();
  const inside = attributes.filter((a) => a.startsWith(path + '.'));
  const typo = nearMiss(byPlain.keys(), wanted)
    ?? [...byPlain.keys()].find((a) => a.toLowerCase() !== wanted.toLowerCase() && lastStep(a) === lastStep(wanted));
  if (typo !== undefined) return { mistake: true, fix, problem: `${head}: did you mean '${byPlain.get(typo)}'?` };
  if (inside.length > 0) {
    return { mistake: true, fix, problem: `${head}; it holds the attribute '${inside[0]}', and an object is no key value: did you mean '${inside[0]}'?` };
  }
  // no near miss: the attribute that shares most of the key's last step, else the closest by edit distance
  const part = lastStep(wanted);
  let nearest = [...byPlain.keys()].find((a) => lastStep(a).includes(part) || part.includes(lastStep(a)));
  if (nearest === undefined) {
    let best = Infinity;
    for (const p of byPlain.keys()) {
      const d = distance(p.toLowerCase(), wanted.toLowerCase());
      if (d < best) {
        best = d;
        nearest = p;
      }
    }
  }
  return { mistake: false, fix, problem: `${head}; the nearest attribute is '${nearest === undefined ? 'none' : byPlain.get(nearest)}'` };
}

/** `problem` and what follows it, with '; ' unless the problem ends in a question. */
export function continueProblem(problem: string, next: string): string {
  return problem.endsWith('?') ? `${problem} ${next}` : `${problem}; ${next}`;
}
