import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * Acknowledgements of the cdk-nag AwsSolutions findings on the resources the library creates, written where each
 * resource is created, with the reason that holds for it. They use aws-cdk-lib's `Validations.acknowledge` (the
 * metadata cdk-nag 3 reads), so the library does not depend on cdk-nag. A finding that comes from a user's
 * choice and is not justified by the design is not acknowledged here: it is left to the user (README "cdk-nag").
 */

/** The cdk-nag rule pack, which is also the namespace of its rule ids in `Validations`. */
const PACK = 'AwsSolutions';

/** Reasons already given per construct and finding: a second reason for the same finding is appended. */
const given = new WeakMap<IConstruct, Map<string, string[]>>();

/**
 * Acknowledges the finding `rule` of the AwsSolutions pack (e.g. `'SQS3'`, `'IAM5[Resource::*]'`) on `scope` and
 * everything under it. Several reasons for the same finding on the same construct are joined.
 */
export function acknowledgeFinding(scope: IConstruct, rule: string, reason: string): void {
  const byRule = given.get(scope) ?? new Map<string, string[]>();
  given.set(scope, byRule);
  const reasons = byRule.get(rule) ?? [];
  if (reasons.includes(reason)) return;
  reasons.push(reason);
  byRule.set(rule, reasons);
  Validations.of(scope).acknowledge({ id: `${PACK}::${PACK}-${rule}`, reason: reasons.join('; ') });
}

/**
 * The text cdk-nag's IAM5 rule gives a resource of a policy statement: the resolved value flattened
 * (`Ref` as `<Name>`, `Fn::GetAtt` as `<Name.Attribute>`, `Fn::Join` joined, `${...}` as `<...>`).
 */
export function nagResourceText(scope: IConstruct, resource: string): string {
  const visit = (node: unknown): string => {
    if (node === undefined) return '';
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
    const o = node as Record<string, any>;
    if (o && typeof o === 'object' && !Array.isArray(o)) {
      if (Array.isArray(o['Fn::Join'])) return (o['Fn::Join'][1] as unknown[]).map(visit).join(o['Fn::Join'][0]);
      if (o['Fn::Sub'] !== undefined) return visit(o['Fn::Sub']);
      if (Array.isArray(o['Fn::GetAtt'])) return `<${visit(o['Fn::GetAtt'][0])}.${visit(o['Fn::GetAtt'][1])}>`;
      if (o['Fn::ImportValue'] !== undefined) return visit(o['Fn::ImportValue']);
      if (o.Ref !== undefined) return `<${visit(o.Ref)}>`;
    }
    return JSON.stringify(node);
  };
  return visit(Stack.of(scope).resolve(resource));
}

/**
 * Acknowledges the IAM5 finding of each resource with a wildcard (`*` in its flattened text) on `scope`, a role
 * or policy the library created.
 */
export function acknowledgeWildcardResources(scope: IConstruct, resources: string[], reason: string): void {
  for (const resource of resources) {
    const text = nagResourceText(scope, resource);
    if (text.includes('*')) acknowledgeFinding(scope, `IAM5[Resource::${text}]`, reason);
  }
}

/** Roles the library created (a grant to one of them is acknowledged there; a user's role is left to the user). */
const libraryRoles = new WeakSet<IConstruct>();

/** Records that the library created `role`. */
export function markLibraryRole(role: iam.IRole): void {
  libraryRoles.add(role);
}

/**
 * Acknowledges the wildcard resources granted to `grantee` when its principal is a role the library created
 * (`markLibraryRole`); on a user's role it does nothing.
 */
export function acknowledgeGrantedWildcards(grantee: iam.IGrantable, resources: string[], reason: string): void {
  const principal = grantee.grantPrincipal as unknown as IConstruct;
  if (!libraryRoles.has(principal)) return;
  acknowledgeWildcardResources(principal, resources, reason);
}
