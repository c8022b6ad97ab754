/**
 * What the other resources of a stack still claim, for a custom resource's Delete. Runs inside AWS Lambda (imported
 * by `*.lambda.ts` handlers only): the CloudFormation client is the Lambda runtime's SDK.
 *
 * CloudFormation creates the new resource of a moved or renamed construct (a new logical id, the same physical id)
 * before it deletes the old one, and a rollback deletes the new one while the old one lives. A Delete that undoes
 * by physical id then undoes what the other resource owns. Each handler asks first which of its items another live
 * resource of the same type in the stack claims, and leaves those.
 */
import { CloudFormationClient, GetTemplateCommand, ListStackResourcesCommand, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { CustomResourceEvent, RetryOptions, SDK_CLIENT_CONFIG, withRetries } from './handler-kit';

/** One resource of a stack, as `ListStackResources` lists it. */
export interface StackResource {
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceType: string;
  readonly ResourceStatus: string;
}

/** Reads a stack (tests replace it). */
export interface StackReader {
  /** Every resource of the stack. */
  resources(stackId: string): Promise<StackResource[]>;
  /** The stack's template (JSON) as CloudFormation processed it. */
  template(stackId: string): Promise<string>;
}

/** The reader of the Lambda environment: `cloudformation:ListStackResources` and `cloudformation:GetTemplate` on the stack. */
export function cloudFormationStackReader(retry: RetryOptions = {}, client = new CloudFormationClient(SDK_CLIENT_CONFIG)): StackReader {
  return {
    async resources(stackId) {
      const out: StackResource[] = [];
      let token: string | undefined;
      do {
        const page = await withRetries(() => client.send(new ListStackResourcesCommand({ StackName: stackId, NextToken: token })),
          { ...retry, label: 'ListStackResources' });
        out.push(...(page.StackResourceSummaries ?? []).map((r: StackResourceSummary) => ({
          LogicalResourceId: r.LogicalResourceId ?? '',
          PhysicalResourceId: r.PhysicalResourceId,
          ResourceType: r.ResourceType ?? '',
          ResourceStatus: r.ResourceStatus ?? '',
        })));
        token = page.NextToken;
      } while (token);
      return out;
    },
    async template(stackId) {
      const res = await withRetries(() => client.send(new GetTemplateCommand({ StackName: stackId, TemplateStage: 'Processed' })),
        { ...retry, label: 'GetTemplate' });
      return res.TemplateBody ?? '{}';
    },
  };
}

/** Whether a resource in this status exists and holds what it claims (not being deleted, not a failed create). */
export function isLive(status: string): boolean {
  return !status.startsWith('DELETE_') && status !== 'CREATE_FAILED' && status !== 'CREATE_IN_PROGRESS';
}

/**
 * The other live resources of the event's type in the event's stack with the same physical id: those that own what
 * a Delete of this physical id would undo.
 */
export async function otherOwners(event: CustomResourceEvent, reader: StackReader,
  samePhysicalId = (id: string | undefined) => id === event.PhysicalResourceId): Promise<StackResource[]> {
  const resources = await reader.resources(event.StackId);
  return resources.filter((r) => r.LogicalResourceId !== event.LogicalResourceId && r.ResourceType === event.ResourceType
    && isLive(r.ResourceStatus) && samePhysicalId(r.PhysicalResourceId));
}

/** A value of a template property: a string when known, undefined when it depends on something not readable here. */
export type Resolve = (value: unknown) => string | undefined;

/**
 * The values `claimsOf` reads from the properties of the other owners (see `otherOwners`), resolved against the stack:
 * literals, `Ref` to a resource (its physical id) or to a pseudo parameter, and `Fn::Join` of those.
 *
 * @returns the claimed values, or undefined when one could not be resolved (the caller then leaves everything)
 */
export async function claimsOf(event: CustomResourceEvent, reader: StackReader, owners: StackResource[],
  read: (properties: Record<string, unknown>, resolve: Resolve) => Array<string | undefined>): Promise<Set<string> | undefined> {
  if (owners.length === 0) return new Set();
  const [resources, text] = await Promise.all([reader.resources(event.StackId), reader.template(event.StackId)]);
  let template: { Resources?: Record<string, { Properties?: Record<string, unknown> }> };
  try {
    template = JSON.parse(text);
  } catch {
    return undefined;
  }
  const physical = new Map(resources.map((r) => [r.LogicalResourceId, r.PhysicalResourceId]));
  // arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<id>
  const [, partition, , region, account, stackPath] = event.StackId.split(':');
  const pseudo: Record<string, string | undefined> = {
    'AWS::Partition': partition,
    'AWS::Region': region,
    'AWS::AccountId': account,
    'AWS::StackId': event.StackId,
    'AWS::StackName': stackPath?.split('/')[1],
    'AWS::URLSuffix': partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
  };
  const resolve: Resolve = (value) => {
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const o = value as Record<string, unknown>;
      if (typeof o.Ref === 'string') return o.Ref.startsWith('AWS::') ? pseudo[o.Ref] : physical.get(o.Ref);
      const join = o['Fn::Join'];
      if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
        const parts = join[1].map(resolve);
        return parts.every((p) => p !== undefined) ? parts.join(join[0]) : undefined;
      }
    }
    return undefined;
  };
  const claims = new Set<string>();
  for (const owner of owners) {
    const properties = template.Resources?.[owner.LogicalResourceId]?.Properties;
    if (!properties) return undefined;
    for (const value of read(properties, resolve)) {
      if (value === undefined) return undefined;
      claims.add(value);
    }
  }
  return claims;
}
