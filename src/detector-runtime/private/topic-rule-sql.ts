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

/**
 * The problem with a topic filter inside a rule's SQL (`FROM '<filter>'`), or undefined: AWS IoT SQL quotes the
 * filter with single quotes and documents no escape for a quote in it; control characters would break the statement.
 *
 * @see https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-from.html
 */
export function topicFilterSqlProblem(filter: string): string | undefined {
  const level = filter.split('/').findIndex((l) => l.includes("'"));
  if (level >= 0) {
    return `level ${level + 1} holds a single quote ('), which the FROM clause of AWS IoT SQL cannot carry: the filter is quoted with it, `
      + 'and AWS IoT SQL has no escape for it there';
  }
  const control = /[\u0001-\u001f\u007f]/.exec(filter);
  if (control) return `it holds the control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}, which would break the rule's SQL`;
  return undefined;
}

/**
 * The problem with the quoting of a rule's SQL around its FROM clause, or undefined: an odd number of single quotes
 * (a string or the topic filter is not closed), or something other than the end or a WHERE clause after
 * `FROM '<filter>'` (a quote inside the filter closed it early).
 */
export function sqlQuotingProblem(sql: string): string | undefined {
  const quotes = (sql.match(/'/g) ?? []).length;
  if (quotes % 2 === 1) return `it has ${quotes} single quotes, so a quoted string or the topic filter is not closed`;
  const m = /\bFROM\s+'([^']*)'/i.exec(sql);
  if (!m) return undefined;
  const rest = sql.slice(m.index + m[0].length);
  if (!/^\s*(WHERE\b[\s\S]*)?$/i.test(rest)) {
    return `its FROM clause's topic filter ends at the quote after '${m[1]}' and is followed by ${JSON.stringify(rest.trim().slice(0, 40))}, `
      + 'where only a WHERE clause may follow; a topic filter cannot hold a single quote';
  }
  return undefined;
}

/** The topic filter of a rule's `FROM '<filter>'`, or undefined when the SQL has none. */
export function fromTopicFilter(sql: string): string | undefined {
  const m = /\bFROM\s+'([^']*)'/i.exec(sql);
  return m ? m[1] : undefined;
}

/**
 * The aliases a rule's SELECT clause names (`... AS <alias>`, between SELECT and the FROM clause): the attributes it
 * adds to the message.
 */
export function selectAliases(sql: string): string[] {
  const select = /\bSELECT\b([\s\S]*?)\bFROM\s+'/i.exec(sql);
  if (!select) return [];
  return [...select[1].matchAll(/\bAS\s+([A-Za-z_][A-Za-z0-9_]*)/gi)].map((m) => m[1]);
}

/** The number of levels of a topic filter (`a/+/c` has 3; `a/#` has at least 2). */
export function topicLevels(filter: string): number {
  return filter.split('/').length;
}
