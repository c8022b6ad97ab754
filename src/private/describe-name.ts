import { Token, Tokenization } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * A name in words, for error messages: the name as written when it is a literal, and otherwise what
 * gives it at deploy time, never the token's text (`${Token[TOKEN.127]}` means nothing to a user).
 *
 * ```ts
 * describeName('thing group', 'line-1')          // thing group 'line-1'
 * describeName('thing group', group.ref)         // thing group of 'Edge/Fleet/ThingGroup' (its name is known only at deploy time)
 * describeName('thing', param.valueAsString)     // thing of 'Edge/DeviceName' (its name is known only at deploy time)
 * describeName('thing', `${prefix}-${suffix}`)   // thing whose name is known only at deploy time
 * ```
 */
export function describeName(kind: string, name: string): string {
  if (!Token.isUnresolved(name)) return `${kind} '${name}'`;
  const fragments = Tokenization.reverseString(name);
  // Only a name that is one reference and nothing else is named by what it refers to.
  const owner = fragments.length === 1 ? (fragments.firstToken as { target?: unknown } | undefined)?.target : undefined;
  return Construct.isConstruct(owner)
    ? `${kind} of '${owner.node.path}' (its name is known only at deploy time)`
    : `${kind} whose name is known only at deploy time`;
}
