/**
 * Checks of an AWS IoT rule's SQL that can be made at synth: the FROM clause's topic filter (MQTT rules) and
 * the `topic(n)` levels it refers to.
 *
 * @see https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-from.html
 * @see https://docs.aws.amazon.com/iot/latest/developerguide/topics.html
 */

/** AWS IoT Core quotas: a topic (filter) has at most 256 UTF-8 bytes and 7 forward slashes. */
export const MAX_TOPIC_BYTES = 256;
export const MAX_TOPIC_SLASHES = 7;

/** The problem with a topic filter, or undefined when it is valid. */
export function topicFilterProblem(filter: string): string | undefined {
  if (filter.length === 0) return 'it is empty';
  if (Buffer.byteLength(filter, 'utf8') > MAX_TOPIC_BYTES) return `it has ${Buffer.byteLength(filter, 'utf8')} bytes (at most ${MAX_TOPIC_BYTES})`;
  const levels = filter.split('/');
  if (levels.length - 1 > MAX_TOPIC_SLASHES) return `it has ${levels.length - 1} slashes (AWS IoT allows at most ${MAX_TOPIC_SLASHES})`;
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      return `'#' must be a whole level and the last one (level ${i + 1} is '${level}')`;
    }
    if (level.includes('+') && level !== '+') return `'+' must be a whole level (level ${i + 1} is '${level}')`;
  }
  if (/[\u0000]/.test(filter)) return 'it holds a null character';
  return undefined;
}

/** The topic filter of a rule's `FROM '<filter>'`, or undefined when the SQL has none. */
export function fromTopicFilter(sql: string): string | undefined {
  const m = /\bFROM\s+'([^']*)'/i.exec(sql);
  return m ? m[1] : undefined;
}

/** The number of levels of a topic filter (`a/+/c` has 3; `a/#` has at least 2). */
export function topicLevels(filter: string): number {
  return filter.split('/').length;
}
