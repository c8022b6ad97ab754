/**
 * Parse-once, evaluate-fast AWS IoT Events expressions: `compileExpression` parses and checks the text
 * and returns a closure; `compileTextField` does the same for text fields that take `${…}` substitutions
 * (MQTT topics, DynamoDB key values). No CDK import: bundled into Lambda handlers.
 */
import { ExpressionNode } from './ast';
import {
  CompileEnvironment, CompiledExpression, ExpressionProblem, ExpressionReferences, StaticType, compileNode,
} from './compiler';
import { ExpressionSyntaxError, parseExpression, parseTextTemplate } from './parser';

export * from './ast';
export * from './compiler';
export * from './decimal';
export { ExpressionSyntaxError, parseExpression, parseTextTemplate } from './parser';
export { didYouMean, nearMiss } from './suggest';

export interface CompileResult {
  /** Usable only when `problems` is empty. */
  readonly evaluate: CompiledExpression;
  readonly type: StaticType;
  readonly problems: ExpressionProblem[];
}

const INVALID: CompiledExpression = () => undefined;

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&gt;': '>', '&lt;': '<', '&amp;': '&', '&quot;': '"', '&apos;': '\'', '&#39;': '\'' };

/**
 * A hint for an expression copied from a web page with its HTML entities (`&gt;` for `>`, `&amp;&amp;` for `&&`),
 * as some published examples print them; '' when there is none.
 */
function htmlEntityHint(text: string): string {
  const found = [...new Set(text.match(/&(gt|lt|amp|quot|apos|#39);/g) ?? [])];
  if (found.length === 0) return '';
  return `; the expression holds the HTML entit${found.length === 1 ? 'y' : 'ies'} ${found.map((f) => `'${f}'`).join(', ')} `
    + `(copied from a web page?): write ${found.map((f) => `'${HTML_ENTITIES[f]}'`).join(', ')} instead`;
}

/** Parses and checks an expression (a condition, a `setVariable` value, a payload content expression, …). */
export function compileExpression(text: string, env: CompileEnvironment, refs?: ExpressionReferences): CompileResult {
  let node: ExpressionNode;
  try {
    node = parseExpression(text);
  } catch (e) {
    if (e instanceof ExpressionSyntaxError) {
      // With HTML entities in the text, their fix is the one to give (the parser's own advice would mislead).
      const hint = htmlEntityHint(text);
      const message = hint ? `${e.message.split(': ')[0]}${hint}` : e.message;
      return { evaluate: INVALID, type: 'unknown', problems: [{ position: e.position, message: `syntax error: ${message}` }] };
    }
    throw e;
  }
  const problems: ExpressionProblem[] = [];
  const out = compileNode(node, env, problems, refs);
  return { evaluate: out.fn, type: out.type, problems };
}

/**
 * A text field of an action that IoT Events documents as accepting expressions, but that published models
 * also fill with plain text (`hvac/Cooling/On`, `2024/10`): compiled as an expression when it parses as one
 * without bare words (`hvac`, `Cooling`) and holds a reference (`$input…`, `$variable…`), a quoted string or a
 * function call, so a typo in `$variable.nmae` is reported rather than sent as text; else as literal text with
 * `${…}` substitutions. Numbers and operators alone are text: `2024/10` is that topic, not 202.
 */
export function compileTextField(text: string, env: CompileEnvironment, refs?: ExpressionReferences): CompileResult {
  let parsed: ExpressionNode | undefined;
  try {
    parsed = parseExpression(text);
  } catch (e) {
    if (!(e instanceof ExpressionSyntaxError)) throw e;
  }
  if (parsed !== undefined && !hasBareWord(parsed) && holdsNonLiteralPart(parsed)) {
    const problems: ExpressionProblem[] = [];
    const out = compileNode(parsed, env, problems, refs);
    return { evaluate: out.fn, type: out.type, problems };
  }
  let node: ExpressionNode;
  try {
    node = parseTextTemplate(text);
  } catch (e) {
    if (e instanceof ExpressionSyntaxError) {
      return { evaluate: INVALID, type: 'string', problems: [{ position: e.position, message: `syntax error in a substitution: ${e.message}` }] };
    }
    throw e;
  }
  const problems: ExpressionProblem[] = [];
  const out = compileNode(node, env, problems, refs);
  return { evaluate: out.fn, type: 'string', problems };
}

/** Whether the tree holds a bare word other than the type of a `convert()`: text, not an expression. */
function hasBareWord(node: ExpressionNode): boolean {
  switch (node.kind) {
    case 'keyword': return true;
    case 'unary': return hasBareWord(node.operand);
    case 'binary': return hasBareWord(node.left) || hasBareWord(node.right);
    case 'call': return node.args.some((a, i) => !(node.name === 'convert' && i === 0 && a.kind === 'keyword') && hasBareWord(a));
    case 'template': return node.parts.some((p) => typeof p !== 'string' && hasBareWord(p));
    default: return false;
  }
}

/**
 * Whether the tree holds what only an expression writes: a reference, a quoted string (a `${…}` template is
 * one) or a function call. Numbers, booleans and operators alone (`2024/10`, `1-1`, `true`) are text.
 */
function holdsNonLiteralPart(node: ExpressionNode): boolean {
  switch (node.kind) {
    case 'input':
    case 'variable':
    case 'string':
    case 'template':
    case 'call':
      return true;
    case 'unary': return holdsNonLiteralPart(node.operand);
    case 'binary': return holdsNonLiteralPart(node.left) || holdsNonLiteralPart(node.right);
    default: return false;
  }
}
