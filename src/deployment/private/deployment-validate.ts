import { Duration, Token } from 'aws-cdk-lib';

/**
 * Small checks shared by the deployment value objects. Every check is skipped for
 * unresolved tokens: their value is only known at deploy time.
 */

/** Largest count or timeout the deployment API accepts (a 32-bit signed integer). */
export const MAX_INT32 = 2147483647;

/**
 * `Token.isUnresolved` for numbers, without decoding plain ones: CDK encodes number tokens as
 * doubles of magnitude above 1e288 and itself treats every number within ±1e287 as a literal.
 */
export function isUnresolvedNumber(value: number): boolean {
  if (typeof value === 'number' && value > -1e287 && value < 1e287) {
    return false;
  }
  return Token.isUnresolved(value);
}

/** Throws unless `value` is an integer in [min, max]. */
export function checkInteger(prop: string, value: number, min: number, max: number, fix: string): void {
  if (isUnresolvedNumber(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${prop} must be an integer from ${min} to ${max}, got ${value}: ${fix}`);
  }
}

/** Throws unless `value` has at most `digits` digits after the decimal point. */
export function checkDecimals(prop: string, value: number, digits: number, fix: string): void {
  // Whole numbers have no decimals (and are never tokens, which are not below 1e287 in magnitude).
  if (Number.isInteger(value) && value > -1e287 && value < 1e287) {
    return;
  }
  if (isUnresolvedNumber(value)) {
    return;
  }
  if (!Number.isFinite(value) || Number(value.toFixed(digits)) !== value) {
    const what = digits === 1 ? 'one digit' : `${digits} digits`;
    throw new Error(`${prop} supports at most ${what} after the decimal point, got ${value}: ${fix}`);
  }
}

const MILLIS_PER: Record<string, number> = { millis: 1, seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/**
 * The amount a duration was written with (`Duration.minutes(30)` gives 30), which is a number token
 * for a token duration, and the number of milliseconds in its unit.
 *
 * Reading the amount in its own unit, without rounding, is the one conversion `Duration` does
 * without decoding the amount as a possible token (the other conversions and `isUnresolved()` each
 * decode it): callers check it with `isUnresolvedNumber`, which only decodes numbers that can be
 * tokens. `undefined` for a unit this does not know.
 */
export function durationAmount(value: Duration): { amount: number; millisPerUnit: number } | undefined {
  const label = value.unitLabel();
  const millisPerUnit = MILLIS_PER[label];
  if (millisPerUnit === undefined) {
    return undefined;
  }
  const exact = { integral: false };
  const amount = label === 'millis' ? value.toMilliseconds(exact)
    : label === 'seconds' ? value.toSeconds(exact)
      : label === 'minutes' ? value.toMinutes(exact)
        : label === 'hours' ? value.toHours(exact)
          : value.toDays(exact);
  return { amount, millisPerUnit };
}

/**
 * Returns the duration in whole `unit`s (seconds or minutes) after checking it lies in
 * [min, max] of that unit; `undefined` for a token duration.
 */
export function checkDuration(prop: string, value: Duration, unit: 'seconds' | 'minutes', min: number, max: number): number | undefined {
  const written = durationAmount(value);
  let ms: number;
  if (written !== undefined && !isUnresolvedNumber(written.amount)) {
    // What toMilliseconds() computes; it fails on a fraction of a millisecond, so let it say so.
    ms = written.amount * written.millisPerUnit;
    if (!Number.isInteger(ms)) {
      ms = value.toMilliseconds();
    }
  } else if (written === undefined && !value.isUnresolved()) {
    ms = value.toMilliseconds();
  } else {
    // A token duration can only be rendered in the unit it was written in.
    try {
      unit === 'seconds' ? value.toSeconds() : value.toMinutes();
    } catch {
      throw new Error(`${prop} comes from a token, so it must be written as Duration.${unit}(...), got a token written in another unit: write it in ${unit}`);
    }
    return undefined;
  }
  const perUnit = unit === 'seconds' ? 1000 : 60_000;
  const amount = ms / perUnit;
  if (!Number.isInteger(amount)) {
    throw new Error(`${prop} must be a whole number of ${unit}, got ${amount} ${unit}: use Duration.${unit}(${Math.max(min, Math.round(amount))}) or another whole number of ${unit}`);
  }
  if (amount < min || amount > max) {
    throw new Error(`${prop} must be from ${min} to ${max} ${unit}, got ${amount} ${unit}: choose a duration in that range`);
  }
  return amount;
}

/**
 * Throws unless `pointer` is a JSON pointer (RFC 6901): empty (the whole configuration) or
 * `/` followed by keys separated by `/`, where `~` is only used in `~0` and `~1`.
 */
export function checkJsonPointer(prop: string, pointer: string): void {
  if (Token.isUnresolved(pointer)) {
    return;
  }
  if (pointer !== '' && !pointer.startsWith('/')) {
    throw new Error(`${prop} must hold JSON pointers, got '${pointer}': a JSON pointer is '' (the whole configuration) or starts with '/', for example '/${pointer.replace(/^\.+/, '').split('.').join('/')}'`);
  }
  if (/~(?![01])/.test(pointer)) {
    throw new Error(`${prop} must hold JSON pointers, got '${pointer}': in a JSON pointer '~' must be written '~0' and '/' inside a key '~1'`);
  }
  if (pointer.length > 256) {
    throw new Error(`${prop} entries must be at most 256 characters, got ${pointer.length} characters in '${pointer.slice(0, 40)}...': reset a parent node instead`);
  }
}
