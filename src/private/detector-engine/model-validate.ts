import { CompileOptions, compileDetectorModel, CompiledDetectorModel } from './evaluator';
import { DetectorModelShape, InputShape } from './evaluator/api-shapes';

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
