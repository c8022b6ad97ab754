/**
 * Checks an IoT Events expression tree and compiles it to a JavaScript closure.
 *
 * Values at run time are plain JavaScript values: numbers (an integral number is an integer, a non-integral
 * one a decimal), `IntegralDecimal` for a decimal whose value is integral (`20.0`: the only boxed value, see
 * `decimal.ts`), strings, booleans, `null`
 * (a JSON `null` read from an input) and `undefined`, which stands both for undefined data (a missing input
 * attribute, an unset variable, an attribute of another input than the one being processed) and for an
 * invalid result (incompatible operand types, a failed `convert()`, division by zero). A condition fires
 * only when it evaluates to `true`, so an undefined or invalid condition does not fire.
 *
 * Type rules (https://docs.aws.amazon.com/iotevents/latest/developerguide/iotevents-expressions.html):
 * - `+` adds two numbers or concatenates two strings; `-` `*` `/` take numbers; `/` of two integers is an
 *   integer rounded toward zero, a decimal when either operand is a decimal.
 * - `<` `<=` `>` `>=` compare two numbers or two strings; `==` `!=` two numbers, two strings or two booleans.
 * - `&&` `||` `!` take booleans; `||` treats an undefined operand as `false` (the guide's note);
 *   `&&` and `!` of an undefined operand are undefined (`&&` with a `false` operand is `false`).
 * - `==` with an undefined operand is `false` and `!=` is `true`, as IoT Events evaluated them (the console's ISA
 *   alarm blueprint sets its thresholds under `$variable.t != $variable.t`, true while `t` is unset); `<` `<=` `>`
 *   `>=` with one are undefined, so they never fire (that blueprint's `value > $variable.high` must not fire
 *   before the thresholds are set).
 * - `&` `|` `^` `~`, `bitand` `bitor` `bitxor` `bitnot` take integers (64-bit two's complement). Numbers are
 *   doubles: integers are exact within ±(2^53 − 1); beyond, operands and results are rounded (README, Semantics).
 * - The incompatible pairs (integer or decimal with string or boolean, string with boolean) are problems
 *   when both types are known when the model is defined (literals, operators, functions); with references
 *   they make the expression invalid when it is evaluated.
 * - Integer vs decimal, decided at run time from the values: a number written with a fraction or exponent
 *   is a decimal, in a literal (`1.0`, `2e3`), a payload (`{"t": 20.0}`, read by `parseJsonText`) or a
 *   variable's text (BatchUpdateDetector's `"20.0"`); so is a result of `+` `-` `*` `/` with a decimal
 *   operand and of `convert(Decimal, …)`. A variable keeps the kind of the value it was set to, across
 *   messages and in stored state. Decimal results are rounded to 15 significant digits, so binary floating
 *   point does not show through (`0.1 + 0.2` is `0.3`); `20.5 + 0.5` is the integral decimal 21.
 * - The hot path stays on primitives: an operator tests `typeof x === 'number'` (both operands integers:
 *   integer arithmetic; else decimal) and only then looks for an `IntegralDecimal` operand. Comparisons
 *   compare values (`20 == 20.0`); the bitwise operators and functions take integers only, so an integral
 *   decimal makes them invalid, as `4.5` does. A substitution writes an integral decimal as `20.0`, as
 *   `convert(String, …)` does; the Data API's variable texts keep `"20"` and quote strings (`variableText`).
 * - Problems name the likely fix: the nearest known function, variable, timer, input or attribute, and how
 *   a function is called.
 *
 * No CDK import: bundled into Lambda handlers.
 */
import { BinaryNode, CallNode, ExpressionNode, InputNode, TemplateNode } from './ast';
import { IntegralDecimal, VariableValue, asDecimal, decimalResult, numberText, numericValue } from './decimal';
import { writeJsonText } from '../json-text';
import { quoteSegment } from './parser';
import { didYouMean, nearMiss } from './suggest';

/** A value an expression can produce (an `IntegralDecimal` is an object). */
export type ExpressionValue = number | string | boolean | null | undefined | object;

/** What a compiled expression reads when it runs. */
export interface EvaluationContext {
  /** The input whose message is being processed; `undefined` when a timer fired. */
  readonly inputName: string | undefined;
  /** The message payload (parsed JSON). */
  readonly payload: unknown;
  /** The detector's variables as this evaluation sees them. */
  readonly variables: Readonly<Record<string, VariableValue>>;
  /** `'Message'` or `'Timer'` (what `triggerType()` tests). */
  readonly triggerType: string;
  /** The timer whose expiry is being processed (what `timeout()` is true for), if any. */
  readonly timedOut: string | undefined;
}

export type CompiledExpression = (ctx: EvaluationContext) => ExpressionValue;

/** What the checker knows about the model around an expression. */
export interface CompileEnvironment {
  /** Input name → its attribute paths (normalized with `normalizeAttributePath`). */
  readonly inputs: ReadonlyMap<string, ReadonlySet<string>>;
  /** The variables some `setVariable` action sets; `undefined` skips the check. */
  readonly variables?: ReadonlySet<string>;
  /** The timers some `setTimer` action sets; `undefined` skips the check. */
  readonly timers?: ReadonlySet<string>;
  /**
   * When given, an `$input` reference to an attribute its input does not declare, and that is no near miss of a
   * declared one, is appended here instead of being a problem: IoT Events read such an attribute from the whole
   * payload, and published models read attributes their inputs do not list (a model read from JSON). The
   * reference reads the payload as any other does.
   *
   * @default - such a reference is a problem
   */
  readonly undeclaredAttributes?: UndeclaredAttribute[];
}

/** An `$input` reference to an attribute its input does not declare (see `CompileEnvironment.undeclaredAttributes`). */
export interface UndeclaredAttribute {
  /** 1-based position of the reference in the expression. */
  readonly position: number;
  readonly inputName: string;
  /** The attribute path, normalized (`normalizeAttributePath`). */
  readonly path: string;
  /** The input's declared attribute paths, sorted. */
  readonly attributes: readonly string[];
}

/** A problem found in an expression: a 1-based position and a message. */
export interface ExpressionProblem {
  readonly position: number;
  readonly message: string;
}

/** The static type of an expression, as far as it is known when the model is defined. */
export type StaticType = 'integer' | 'decimal' | 'numeric' | 'string' | 'boolean' | 'unknown';

interface Compiled {
  readonly fn: CompiledExpression;
  readonly type: StaticType;
  /** The literal string value, when the node is a plain string literal (function arguments are checked against it). */
  readonly literal?: string;
}

/** The functions the guide lists, with their argument counts. */
export const FUNCTIONS: Readonly<Record<string, number>> = {
  timeout: 1,
  triggerType: 1,
  currentInput: 1,
  convert: 2,
  isNull: 1,
  isUndefined: 1,
  startsWith: 2,
  endsWith: 2,
  contains: 2,
  bitand: 2,
  bitor: 2,
  bitxor: 2,
  bitnot: 1,
};

/** How each function is written, for messages. */
const USAGE: Readonly<Record<string, string>> = {
  timeout: 'timeout("timerName")',
  triggerType: 'triggerType("Message") or triggerType("Timer")',
  currentInput: 'currentInput("InputName")',
  convert: 'convert(Decimal, $input.In.text)',
  isNull: 'isNull($input.In.value)',
  isUndefined: 'isUndefined($input.In.value)',
  startsWith: 'startsWith($input.In.text, "prefix")',
  endsWith: 'endsWith($input.In.text, "suffix")',
  contains: 'contains($input.In.text, "part")',
  bitand: 'bitand($input.In.flags, 4)',
  bitor: 'bitor($input.In.flags, 4)',
  bitxor: 'bitxor($input.In.flags, 4)',
  bitnot: 'bitnot($input.In.flags)',
};

const CONVERT_TYPES = ['String', 'Boolean', 'Decimal'];

/** Words people write for the operators. */
const OPERATOR_WORDS: Readonly<Record<string, string>> = { and: '&&', or: '||', not: '!' };

/** Normalizes an attribute `jsonPath` (plain or backtick-quoted segments) to the form `InputNode.attributePath` uses. */
export function normalizeAttributePath(jsonPath: string): string {
  return attributePathSteps(jsonPath).map(quoteSegment).join('.');
}

/** Splits an attribute `jsonPath` or a detector key (plain or backtick-quoted segments) into property names. */
export function attributePathSteps(jsonPath: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < jsonPath.length) {
    if (jsonPath[i] === '`') {
      const end = jsonPath.indexOf('`', i + 1);
      const stop = end < 0 ? jsonPath.length : end;
      out.push(jsonPath.slice(i + 1, stop));
      i = stop + 1;
      if (jsonPath[i] === '.') i++;
    } else {
      let end = jsonPath.indexOf('.', i);
      if (end < 0) end = jsonPath.length;
      out.push(jsonPath.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/** The names an expression refers to (for routing and for the model's checks). */
export interface ExpressionReferences {
  readonly inputs: Set<string>;
  readonly variables: Set<string>;
  readonly timers: Set<string>;
}

/**
 * Compiles a checked tree. Problems are appended to `problems`; the returned closure is usable only when
 * no problem was added.
 */
export function compileNode(
  node: ExpressionNode,
  env: CompileEnvironment,
  problems: ExpressionProblem[],
  refs?: ExpressionReferences,
): { fn: CompiledExpression; type: StaticType } {
  const c = new Compiler(env, problems, refs);
  const out = c.compile(node);
  return { fn: out.fn, type: out.type };
}

const isNum = (t: StaticType) => t === 'integer' || t === 'decimal' || t === 'numeric';
const category = (t: StaticType) => (isNum(t) ? 'number' : t);
const typeName = (t: StaticType) => (t === 'numeric' ? 'number' : t);

function isInt(v: ExpressionValue): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/* eslint-disable no-bitwise */
// The language's bitwise operators, on 64-bit two's-complement integers.
function bitwise(a: ExpressionValue, b: ExpressionValue, op: '&' | '|' | '^'): ExpressionValue {
  if (!isInt(a) || !isInt(b)) return undefined;
  if (a >= -0x80000000 && a <= 0x7fffffff && b >= -0x80000000 && b <= 0x7fffffff) {
    return op === '&' ? a & b : op === '|' ? a | b : a ^ b;
  }
  const x = BigInt(a);
  const y = BigInt(b);
  return Number(BigInt.asIntN(64, op === '&' ? x & y : op === '|' ? x | y : x ^ y));
}

function bitNot(a: ExpressionValue): ExpressionValue {
  if (!isInt(a)) return undefined;
  if (a >= -0x80000000 && a <= 0x7fffffff) return ~a;
  return Number(BigInt.asIntN(64, ~BigInt(a)));
}
/* eslint-enable no-bitwise */

/**
 * `+` `-` `*` of two numbers: an integer when both are integers, else a decimal (rounded to 15 significant
 * digits, `78.8 * 3` is `236.4`; an `IntegralDecimal` when integral, `20.5 + 0.5`).
 */
function arithmetic(r: number, x: number, y: number): number | IntegralDecimal {
  return Number.isInteger(x) && Number.isInteger(y) ? r : decimalResult(r);
}

/**
 * `+` `-` `*` when an operand is not a plain number: with an `IntegralDecimal` operand the result is a
 * decimal; with a non-numeric one it is invalid.
 */
function decimalArithmetic(x: ExpressionValue, y: ExpressionValue, op: '+' | '-' | '*'): ExpressionValue {
  const a = numericValue(x);
  const b = numericValue(y);
  if (a === undefined || b === undefined) return undefined;
  return decimalResult(op === '+' ? a + b : op === '-' ? a - b : a * b);
}

/**
 * `did you mean $input.In.`my-field`? ` for an attribute path that is not one of the input's: a near miss,
 * or an attribute whose name continues the path with a character that needs backticks (`my-field` read as
 * `my - field`).
 */
function suggestAttribute(input: string, path: string, attributes: ReadonlySet<string>): string {
  const plain = (p: string) => attributePathSteps(p).join('.');
  const wanted = plain(path);
  const byPlain = new Map([...attributes].map((a) => [plain(a), a]));
  const guess = nearMiss(byPlain.keys(), wanted)
    ?? [...byPlain.keys()].find((a) => a.startsWith(wanted) && /^[^A-Za-z0-9_.]/.test(a.slice(wanted.length)));
  if (guess === undefined) return '';
  const quoted = byPlain.get(guess)!;
  return `did you mean $input.${quoteSegment(input)}.${quoted}?${quoted.includes('`') ? ' (names that do not match [a-zA-Z][a-zA-Z0-9_]* go in backticks)' : ''} `;
}

type Comparator = (x: number | string | boolean, y: number | string | boolean) => boolean;

/** The inputs an expression reads with `$input.<name>…` (each once). */
function inputsReadBy(node: ExpressionNode): Set<string> {
  const found = new Set<string>();
  const visit = (n: ExpressionNode): void => {
    switch (n.kind) {
      case 'input': found.add(n.inputName); break;
      case 'unary': visit(n.operand); break;
      case 'binary': visit(n.left); visit(n.right); break;
      case 'call': n.args.forEach(visit); break;
      case 'template': n.parts.forEach((part) => { if (typeof part !== 'string') visit(part); }); break;
      default: break;
    }
  };
  visit(node);
  return found;
}

/**
 * A comparison of two operands of the same type, numbers or strings (and booleans when `booleans`);
 * `ifUndefined` when an operand is undefined (`==` and `!=` give a boolean there, the others `undefined`);
 * `undefined` for any other pair.
 */
function comparison(
  fa: CompiledExpression, fb: CompiledExpression, booleans: boolean, cmp: Comparator, ifUndefined?: boolean,
): CompiledExpression {
  return (ctx) => {
    const x = fa(ctx);
    const y = fb(ctx);
    if (x === undefined || y === undefined) return ifUndefined;
    const tx = typeof x;
    if (tx === typeof y && (tx === 'number' || tx === 'string' || (booleans && tx === 'boolean'))) {
      return cmp(x as number | string | boolean, y as number | string | boolean);
    }
    // an integral decimal compares by value with any number (20 == 20.0)
    const a = numericValue(x);
    if (a === undefined) return undefined;
    const b = numericValue(y);
    return b === undefined ? undefined : cmp(a, b);
  };
}

/**
 * How a value reads inside a `${…}` substitution; `undefined` when it has no text. An integral decimal keeps
 * its kind (`20.0`), as in a JSON payload built from it.
 */
export function valueToText(v: ExpressionValue): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  if (v === undefined) return undefined;
  if (v instanceof IntegralDecimal) return numberText(v);
  return writeJsonText(v);
}

const DECIMAL_TEXT = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

function convertValue(type: ExpressionValue, v: ExpressionValue): ExpressionValue {
  switch (type) {
    case 'String':
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      if (v instanceof IntegralDecimal) return numberText(v);
      return undefined;
    case 'Boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string') {
        const l = v.trim().toLowerCase();
        return l === 'true' ? true : l === 'false' ? false : undefined;
      }
      return undefined;
    case 'Decimal':
      if (typeof v === 'number') return asDecimal(v);
      if (v instanceof IntegralDecimal) return v;
      if (typeof v === 'string' && DECIMAL_TEXT.test(v)) return asDecimal(Number(v));
      return undefined;
    default:
      return undefined;
  }
}

class Compiler {
  constructor(
    private readonly env: CompileEnvironment,
    private readonly problems: ExpressionProblem[],
    private readonly refs: ExpressionReferences | undefined,
  ) {}

  private problem(position: number, message: string): void {
    this.problems.push({ position, message });
  }

  public compile(node: ExpressionNode): Compiled {
    switch (node.kind) {
      case 'number': {
        // `5.0` is a decimal: integral, it is an IntegralDecimal (one, shared: it is immutable)
        const v = node.decimal ? asDecimal(node.value) : node.value;
        return { fn: () => v, type: node.decimal ? 'decimal' : 'integer' };
      }
      case 'string': {
        const v = node.value;
        return { fn: () => v, type: 'string', literal: v };
      }
      case 'boolean': {
        const v = node.value;
        return { fn: () => v, type: 'boolean' };
      }
      case 'template':
        return this.template(node);
      case 'input':
        return this.input(node);
      case 'variable': {
        const name = node.name;
        this.refs?.variables.add(name);
        if (this.env.variables && !this.env.variables.has(name)) {
          const known = [...this.env.variables].sort();
          this.problem(node.pos, `unknown variable '${name}' in $variable.${quoteSegment(name)}: `
            + didYouMean(known, name, (v) => `$variable.${quoteSegment(v)}`)
            + 'no setVariable action sets it'
            + (known.length ? ` (the model sets ${known.join(', ')})` : ' (the model sets no variables)'));
        }
        return { fn: (ctx) => ctx.variables[name], type: 'unknown' };
      }
      case 'keyword':
        if (CONVERT_TYPES.includes(node.name)) {
          this.problem(node.pos, `'${node.name}' is only valid as the first argument of convert(), like convert(${node.name}, $variable.x)`);
        } else if (node.name.toLowerCase() === 'true' || node.name.toLowerCase() === 'false') {
          this.problem(node.pos, `unexpected word '${node.name}': booleans are lowercase, write ${node.name.toLowerCase()}`);
        } else if (OPERATOR_WORDS[node.name.toLowerCase()]) {
          this.problem(node.pos, `unexpected word '${node.name}': write '${OPERATOR_WORDS[node.name.toLowerCase()]}'`);
        } else {
          this.problem(node.pos, `unexpected word '${node.name}': write strings in quotes ('${node.name}'), references as $input.<Input>.<path> or $variable.<name>, and functions with parentheses`);
        }
        return { fn: () => undefined, type: 'unknown' };
      case 'unary':
        return this.unary(node.op, node.pos, this.compile(node.operand));
      case 'binary':
        return this.binary(node);
      case 'call':
        return this.call(node);
    }
  }

  private template(node: TemplateNode): Compiled {
    const parts = node.parts.map((p) => (typeof p === 'string' ? p : this.compile(p).fn));
    if (parts.length === 1 && typeof parts[0] === 'string') {
      const v = parts[0];
      return { fn: () => v, type: 'string' };
    }
    const n = parts.length;
    return {
      type: 'string',
      fn: (ctx) => {
        let out = '';
        for (let i = 0; i < n; i++) {
          const p = parts[i];
          if (typeof p === 'string') {
            out += p;
          } else {
            const t = valueToText(p(ctx));
            if (t === undefined) return undefined;
            out += t;
          }
        }
        return out;
      },
    };
  }

  private input(node: InputNode): Compiled {
    const name = node.inputName;
    this.refs?.inputs.add(name);
    const attributes = this.env.inputs.get(name);
    if (!attributes) {
      const known = [...this.env.inputs.keys()].sort();
      this.problem(node.pos, `unknown input '${name}' in $input.${quoteSegment(name)}.${node.attributePath}`
        + (known.length ? `: ${didYouMean(known, name)}the model's inputs are ${known.join(', ')}` : ': no inputs are defined'));
    } else {
      const path = node.attributePath;
      let ok = attributes.has(path);
      if (!ok) for (const a of attributes) if (path.startsWith(a + '.')) { ok = true; break; }
      if (!ok) {
        const suggestion = suggestAttribute(name, path, attributes);
        if (suggestion === '' && this.env.undeclaredAttributes) {
          this.env.undeclaredAttributes.push({ position: node.pos, inputName: name, path, attributes: [...attributes].sort() });
        } else {
          this.problem(node.pos, `input '${name}' has no attribute '${path}': ${suggestion}`
            + `its attributes are ${[...attributes].sort().join(', ') || 'none'}; add it to the input definition or fix the path`);
        }
      }
    }
    const steps = node.path;
    const n = steps.length;
    const s0 = steps[0];
    const s1 = steps[1];
    const fn: CompiledExpression = n === 1 && typeof s0 === 'string'
      ? (ctx) => {
        if (ctx.inputName !== name) return undefined;
        const p = ctx.payload as Record<string, unknown> | null;
        return p !== null && typeof p === 'object' ? p[s0] as ExpressionValue : undefined;
      }
      : n === 2 && typeof s0 === 'string' && typeof s1 === 'string'
        ? (ctx) => {
          if (ctx.inputName !== name) return undefined;
          const p = ctx.payload as Record<string, unknown> | null;
          if (p === null || typeof p !== 'object') return undefined;
          const q = p[s0] as Record<string, unknown> | null;
          return q !== null && typeof q === 'object' ? q[s1] as ExpressionValue : undefined;
        }
        : (ctx) => {
          if (ctx.inputName !== name) return undefined;
          let v = ctx.payload as unknown;
          for (let i = 0; i < n; i++) {
            if (v === null || typeof v !== 'object') return undefined;
            const step = steps[i];
            if (typeof step === 'number' && !Array.isArray(v)) return undefined;
            v = (v as Record<string | number, unknown>)[step];
          }
          return v as ExpressionValue;
        };
    return { fn, type: 'unknown' };
  }

  private unary(op: '!' | '~' | '-', pos: number, a: Compiled): Compiled {
    const f = a.fn;
    switch (op) {
      case '!':
        if (a.type !== 'unknown' && a.type !== 'boolean') this.problem(pos, `'!' needs a boolean operand, not ${typeName(a.type)}`);
        return { type: 'boolean', fn: (ctx) => { const v = f(ctx); return v === true ? false : v === false ? true : undefined; } };
      case '~':
        if (a.type !== 'unknown' && a.type !== 'integer' && a.type !== 'numeric') this.problem(pos, `'~' needs an integer operand, not ${typeName(a.type)}`);
        return { type: 'integer', fn: (ctx) => bitNot(f(ctx)) };
      case '-':
        if (a.type !== 'unknown' && !isNum(a.type)) this.problem(pos, `unary '-' needs a number, not ${typeName(a.type)}`);
        return {
          type: isNum(a.type) ? a.type : 'numeric',
          fn: (ctx) => {
            const v = f(ctx);
            return typeof v === 'number' ? -v : v instanceof IntegralDecimal ? new IntegralDecimal(-v.value) : undefined;
          },
        };
    }
  }

  private binary(node: BinaryNode): Compiled {
    const a = this.compile(node.left);
    const b = this.compile(node.right);
    const op = node.op;
    const ta = a.type;
    const tb = b.type;
    const fa = a.fn;
    const fb = b.fn;
    const known = ta !== 'unknown' && tb !== 'unknown';
    const incompatible = (what: string) =>
      this.problem(node.pos, `incompatible operand types for '${op}': ${typeName(ta)} and ${typeName(tb)} (${what})`);
    switch (op) {
      case '||':
      case '&&': {
        for (const [t, side] of [[ta, 'left'], [tb, 'right']] as const) {
          if (t !== 'unknown' && t !== 'boolean') this.problem(node.pos, `'${op}' needs boolean operands; its ${side} operand is ${typeName(t)}`);
        }
        if (op === '||') {
          return { type: 'boolean', fn: (ctx) => fa(ctx) === true || fb(ctx) === true };
        }
        return {
          type: 'boolean',
          fn: (ctx) => {
            const x = fa(ctx);
            if (x === false) return false;
            const y = fb(ctx);
            if (y === false) return false;
            return x === true && y === true ? true : undefined;
          },
        };
      }
      case '|':
      case '^':
      case '&': {
        for (const [t, side] of [[ta, 'left'], [tb, 'right']] as const) {
          if (t !== 'unknown' && t !== 'integer' && t !== 'numeric') this.problem(node.pos, `'${op}' needs integer operands; its ${side} operand is ${typeName(t)}`);
        }
        return { type: 'integer', fn: (ctx) => bitwise(fa(ctx), fb(ctx), op) };
      }
      case '==':
      case '!=': {
        if (known && category(ta) !== category(tb)) incompatible('compare two numbers, two strings or two booleans');
        // An undefined operand is equal to nothing, itself included: `==` is false and `!=` true (published models
        // test `$variable.x != $variable.x` to find an unset variable). Operands of incompatible types stay invalid.
        // A comparison that reads an input other than the message's does not fire (the guide's rule for
        // conditions over another input), so there an undefined operand stays undefined.
        const eq = comparison(fa, fb, true, op === '==' ? (x, y) => x === y : (x, y) => x !== y, op === '!=');
        const inputs = [...inputsReadBy(node.left), ...inputsReadBy(node.right)];
        if (inputs.length === 0) return { type: 'boolean', fn: eq };
        const strict = comparison(fa, fb, true, op === '==' ? (x, y) => x === y : (x, y) => x !== y);
        return { type: 'boolean', fn: (ctx) => (inputs.every((i) => i === ctx.inputName) ? eq(ctx) : strict(ctx)) };
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        if ((ta === 'boolean' || tb === 'boolean')) {
          this.problem(node.pos, `'${op}' compares two numbers or two strings, not ${typeName(ta === 'boolean' ? ta : tb)}`);
        } else if (known && category(ta) !== category(tb)) {
          incompatible('compare two numbers or two strings');
        }
        const cmp: Comparator = op === '<' ? (x, y) => x < y : op === '<=' ? (x, y) => x <= y : op === '>' ? (x, y) => x > y : (x, y) => x >= y;
        return { type: 'boolean', fn: comparison(fa, fb, false, cmp) };
      }
      case '+': {
        if (known && category(ta) !== category(tb)) incompatible('\'+\' adds two numbers or concatenates two strings');
        else if (ta === 'boolean' || tb === 'boolean') this.problem(node.pos, '\'+\' adds two numbers or concatenates two strings, not booleans');
        const type: StaticType = ta === 'string' || tb === 'string' ? 'string' : this.numericResult(ta, tb);
        return {
          type,
          fn: (ctx) => {
            const x = fa(ctx);
            const y = fb(ctx);
            if (typeof x === 'number' && typeof y === 'number') return arithmetic(x + y, x, y);
            if (typeof x === 'string') return typeof y === 'string' ? x + y : undefined;
            return decimalArithmetic(x, y, '+');
          },
        };
      }
      case '-':
      case '*':
      case '/': {
        for (const [t, side] of [[ta, 'left'], [tb, 'right']] as const) {
          if (t !== 'unknown' && !isNum(t)) this.problem(node.pos, `'${op}' needs numbers; its ${side} operand is ${typeName(t)}`);
        }
        const type = this.numericResult(ta, tb);
        if (op === '-') {
          return {
            type,
            fn: (ctx) => {
              const x = fa(ctx);
              const y = fb(ctx);
              return typeof x === 'number' && typeof y === 'number' ? arithmetic(x - y, x, y) : decimalArithmetic(x, y, '-');
            },
          };
        }
        if (op === '*') {
          return {
            type,
            fn: (ctx) => {
              const x = fa(ctx);
              const y = fb(ctx);
              return typeof x === 'number' && typeof y === 'number' ? arithmetic(x * y, x, y) : decimalArithmetic(x, y, '*');
            },
          };
        }
        return {
          type,
          fn: (ctx) => {
            const x = fa(ctx);
            const y = fb(ctx);
            if (typeof x === 'number' && typeof y === 'number') {
              if (y === 0) return undefined;
              if (Number.isInteger(x) && Number.isInteger(y)) return Math.trunc(x / y) + 0;
              return decimalResult(x / y);
            }
            // an IntegralDecimal operand (a decimal literal such as 2.0 is one): decimal division
            const nx = numericValue(x);
            const ny = numericValue(y);
            return nx === undefined || ny === undefined || ny === 0 ? undefined : decimalResult(nx / ny);
          },
        };
      }
    }
  }

  private numericResult(ta: StaticType, tb: StaticType): StaticType {
    if (ta === 'decimal' || tb === 'decimal') return 'decimal';
    if (ta === 'integer' && tb === 'integer') return 'integer';
    return 'numeric';
  }

  private call(node: CallNode): Compiled {
    const name = node.name;
    const arity = FUNCTIONS[name];
    if (arity === undefined) {
      for (const a of node.args) this.compile(a);
      const guess = nearMiss(Object.keys(FUNCTIONS), name);
      const operator = OPERATOR_WORDS[name.toLowerCase()];
      this.problem(node.pos, `unknown function '${name}()': ${guess ? `did you mean ${guess}()? ` : operator ? `write '${operator}'; ` : ''}`
        + `IoT Events has ${Object.keys(FUNCTIONS).map((f) => `${f}()`).join(', ')}`);
      return { fn: () => undefined, type: 'unknown' };
    }
    if (node.args.length !== arity) {
      for (const a of node.args) if (!(name === 'convert' && a === node.args[0] && a.kind === 'keyword')) this.compile(a);
      this.problem(node.pos, `${name}() takes ${arity} argument${arity === 1 ? '' : 's'}, got ${node.args.length}: write it as ${USAGE[name]}`);
      return { fn: () => undefined, type: name.startsWith('bit') ? 'integer' : name === 'convert' ? 'unknown' : 'boolean' };
    }
    if (name === 'convert') return this.convert(node);
    const args = node.args.map((a) => this.compile(a));
    const needString = (i: number, what: string) => {
      const t = args[i].type;
      if (t !== 'unknown' && t !== 'string') {
        this.problem(node.args[i].pos, `${name}() needs ${what}, got ${typeName(t)}: write it as ${USAGE[name]}`);
      }
    };
    const needInteger = (i: number) => {
      const t = args[i].type;
      if (t !== 'unknown' && t !== 'integer' && t !== 'numeric') {
        this.problem(node.args[i].pos, `${name}() needs integer arguments, got ${typeName(t)}: no conversion is made, so pass integers`);
      }
    };
    const f0 = args[0].fn;
    switch (name) {
      case 'timeout': {
        needString(0, 'a timer name (a string)');
        const lit = args[0].literal;
        if (lit !== undefined) {
          this.refs?.timers.add(lit);
          if (this.env.timers && !this.env.timers.has(lit)) {
            const known = [...this.env.timers].sort();
            this.problem(node.args[0].pos, `unknown timer '${lit}' in timeout(): ${didYouMean(known, lit, (t) => `timeout("${t}")`)}no setTimer action sets it`
              + (known.length ? ` (the model's timers are ${known.join(', ')})` : ' (the model sets no timers)'));
          }
          return { type: 'boolean', fn: (ctx) => ctx.timedOut === lit };
        }
        return { type: 'boolean', fn: (ctx) => { const t = f0(ctx); return typeof t === 'string' ? ctx.timedOut === t : undefined; } };
      }
      case 'triggerType': {
        // The guide writes "Message" and "Timer"; its detector model analysis advises triggerType("MESSAGE"): the
        // type is matched without regard to case (decided).
        needString(0, '"Message" or "Timer" (a string)');
        const lit = args[0].literal;
        if (lit !== undefined && !['message', 'timer'].includes(lit.toLowerCase())) {
          const guess = nearMiss(['Message', 'Timer'], lit);
          this.problem(node.args[0].pos, `triggerType() takes "Message" or "Timer", not "${lit}"${guess ? `: did you mean "${guess}"?` : ''}`);
        }
        if (lit !== undefined) {
          const type = lit.toLowerCase() === 'timer' ? 'Timer' : 'Message';
          return { type: 'boolean', fn: (ctx) => ctx.triggerType === type };
        }
        return {
          type: 'boolean',
          fn: (ctx) => { const t = f0(ctx); return typeof t === 'string' ? ctx.triggerType.toLowerCase() === t.toLowerCase() : undefined; },
        };
      }
      case 'currentInput': {
        needString(0, 'an input name (a string)');
        const lit = args[0].literal;
        if (lit !== undefined) {
          this.refs?.inputs.add(lit);
          if (!this.env.inputs.has(lit)) {
            const known = [...this.env.inputs.keys()].sort();
            this.problem(node.args[0].pos, `unknown input '${lit}' in currentInput()`
              + (known.length ? `: ${didYouMean(known, lit, (i) => `currentInput("${i}")`)}the model's inputs are ${known.join(', ')}` : ': no inputs are defined'));
          }
          return { type: 'boolean', fn: (ctx) => ctx.inputName === lit };
        }
        return { type: 'boolean', fn: (ctx) => { const t = f0(ctx); return typeof t === 'string' ? ctx.inputName === t : undefined; } };
      }
      case 'isNull':
        return { type: 'boolean', fn: (ctx) => f0(ctx) === null };
      case 'isUndefined':
        return { type: 'boolean', fn: (ctx) => f0(ctx) === undefined };
      case 'startsWith':
      case 'endsWith':
      case 'contains': {
        needString(0, 'string arguments');
        needString(1, 'string arguments');
        const f1 = args[1].fn;
        const test = name === 'startsWith' ? (s: string, t: string) => s.startsWith(t)
          : name === 'endsWith' ? (s: string, t: string) => s.endsWith(t)
            : (s: string, t: string) => s.includes(t);
        return {
          type: 'boolean',
          fn: (ctx) => {
            const s = f0(ctx);
            const t = f1(ctx);
            return typeof s === 'string' && typeof t === 'string' ? test(s, t) : undefined;
          },
        };
      }
      case 'bitnot':
        needInteger(0);
        return { type: 'integer', fn: (ctx) => bitNot(f0(ctx)) };
      default: {
        // bitand, bitor, bitxor
        needInteger(0);
        needInteger(1);
        const f1 = args[1].fn;
        const op = name === 'bitand' ? '&' : name === 'bitor' ? '|' : '^';
        return { type: 'integer', fn: (ctx) => bitwise(f0(ctx), f1(ctx), op) };
      }
    }
  }

  private convert(node: CallNode): Compiled {
    const [typeArg, valueArg] = node.args;
    const value = this.compile(valueArg);
    const fv = value.fn;
    let fixed: string | undefined;
    if (typeArg.kind === 'keyword' || typeArg.kind === 'string') {
      fixed = typeArg.kind === 'keyword' ? typeArg.name : typeArg.value;
      if (!CONVERT_TYPES.includes(fixed)) {
        const guess = nearMiss(CONVERT_TYPES, fixed) ?? (/^(integer|int|long|double|float|number)$/i.test(fixed) ? 'Decimal' : undefined);
        this.problem(typeArg.pos, `convert() converts to String, Boolean or Decimal, not '${fixed}'`
          + (guess ? `: did you mean ${guess}?` : ''));
      }
    }
    if (fixed !== undefined) {
      const t = fixed;
      const type: StaticType = t === 'String' ? 'string' : t === 'Boolean' ? 'boolean' : 'decimal';
      const vt = value.type;
      const ok = vt === 'unknown' || vt === 'string'
        || (t === 'String' && (isNum(vt) || vt === 'boolean'))
        || (t === 'Decimal' && isNum(vt))
        || (t === 'Boolean' && vt === 'boolean');
      if (!ok) {
        this.problem(valueArg.pos, `convert(${t}, …) cannot convert ${typeName(vt)}: it converts a boolean or a number to String, and a string to Boolean or Decimal`);
      }
      return { type, fn: (ctx) => convertValue(t, fv(ctx)) };
    }
    const typeFn = this.compile(typeArg);
    if (typeFn.type !== 'unknown' && typeFn.type !== 'string') {
      this.problem(typeArg.pos, `convert()'s first argument is String, Boolean, Decimal or a string naming one, not ${typeName(typeFn.type)}`);
    }
    const ft = typeFn.fn;
    return { type: 'unknown', fn: (ctx) => convertValue(ft(ctx), fv(ctx)) };
  }
}
