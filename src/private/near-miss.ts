import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `value` when it is a likely typo of it (a different case, or an edit distance of at most a
 * third of its length), else undefined.
 */
export function nearMiss(value: string, candidates: Iterable<string>): string | undefined {
  const lower = value.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === value) continue;
    const d = c.toLowerCase() === lower ? 0 : distance(lower, c.toLowerCase());
    if (d <= Math.max(1, Math.floor(c.length / 3)) && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** `did you mean 'x'? ` when there is a near miss, else nothing (to put before the list of what is valid). */
export function didYouMean(value: string, candidates: Iterable<string>): string {
  const near = nearMiss(value, candidates);
  return near === undefined ? '' : `did you mean '${near}'? `;
}

/** `'a', 'b'` (or `none`). */
export function quotedList(values: Iterable<string>): string {
  const list = [...values];
  return list.length === 0 ? 'none' : list.map((v) => `'${v}'`).join(', ');
}
