/**
 * The syntax tree of an AWS IoT Events expression.
 *
 * Every node carries `pos`: the 1-based character position in the expression text where it starts,
 * so problems can point at it.
 */

export type BinaryOperator =
  | '||' | '&&'
  | '|' | '^' | '&'
  | '==' | '!='
  | '<' | '<=' | '>' | '>='
  | '+' | '-'
  | '*' | '/';

export type UnaryOperator = '!' | '~' | '-';

/** A JSON path step: a property name or an array index. */
export type PathStep = string | number;

export interface NumberNode {
  readonly kind: 'number';
  readonly pos: number;
  readonly value: number;
  /** `true` when written with a fraction or an exponent (`1.0`, `2e3`): a decimal, not an integer. */
  readonly decimal: boolean;
}

export interface StringNode {
  readonly kind: 'string';
  readonly pos: number;
  readonly value: string;
}

/** A string literal holding `${…}` substitutions: literal text and expressions, in order. */
export interface TemplateNode {
  readonly kind: 'template';
  readonly pos: number;
  readonly parts: ReadonlyArray<string | ExpressionNode>;
}

export interface BooleanNode {
  readonly kind: 'boolean';
  readonly pos: number;
  readonly value: boolean;
}

/** `$input.<inputName>.<path>` */
export interface InputNode {
  readonly kind: 'input';
  readonly pos: number;
  readonly inputName: string;
  readonly path: readonly PathStep[];
  /** The path as an input attribute's `jsonPath` spells it (array indexes dropped), e.g. `sensorData.temperature`. */
  readonly attributePath: string;
}

/** `$variable.<name>` */
export interface VariableNode {
  readonly kind: 'variable';
  readonly pos: number;
  readonly name: string;
}

/** A bare word: only `String`, `Boolean` and `Decimal` as `convert()`'s first argument. */
export interface KeywordNode {
  readonly kind: 'keyword';
  readonly pos: number;
  readonly name: string;
}

export interface UnaryNode {
  readonly kind: 'unary';
  readonly pos: number;
  readonly op: UnaryOperator;
  readonly operand: ExpressionNode;
}

export interface BinaryNode {
  readonly kind: 'binary';
  readonly pos: number;
  readonly op: BinaryOperator;
  readonly left: ExpressionNode;
  readonly right: ExpressionNode;
}

export interface CallNode {
  readonly kind: 'call';
  readonly pos: number;
  readonly name: string;
  readonly args: readonly ExpressionNode[];
}

export type ExpressionNode =
  | NumberNode | StringNode | TemplateNode | BooleanNode
  | InputNode | VariableNode | KeywordNode
  | UnaryNode | BinaryNode | CallNode;
