/**
 * The detector engine's JSON texts: message payloads, the stored detector state, variables given as text.
 *
 * IoT Events (Java) read a JSON number written with a fraction or an exponent (`20.0`, `1e3`) as a decimal;
 * `JSON.parse` reads `20.0` as the integer 20, and `(20 * 9 + 28) / 10` is then 20, not 20.8. A text is read
 * with `JSON.parse` (the fast path) unless a cheap test finds a number lexeme with an all-zero fraction or an
 * exponent in it; only then does `lossless-json` read it, with every such number as an `IntegralDecimal`.
 * Writing is the reverse: `JSON.stringify` unless the value holds an `IntegralDecimal`, which is written `20.0`.
 *
 * No CDK import: bundled into Lambda handlers.
 */
import { parse, stringify } from 'lossless-json';
import { IntegralDecimal, VariableValue, numberFromText, numberText } from './expression/decimal';
import { parseExpression } from './expression/parser';

/**
 * A number lexeme that may be an integral decimal: after the start, `:`, `,` or `[` (where JSON puts values),
 * an all-zero fraction (`20.0`, `-0.00`) or an exponent (`1e3`, `2.5E1`). It finds every integral decimal of a
 * valid JSON text; what else it finds (`1.5e-1`, a string holding `":1.0"`) only takes the slower exact path.
 */
const MAY_HOLD_INTEGRAL_DECIMAL = /(?:^|[:,[])\s*-?\d+(?:\.0+(?!\d)|(?:\.\d+)?[eE])/;
/**
 * What every such lexeme holds: a digit before `.0` or before an exponent. Tested first, as it is about twice
 * as fast on texts without one (the hot path).
 */
const DIGIT_THEN_ZERO_FRACTION_OR_EXPONENT = /\d(?:\.0|[eE])/;

const EXACT = {
  parseNumber: numberFromText,
  // JSON.parse keeps the last of duplicate keys; lossless-json would throw
  onDuplicateKey: (info: { newValue: unknown }) => info.newValue,
};

/** Whether `parseJsonText` takes its exact path for this text (exported for tests). */
export function mayHoldIntegralDecimal(text: string): boolean {
  return DIGIT_THEN_ZERO_FRACTION_OR_EXPONENT.test(text) && MAY_HOLD_INTEGRAL_DECIMAL.test(text);
}

/**
 * Parses a JSON text as IoT Events read it: numbers with a fraction or an exponent are decimals, so an
 * integral one (`20.0`) is an `IntegralDecimal`; every other value is what `JSON.parse` gives.
 *
 * @throws SyntaxError when the text is not JSON
 */
export function parseJsonText(text: string): unknown {
  if (!mayHoldIntegralDecimal(text)) return JSON.parse(text);
  return parse(text, null, EXACT);
}

const DECIMAL_STRINGIFIER = {
  test: (v: unknown) => v instanceof IntegralDecimal,
  stringify: (v: unknown) => numberText(v as IntegralDecimal),
};

/** Whether a JSON-like value holds an `IntegralDecimal` anywhere. */
export function holdsIntegralDecimal(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (v instanceof IntegralDecimal) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (holdsIntegralDecimal(v[i])) return true;
    return false;
  }
  for (const k in v) if (holdsIntegralDecimal((v as Record<string, unknown>)[k])) return true;
  return false;
}

/**
 * JSON text of a value that keeps integral decimals (`20.0`), so `parseJsonText` reads back the same values
 * and kinds; `JSON.stringify` when the value holds none.
 */
export function writeJsonText(value: unknown): string {
  return holdsIntegralDecimal(value) ? stringify(value, null, undefined, [DECIMAL_STRINGIFIER])! : JSON.stringify(value);
}

/** The value with every `IntegralDecimal` replaced by its number: what the simulator shows its users. */
export function plainJsonValue(value: unknown): unknown {
  if (value instanceof IntegralDecimal) return value.value;
  return holdsIntegralDecimal(value) ? JSON.parse(JSON.stringify(value)) : value;
}

const NUMBER_TEXT = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A variable's value given as text (BatchUpdateDetector), read as an expression literal, as IoT Events wrote
 * them: a quoted string (`"\"01\""` is the string 01: JSON's escapes, or the expression language's in single
 * quotes, `'it\'s'`); a number, with a fraction or an exponent a decimal (`"20.0"` is the decimal 20, `"20"` the
 * integer); `true` or `false`. Any other text (`abc`, `'a${x}'`) is taken as the string it is (decided).
 */
export function parseVariableText(text: string): VariableValue {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (NUMBER_TEXT.test(text)) return numberFromText(text);
  return quotedText(text) ?? text;
}

/** The string a quoted literal (`"01"`, `'01'`) stands for; `undefined` when the text is no string literal. */
function quotedText(text: string): string | undefined {
  const q = text.charAt(0);
  if ((q !== '"' && q !== '\'') || text.length < 2 || text.charAt(text.length - 1) !== q) return undefined;
  if (q === '"') {
    try {
      const v: unknown = JSON.parse(text);
      if (typeof v === 'string') return v;
    } catch {
      // not JSON: an expression literal, below
    }
  }
  try {
    const node = parseExpression(text);
    return node.kind === 'string' ? node.value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A variable's value as DescribeDetector reports it, an expression literal as IoT Events wrote them: a string
 * JSON-quoted (`"\"01\""`, the guide's HVAC sample), `true`/`false`, a number in its shortest form, an integral
 * decimal as its integer (`"20"`, as before decimals were told apart). `parseVariableText` reads it back.
 */
export function variableText(v: VariableValue): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}
