/**
 * Integral decimals: the one kind of expression value that a JavaScript number cannot carry.
 *
 * The language has integers and decimals (`/` of two integers is an integer, with a decimal operand a
 * decimal). A non-integral JavaScript number is a decimal, an integral one an integer; a decimal whose value
 * is integral (`20.0` in a payload, the literal `5.0`, `20.5 + 0.5`, `convert(Decimal, "20")`) is an
 * `IntegralDecimal`. So the values of the hot path (integers, non-integral decimals, strings, booleans)
 * stay primitives, and only integral decimals are boxed: an operator tests `typeof x === 'number'` as before
 * and handles an `IntegralDecimal` on its slower path.
 *
 * No CDK import: bundled into Lambda handlers.
 */

/** A decimal whose value is integral (`20.0`). Immutable. */
export class IntegralDecimal {
  /** The value, an integer (never `-0`). */
  public readonly value: number;

  constructor(value: number) {
    this.value = value + 0; // no -0: a decimal zero has no sign
    Object.freeze(this);
  }

  /** `20`: relational operators and `Number()` outside the evaluator see the number. */
  public valueOf(): number {
    return this.value;
  }

  /** `"20"`: what `String()` gives, as the Data API's variable values always showed it. */
  public toString(): string {
    return String(this.value);
  }

  /** `20` in `JSON.stringify`; `writeJsonText` writes `20.0`. */
  public toJSON(): number {
    return this.value;
  }
}

/** A variable's value. */
export type VariableValue = string | number | boolean | IntegralDecimal;

/** The number a numeric value stands for; `undefined` for any other value. */
export function numericValue(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  return v instanceof IntegralDecimal ? v.value : undefined;
}

/**
 * A decimal result: rounded to 15 significant digits, so binary floating point does not show through
 * (`0.1 + 0.2` is `0.3`); an `IntegralDecimal` when that is integral (`20.5 + 0.5`, `2.5 * 2`). Infinity and
 * NaN are returned as they are (the caller rejects them).
 */
export function decimalResult(r: number): number | IntegralDecimal {
  if (Number.isInteger(r)) return new IntegralDecimal(r);
  if (!Number.isFinite(r)) return r;
  const t = Number(r.toPrecision(15));
  return Number.isInteger(t) ? new IntegralDecimal(t) : t;
}

/** A number given as a decimal (`convert(Decimal, …)`, a decimal text): integral ones boxed. */
export function asDecimal(n: number): number | IntegralDecimal {
  return Number.isInteger(n) ? new IntegralDecimal(n) : n;
}

/** Whether a number's text is a decimal's: it has a fraction or an exponent (`20.0`, `1e3`), as Java reads JSON. */
export function isDecimalText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */ || c === 101 /* e */ || c === 69 /* E */) return true;
  }
  return false;
}

/**
 * A number read from its text (a JSON number, a variable's text): an `IntegralDecimal` when the text is a
 * decimal's and the value integral, else the number.
 */
export function numberFromText(text: string): number | IntegralDecimal {
  const n = Number(text);
  return Number.isInteger(n) && isDecimalText(text) ? new IntegralDecimal(n) : n;
}

/**
 * A number's text that keeps its kind: an integral decimal with `.0` (`20.0`), other numbers in their
 * shortest form (`20`, `20.5`). Read back with `numberFromText`, it gives the same value and kind.
 */
export function numberText(v: number | IntegralDecimal): string {
  if (typeof v === 'number') {
    // an integer of 1e21 or more is written without an exponent, which would make it a decimal
    return Number.isInteger(v) && Math.abs(v) >= 1e21 ? BigInt(v).toString() : String(v);
  }
  const s = String(v.value);
  return s.includes('e') ? s : `${s}.0`;
}
