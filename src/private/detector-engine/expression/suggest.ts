/**
 * Near-miss suggestions for names in expressions (functions, variables, timers, inputs, attributes), so an
 * error can say `did you mean 'startsWith'?`. No CDK import: bundled into Lambda handlers.
 */
import { distance } from 'fastest-levenshtein';

/**
 * The known name that `name` is most likely a typo of: the same name in another case, else the closest
 * name at most one edit away (two for names of 5 characters or more). `undefined` when none is close.
 */
export function nearMiss(known: Iterable<string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    if (k === name) continue;
    const kl = k.toLowerCase();
    if (kl === lower) return k;
    if (Math.abs(kl.length - lower.length) > 2) continue;
    const d = distance(lower, kl);
    if (d <= (kl.length > 4 ? 2 : 1) && d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** `did you mean 'x'? ` (with the trailing space), or '' when nothing is close. */
export function didYouMean(known: Iterable<string>, name: string, render: (s: string) => string = (s) => `'${s}'`): string {
  const s = nearMiss(known, name);
  return s === undefined ? '' : `did you mean ${render(s)}? `;
}
