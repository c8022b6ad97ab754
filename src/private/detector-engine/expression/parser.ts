/**
 * A hand-written recursive-descent parser for AWS IoT Events expressions
 * (https://docs.aws.amazon.com/iotevents/latest/developerguide/iotevents-expressions.html).
 *
 * Why our own: the grammar is small (about 15 operators, literals, two kinds of reference, calls and
 * `${…}` templates nested inside string literals), the parser is bundled into Lambda handlers, and
 * templates need the parser to re-enter itself from inside a string literal, which a token-stream
 * library makes awkward. The grammar is tested rule by rule in `test/private/detector-engine/expression/`.
 *
 * Operator precedence, lowest first (the guide gives none; this is Java's, which the guide's operator set
 * follows; use parentheses to be explicit):
 *
 *   `||` < `&&` < `|` < `^` < `&` < `==` `!=` < `<` `<=` `>` `>=` < `+` `-` < `*` `/` < unary `!` `~` `-`
 *
 * All binary operators are left-associative.
 */
import { BinaryOperator, ExpressionNode, PathStep, TemplateNode } from './ast';
import { nearMiss } from './suggest';

/** A syntax error at a 1-based position in the expression text. */
export class ExpressionSyntaxError extends Error {
  constructor(message: string, public readonly position: number) {
    super(message);
    this.name = 'ExpressionSyntaxError';
  }
}

/** Parses a whole expression; throws `ExpressionSyntaxError`. */
export function parseExpression(text: string): ExpressionNode {
  const p = new Parser(text);
  p.skipSpace();
  if (p.atEnd()) throw new ExpressionSyntaxError('the expression is empty', 1);
  const node = p.parseExpression();
  p.skipSpace();
  if (!p.atEnd()) throw new ExpressionSyntaxError(trailingMessage(text, p.i), p.i + 1);
  return node;
}

/** The operators, for messages. */
const OPERATORS = '+ - * / == != < <= > >= && || & | ^';

/** Why text after a complete expression is wrong, and the likely fix. */
function trailingMessage(text: string, i: number): string {
  const c = text[i];
  if (c === ')') return 'unexpected \')\': no \'(\' is open; remove it or add the \'(\' it closes';
  if (c === '=' && text[i + 1] !== '=') return 'unexpected \'=\': compare with \'==\' (expressions cannot assign; setVariable actions do)';
  const word = /^[A-Za-z]+/.exec(text.slice(i))?.[0]?.toLowerCase();
  if (word === 'and') return 'unexpected \'and\': write \'&&\'';
  if (word === 'or') return 'unexpected \'or\': write \'||\'';
  if (c === '%') return `unexpected '%': IoT Events has no remainder operator; its operators are ${OPERATORS}`;
  if (c === '?') return 'unexpected \'?\': IoT Events has no conditional operator; write one event per case instead';
  return `unexpected ${describeAt(text, i)} after a complete expression: join expressions with an operator (${OPERATORS}) or remove it`;
}

/**
 * Parses text with `${…}` substitutions and no surrounding quotes (as in an MQTT topic or a DynamoDB key
 * value): literal text with embedded expressions. Returns a template node (parts in order).
 */
export function parseTextTemplate(text: string): TemplateNode {
  const p = new Parser(text);
  const parts: Array<string | ExpressionNode> = [];
  let literal = '';
  while (!p.atEnd()) {
    if (text.startsWith('${', p.i)) {
      if (literal) parts.push(literal);
      literal = '';
      parts.push(p.parseSubstitution());
    } else {
      literal += text[p.i++];
    }
  }
  if (literal || parts.length === 0) parts.push(literal);
  return { kind: 'template', pos: 1, parts };
}

const BINARY_LEVELS: ReadonlyArray<readonly BinaryOperator[]> = [
  ['||'],
  ['&&'],
  ['|'],
  ['^'],
  ['&'],
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['+', '-'],
  ['*', '/'],
];

const IDENT_START = /[A-Za-z]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

function describeAt(text: string, i: number): string {
  if (i >= text.length) return 'end of expression';
  return `'${text[i]}'`;
}

class Parser {
  public i = 0;
  /** The 1-based positions of the `${` substitutions the cursor is inside, innermost last. */
  private readonly substitutions: number[] = [];
  constructor(private readonly src: string) {}

  public atEnd(): boolean {
    return this.i >= this.src.length;
  }

  public skipSpace(): void {
    while (this.i < this.src.length && /\s/.test(this.src[this.i])) this.i++;
  }

  /** Parses `${ expression }` starting at `${`. */
  public parseSubstitution(): ExpressionNode {
    const start = this.i;
    this.i += 2;
    this.skipSpace();
    if (this.src[this.i] === '}') {
      throw new ExpressionSyntaxError('empty substitution \'${}\': put an expression inside, like ${$variable.name}, or remove it', start + 1);
    }
    this.substitutions.push(start + 1);
    const node = this.parseExpression();
    this.substitutions.pop();
    this.skipSpace();
    if (this.src[this.i] !== '}') {
      throw new ExpressionSyntaxError(
        `expected '}' to close the substitution opened at position ${start + 1}, found ${describeAt(this.src, this.i)}`,
        this.i + 1);
    }
    this.i++;
    return node;
  }

  public parseExpression(): ExpressionNode {
    return this.parseBinary(0);
  }

  private parseBinary(level: number): ExpressionNode {
    if (level >= BINARY_LEVELS.length) return this.parseUnary();
    let left = this.parseBinary(level + 1);
    for (;;) {
      this.skipSpace();
      const op = this.peekBinaryOperator(BINARY_LEVELS[level]);
      if (!op) return left;
      const pos = this.i + 1;
      this.i += op.length;
      const right = this.parseBinary(level + 1);
      left = { kind: 'binary', pos, op, left, right };
    }
  }

  /** The operator of this level at the cursor, never mistaking `&&` for `&`, `||` for `|` or `<=` for `<`. */
  private peekBinaryOperator(ops: readonly BinaryOperator[]): BinaryOperator | undefined {
    const s = this.src;
    const c = s[this.i];
    const two = s.slice(this.i, this.i + 2);
    for (const op of ops) {
      if (op.length === 2) {
        if (two === op) return op;
      } else if (c === op) {
        // single-character operators must not be the start of a longer one
        if (op === '&' && two === '&&') continue;
        if (op === '|' && two === '||') continue;
        if ((op === '<' || op === '>') && two === op + '=') continue;
        return op;
      }
    }
    return undefined;
  }

  private parseUnary(): ExpressionNode {
    this.skipSpace();
    const c = this.src[this.i];
    if ((c === '!' && this.src[this.i + 1] !== '=') || c === '~' || c === '-') {
      const pos = this.i + 1;
      this.i++;
      const operand = this.parseUnary();
      return { kind: 'unary', pos, op: c as '!' | '~' | '-', operand };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): ExpressionNode {
    this.skipSpace();
    const s = this.src;
    const start = this.i;
    const pos = start + 1;
    if (this.atEnd()) throw new ExpressionSyntaxError(`unexpected end of expression: an operand is missing${this.after(start)}`, pos);
    const c = s[start];
    if (c === '(') {
      this.i++;
      const inner = this.parseExpression();
      this.skipSpace();
      if (s[this.i] !== ')') {
        throw new ExpressionSyntaxError(
          `expected ')' to close the parenthesis opened at position ${pos}, found ${describeAt(s, this.i)}`, this.i + 1);
      }
      this.i++;
      return inner;
    }
    if (c === '"' || c === '\'') return this.parseString();
    if (DIGIT.test(c)) return this.parseNumber();
    if (c === '$') return this.parseReference();
    if (IDENT_START.test(c)) {
      let j = start + 1;
      while (j < s.length && IDENT_PART.test(s[j])) j++;
      const word = s.slice(start, j);
      this.i = j;
      if (word === 'true' || word === 'false') return { kind: 'boolean', pos, value: word === 'true' };
      this.skipSpace();
      if (word.toLowerCase() === 'not' && !this.atEnd() && s[this.i] !== '(' && !/[-+*/=<>!&|^)},]/.test(s[this.i])) {
        throw new ExpressionSyntaxError(`unexpected word '${word}': write '!'`, pos);
      }
      if (s[this.i] === '(') {
        this.i++;
        const args: ExpressionNode[] = [];
        this.skipSpace();
        if (s[this.i] === ')') {
          this.i++;
        } else {
          for (;;) {
            args.push(this.parseExpression());
            this.skipSpace();
            if (s[this.i] === ',') {
              this.i++;
              this.skipSpace();
              if (s[this.i] === ')') {
                throw new ExpressionSyntaxError(`expected an argument after ',' in ${word}(), found ')': remove the trailing ','`, this.i + 1);
              }
              continue;
            }
            if (s[this.i] === ')') { this.i++; break; }
            throw new ExpressionSyntaxError(
              `expected ',' or ')' after argument ${args.length} of ${word}() (opened at position ${pos}), found ${describeAt(s, this.i)}`
              + (this.atEnd() ? ': close the call with \')\'' : ''),
              this.i + 1);
          }
        }
        return { kind: 'call', pos, name: word, args };
      }
      return { kind: 'keyword', pos, name: word };
    }
    throw new ExpressionSyntaxError(
      `unexpected ${describeAt(s, start)}: expected a literal, a reference, a function call or '('${this.primaryHint(start)}`, pos);
  }

  /** ` after '+'`: the last character before `i` that is not a space, for "an operand is missing" messages. */
  private after(i: number): string {
    let j = i - 1;
    while (j >= 0 && /\s/.test(this.src[j])) j--;
    return j >= 0 ? ` after '${this.src[j]}'` : '';
  }

  /** A likely fix for an unexpected character where an operand should start. */
  private primaryHint(i: number): string {
    const s = this.src;
    const c = s[i];
    if (c === ')' || c === '}') return `; an operand is missing${this.after(i)}`;
    if (c === ',') return '; an argument is missing';
    if (c === '.' && DIGIT.test(s[i + 1] ?? '')) return `; write decimals with a leading digit, like 0${s.slice(i, i + 2)}`;
    if (c === '=' && s.slice(i - 2, i) === '==') return '; equality is \'==\' (there is no \'===\')';
    if (c === '>' && s[i - 1] === '<') return '; write not-equal as \'!=\'';
    if (c === '*' || c === '/' || c === '&' || c === '|' || c === '^' || c === '<' || c === '>' || c === '=') {
      return `; an operand is missing${this.after(i)}`;
    }
    return '';
  }

  private parseNumber(): ExpressionNode {
    const s = this.src;
    const start = this.i;
    let j = start;
    while (j < s.length && DIGIT.test(s[j])) j++;
    let decimal = false;
    if (s[j] === '.' && DIGIT.test(s[j + 1] ?? '')) {
      decimal = true;
      j++;
      while (j < s.length && DIGIT.test(s[j])) j++;
    }
    if ((s[j] === 'e' || s[j] === 'E') && /[0-9+-]/.test(s[j + 1] ?? '')) {
      let k = j + 1;
      if (s[k] === '+' || s[k] === '-') k++;
      if (DIGIT.test(s[k] ?? '')) {
        decimal = true;
        while (k < s.length && DIGIT.test(s[k])) k++;
        j = k;
      }
    }
    if (j < s.length && (IDENT_PART.test(s[j]) || s[j] === '.')) {
      let k = j;
      while (k < s.length && (IDENT_PART.test(s[k]) || s[k] === '.')) k++;
      const token = s.slice(start, k);
      const fix = /^\d+\.$/.test(token)
        ? `write a digit after the point, like ${token}0`
        : 'write a number as digits with an optional fraction and exponent, like 12, 12.5 or 1.2e3';
      throw new ExpressionSyntaxError(`malformed number '${token}': ${fix}`, start + 1);
    }
    this.i = j;
    return { kind: 'number', pos: start + 1, value: Number(s.slice(start, j)), decimal };
  }

  /** A string literal in single or double quotes; `\` escapes the next character; `${…}` makes it a template. */
  private parseString(): ExpressionNode {
    const s = this.src;
    const start = this.i;
    const quote = s[start];
    this.i++;
    const parts: Array<string | ExpressionNode> = [];
    let literal = '';
    let template = false;
    for (;;) {
      if (this.atEnd()) {
        const inside = this.substitutions.length > 0
          ? `; it starts inside the substitution opened at position ${this.substitutions[this.substitutions.length - 1]}, which needs its '}' first`
          : `; end it with ${quote}`;
        throw new ExpressionSyntaxError(`unterminated string: the ${quote} opened at position ${start + 1} is never closed${inside}`, start + 1);
      }
      const c = s[this.i];
      if (c === quote) { this.i++; break; }
      if (c === '\\') {
        const n = s[this.i + 1];
        if (n === undefined) continue; // reported as unterminated on the next turn
        literal += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
        this.i += 2;
        continue;
      }
      if (c === '$' && s[this.i + 1] === '{') {
        template = true;
        if (literal) parts.push(literal);
        literal = '';
        parts.push(this.parseSubstitution());
        continue;
      }
      literal += c;
      this.i++;
    }
    if (!template) return { kind: 'string', pos: start + 1, value: literal };
    if (literal) parts.push(literal);
    return { kind: 'template', pos: start + 1, parts };
  }

  /** `$input.<name>.<path>` or `$variable.<name>`. */
  private parseReference(): ExpressionNode {
    const s = this.src;
    const start = this.i;
    let j = start + 1;
    while (j < s.length && IDENT_PART.test(s[j])) j++;
    const head = s.slice(start, j);
    if (head !== '$input' && head !== '$variable') {
      const lower = head.toLowerCase();
      const guess = nearMiss(['$input', '$variable'], head)
        ?? (lower.length > 1 && '$variable'.startsWith(lower) ? '$variable' : lower.length > 1 && '$input'.startsWith(lower) ? '$input' : undefined);
      throw new ExpressionSyntaxError(`unknown reference '${head}': ${guess ? `did you mean '${guess}'? ` : ''}`
        + 'references are $input.<Input>.<path> and $variable.<name>', start + 1);
    }
    this.i = j;
    if (s[this.i] !== '.') {
      throw new ExpressionSyntaxError(`expected '.' after ${head}, found ${describeAt(s, this.i)}`, this.i + 1);
    }
    this.i++;
    const name = this.parseSegment(head === '$input' ? 'input name' : 'variable name');
    if (head === '$variable') return { kind: 'variable', pos: start + 1, name };
    const path: PathStep[] = [];
    const attribute: string[] = [];
    for (;;) {
      if (s[this.i] === '.' && path.length === 0) {
        this.i++;
        const seg = this.parseSegment('attribute name');
        path.push(seg);
        attribute.push(seg);
      } else if (s[this.i] === '.' && (s[this.i + 1] === '`' || IDENT_START.test(s[this.i + 1] ?? ''))) {
        this.i++;
        const seg = this.parseSegment('attribute name');
        path.push(seg);
        attribute.push(seg);
      } else if (s[this.i] === '[' && path.length > 0) {
        const open = this.i;
        let k = open + 1;
        while (k < s.length && DIGIT.test(s[k])) k++;
        if (k === open + 1 || s[k] !== ']') {
          throw new ExpressionSyntaxError('an array index is a non-negative integer in brackets, like [0]', open + 1);
        }
        path.push(Number(s.slice(open + 1, k)));
        this.i = k + 1;
      } else {
        break;
      }
    }
    if (path.length === 0) {
      throw new ExpressionSyntaxError(`$input.${name} needs an attribute path, like $input.${name}.value`, start + 1);
    }
    return { kind: 'input', pos: start + 1, inputName: name, path, attributePath: attribute.map(quoteSegment).join('.') };
  }

  /** An identifier `[a-zA-Z][a-zA-Z0-9_]*` or a backtick-quoted name. */
  private parseSegment(what: string): string {
    const s = this.src;
    const start = this.i;
    if (s[start] === '`') {
      const end = s.indexOf('`', start + 1);
      if (end < 0) throw new ExpressionSyntaxError(`unterminated backtick-quoted ${what}`, start + 1);
      if (end === start + 1) throw new ExpressionSyntaxError(`empty backtick-quoted ${what}`, start + 1);
      this.i = end + 1;
      return s.slice(start + 1, end);
    }
    if (!IDENT_START.test(s[start] ?? '')) {
      throw new ExpressionSyntaxError(
        `expected ${what} at ${describeAt(s, start)}; names that do not match [a-zA-Z][a-zA-Z0-9_]* go in backticks, like \`_value\``,
        start + 1);
    }
    let j = start + 1;
    while (j < s.length && IDENT_PART.test(s[j])) j++;
    this.i = j;
    return s.slice(start, j);
  }
}

/** An attribute path segment as a `jsonPath` writes it: plain when it is an identifier, else in backticks. */
export function quoteSegment(seg: string): string {
  return /^[A-Za-z][A-Za-z0-9_]*$/.test(seg) ? seg : '`' + seg + '`';
}
