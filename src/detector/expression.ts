import { InputDefinition } from './input-definition';

// Operator priorities, lowest first: the precedence the expression parser uses
// (src/private/detector-engine/expression/parser.ts), so rendered expressions need parentheses only where a
// lower-priority operator sits inside a higher-priority one.
const OR = 1;
const AND = 2;
const BIT_OR = 3;
const BIT_XOR = 4;
const BIT_AND = 5;
const EQUALITY = 6;
const RELATIONAL = 7;
const ADDITIVE = 8;
const MULTIPLICATIVE = 9;
const UNARY = 10;
const PRIMARY = 11;

/**
 * An AWS IoT Events expression: a condition (`when`), a `setVariable` value or a timer duration.
 *
 * Built from the factories below (names as in `@aws-cdk/aws-iotevents-alpha`), or written out with
 * `Expression.fromString`. Expressions are parsed and checked once, when the detector model is defined:
 * a syntax error, an unknown input attribute, variable or timer, or a function with wrong arguments fails
 * there, naming the state, the event and the position in the expression.
 *
 * @see https://docs.aws.amazon.com/iotevents/latest/developerguide/iotevents-expressions.html
 */
export abstract class Expression {
  /**
   * An expression written out, such as `$input.PressureInput.sensorData.pressure > 70`.
   *
   * @param value the expression text (checked when the detector model is defined)
   */
  public static fromString(value: string): Expression {
    return new RawExpression(value, 0);
  }

  /**
   * The value of an input attribute: `$input.<inputName>.<path>`.
   *
   * @param input the input the message arrives on
   * @param path one of the input's attribute JSON paths (or a path inside one, with `[n]` array indexes),
   *   such as `sensorData.pressure`; segments that are not identifiers (`my-field`, `_value`) are put in
   *   backticks, as the expression language needs
   */
  public static inputAttribute(input: InputDefinition, path: string): Expression {
    if (path.length === 0) throw new Error(`inputAttribute needs an attribute path of input '${input.inputName}', got an empty string`);
    return new RawExpression(`$input.${input.inputName}.${renderPath(input.inputName, path)}`, PRIMARY);
  }

  /**
   * The value of a detector variable: `$variable.<name>`.
   *
   * @param name the variable's name, as a `setVariable` action sets it
   */
  public static variable(name: string): Expression {
    if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(name)) {
      throw new Error(`variable name '${name}' must match ^[a-zA-Z][a-zA-Z0-9_]*$ (IoT Events VariableName)`);
    }
    return new RawExpression(`$variable.${name}`, PRIMARY);
  }

  /**
   * `true` while the message being evaluated arrived on this input: `currentInput("<inputName>")`.
   */
  public static currentInput(input: InputDefinition): Expression {
    return new RawExpression(`currentInput(${quote(input.inputName)})`, PRIMARY);
  }

  /**
   * `true` once, when the timer expires: `timeout("<timerName>")`.
   *
   * @param timerName the name a `setTimer` action gives the timer
   */
  public static timeout(timerName: string): Expression {
    return new RawExpression(`timeout(${quote(timerName)})`, PRIMARY);
  }

  /**
   * `true` when the evaluation was caused by this kind of trigger: `triggerType("Message")` or
   * `triggerType("Timer")`.
   *
   * @param type `Message` or `Timer`
   */
  public static triggerType(type: string): Expression {
    if (type !== 'Message' && type !== 'Timer') throw new Error(`triggerType takes 'Message' or 'Timer', got '${type}'`);
    return new RawExpression(`triggerType(${quote(type)})`, PRIMARY);
  }

  /**
   * A string literal: in single quotes, as the guide writes string literals, or in double quotes when the
   * value holds a single quote and no double quote. A backslash escapes a quote of the other kind, a
   * backslash and a `${`, which stays literal text.
   */
  public static string(value: string): Expression {
    return new RawExpression(quoteLiteral(value), PRIMARY);
  }

  /**
   * A number literal. Integral values are integers (`/` between two integers rounds toward zero);
   * use `Expression.decimal` for a decimal with no fraction.
   */
  public static number(value: number): Expression {
    if (!Number.isFinite(value)) throw new Error(`number literal must be finite, got ${value}`);
    const text = Number.isInteger(value) ? BigInt(value).toString() : renderNumber(value);
    return new RawExpression(value < 0 ? `(${text})` : text, PRIMARY);
  }

  /** A decimal literal, written with a fraction (`20` renders as `20.0`) so division stays decimal. */
  public static decimal(value: number): Expression {
    if (!Number.isFinite(value)) throw new Error(`decimal literal must be finite, got ${value}`);
    const text = Number.isInteger(value) && !/e/i.test(String(value)) ? `${value}.0` : renderNumber(value);
    return new RawExpression(value < 0 ? `(${text})` : text, PRIMARY);
  }

  /** A boolean literal: `true` or `false`. */
  public static boolean(value: boolean): Expression {
    return new RawExpression(value ? 'true' : 'false', PRIMARY);
  }

  /** `left == right` (`false` when an operand is undefined, such as an unset variable) */
  public static eq(left: Expression, right: Expression): Expression {
    return new BinaryExpression(left, '==', right, EQUALITY);
  }

  /** `left != right` (`true` when an operand is undefined, such as an unset variable) */
  public static neq(left: Expression, right: Expression): Expression {
    return new BinaryExpression(left, '!=', right, EQUALITY);
  }

  /** `left < right` */
  public static lt(left: Expression, right: Expression): Expression {
    return new BinaryExpression(left, '<', right, RELATIONAL);
  }

  /** `left <= right` */
  public static lte(left: Expression, right: Expression): Expression {
    return new BinaryExpression(left, '<=', right, RELATIONAL);
  }

  /** `left > right` */
  public static gt(left: Expression, right: Expression): Expression {
    return new BinaryExpression(left, '>', right, RELATIONAL);
  }

  /** `left >= right` */
  public static gte(left: Expression, right: Expression): Expression {
    return new BinaryExpression(left, '>=', right, RELATIONAL);
  }

  /** `left && right` */
  public static and(left: Expression, right: Expression): Expression {
    return new BinaryExpression(left, '&&', right, AND);
  }

  /** `left || right` (an undefined operand counts as `false`) */
  public static or(left: Expression, right: Expression): Expression {
    return new BinaryExpression(left, '||', right, OR);
  }

  /** `!operand` */
  public static not(operand: Expression): Expression {
    return new UnaryExpression('!', operand);
  }

  /** `left + right`: the sum of two numbers or the concatenation of two strings. */
  public static add(left: Expression, right: Expression): Expression {
    return new BinaryExpression(left, '+', right, ADDITIVE);
  }

  /** `left + right` over two strings: `add` under the name `@aws-cdk/aws-iotevents-alpha` gives it. */
  public static concat(left: Expression, right: Expression): Expression {
    return Expression.add(left, right);
  }

  /** `left - right` */
  public static subtract(left: Expression, right: Expression): Expression {
    return new BinaryExpression(left, '-', right, ADDITIVE);
  }

  /** `left * right` */
  public static multiply(left: Expression, right: Expression): Expression {
    return new BinaryExpression(left, '*', right, MULTIPLICATIVE);
  }

  /** `left / right`: an integer rounded toward zero when both are integers, else a decimal. */
  public static divide(left: Expression, right: Expression): Expression {
    return new BinaryExpression(left, '/', right, MULTIPLICATIVE);
  }

  /** `isNull(operand)`: `true` when the value is a JSON `null`. */
  public static isNull(operand: Expression): Expression {
    return new CallExpression('isNull', [operand]);
  }

  /** `isUndefined(operand)`: `true` when the value is absent (a missing attribute, an unset variable). */
  public static isUndefined(operand: Expression): Expression {
    return new CallExpression('isUndefined', [operand]);
  }

  /** `startsWith(value, prefix)` over two strings. */
  public static startsWith(value: Expression, prefix: Expression): Expression {
    return new CallExpression('startsWith', [value, prefix]);
  }

  /** `endsWith(value, suffix)` over two strings. */
  public static endsWith(value: Expression, suffix: Expression): Expression {
    return new CallExpression('endsWith', [value, suffix]);
  }

  /** `contains(value, part)` over two strings. */
  public static contains(value: Expression, part: Expression): Expression {
    return new CallExpression('contains', [value, part]);
  }

  /**
   * `convert(<type>, operand)`.
   *
   * @param type `String`, `Boolean` or `Decimal`
   */
  public static convert(type: string, operand: Expression): Expression {
    if (type !== 'String' && type !== 'Boolean' && type !== 'Decimal') {
      throw new Error(`convert type must be 'String', 'Boolean' or 'Decimal', got '${type}'`);
    }
    return new CallExpression('convert', [new RawExpression(type, PRIMARY), operand]);
  }

  /** `left | right`: bitwise OR of two integers. */
  public static bitwiseOr(left: Expression, right: Expression): Expression {
    return new BinaryExpression(left, '|', right, BIT_OR);
  }

  /** `left ^ right`: bitwise XOR of two integers. */
  public static bitwiseXor(left: Expression, right: Expression): Expression {
    return new BinaryExpression(left, '^', right, BIT_XOR);
  }

  /** `left & right`: bitwise AND of two integers. */
  public static bitwiseAnd(left: Expression, right: Expression): Expression {
    return new BinaryExpression(left, '&', right, BIT_AND);
  }

  /** `~operand`: bitwise NOT of an integer. */
  public static bitwiseNot(operand: Expression): Expression {
    return new UnaryExpression('~', operand);
  }

  /** `bitand(left, right)`: bitwise AND of two integers. */
  public static bitand(left: Expression, right: Expression): Expression {
    return new CallExpression('bitand', [left, right]);
  }

  /** `bitor(left, right)`: bitwise OR of two integers. */
  public static bitor(left: Expression, right: Expression): Expression {
    return new CallExpression('bitor', [left, right]);
  }

  /** `bitxor(left, right)`: bitwise XOR of two integers. */
  public static bitxor(left: Expression, right: Expression): Expression {
    return new CallExpression('bitxor', [left, right]);
  }

  /** `bitnot(operand)`: bitwise NOT of an integer. */
  public static bitnot(operand: Expression): Expression {
    return new CallExpression('bitnot', [operand]);
  }

  constructor() {}

  /**
   * The expression text.
   *
   * @param parentPriority the priority of the operator this expression is an operand of; the text is
   *   parenthesized when its own operator binds less tightly
   * @default 0
   */
  public abstract evaluate(parentPriority?: number): string;
}

/** A string in double quotes, as the guide writes function arguments (`timeout("t")`). */
function quote(value: string): string {
  return quoteWith('"', value);
}

/** A string literal in single quotes (the guide's form), or double quotes when that avoids escaping. */
function quoteLiteral(value: string): string {
  return quoteWith(value.includes('\'') && !value.includes('"') ? '"' : '\'', value);
}

function quoteWith(q: string, value: string): string {
  const escaped = value.replace(/\\/g, '\\\\').split(q).join('\\' + q).replace(/\$\{/g, '\\${');
  return q + escaped + q;
}

const IDENTIFIER = /^[a-zA-Z][a-zA-Z0-9_]*$/;

/**
 * An attribute path as an expression writes it: segments that are not identifiers go in backticks
 * (`my-field` becomes `` `my-field` ``), backtick-quoted segments and `[n]` indexes stay as written.
 */
function renderPath(inputName: string, path: string): string {
  const out: string[] = [];
  let i = 0;
  const fail = (why: string) => {
    throw new Error(`inputAttribute path '${path}' of input '${inputName}' ${why}; write segments separated by '.', `
      + 'with [n] array indexes, such as sensorData.temperatures[0]');
  };
  for (;;) {
    let seg: string;
    if (path[i] === '`') {
      const end = path.indexOf('`', i + 1);
      if (end <= i + 1) fail(end < 0 ? `has an unclosed backtick at ${i + 1}` : `has an empty segment at ${i + 1}`);
      seg = path.slice(i, end + 1);
      i = end + 1;
    } else {
      let j = i;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      const name = path.slice(i, j);
      if (name.length === 0) fail(`has an empty segment at ${i + 1}`);
      if (/[`\]]/.test(name)) fail(`has '${/[`\]]/.exec(name)![0]}' inside the segment '${name}'`);
      seg = IDENTIFIER.test(name) ? name : '`' + name + '`';
      i = j;
    }
    while (path[i] === '[') {
      const m = /^\[(\d+)\]/.exec(path.slice(i));
      if (!m) fail(`has a malformed array index at ${i + 1}`);
      seg += m![0];
      i += m![0].length;
    }
    out.push(seg);
    if (i >= path.length) return out.join('.');
    if (path[i] !== '.') fail(`has '${path[i]}' at ${i + 1} where '.' or the end was expected`);
    i++;
  }
}

function renderNumber(value: number): string {
  return String(value);
}

class RawExpression extends Expression {
  constructor(private readonly text: string, private readonly priority: number) {
    super();
  }

  public evaluate(parentPriority = 0): string {
    // fromString text has priority 0: parenthesized whenever it is an operand
    return this.priority < parentPriority || (this.priority === 0 && parentPriority > 0) ? `(${this.text})` : this.text;
  }
}

class BinaryExpression extends Expression {
  constructor(
    private readonly left: Expression,
    private readonly op: string,
    private readonly right: Expression,
    private readonly priority: number,
  ) {
    super();
  }

  public evaluate(parentPriority = 0): string {
    // left-associative: the right operand of the same priority needs parentheses (a - (b - c))
    const text = `${this.left.evaluate(this.priority)} ${this.op} ${this.right.evaluate(this.priority + 1)}`;
    return this.priority < parentPriority ? `(${text})` : text;
  }
}

class UnaryExpression extends Expression {
  constructor(private readonly op: string, private readonly operand: Expression) {
    super();
  }

  public evaluate(parentPriority = 0): string {
    const text = `${this.op}${this.operand.evaluate(UNARY)}`;
    return UNARY < parentPriority ? `(${text})` : text;
  }
}

class CallExpression extends Expression {
  constructor(private readonly name: string, private readonly args: Expression[]) {
    super();
  }

  public evaluate(): string {
    return `${this.name}(${this.args.map((a) => a.evaluate(0)).join(', ')})`;
  }
}
