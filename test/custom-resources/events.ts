import { GetTemplateCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { AwsStub } from 'aws-sdk-client-mock';
import { CustomResourceEvent, MAX_REASON_BYTES } from '../../src/private/handler-kit';

export const STACK_ID = 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Edge/0c8a4b70-1111-2222-3333-444455556666';

export function createEvent(props: Record<string, any>, extra: Partial<CustomResourceEvent> = {}): CustomResourceEvent {
  return {
    RequestType: 'Create',
    StackId: STACK_ID,
    RequestId: 'req-1',
    LogicalResourceId: 'Res',
    ResourceType: 'Custom::Test',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:provider', ...props },
    ...extra,
  };
}

export function updateEvent(props: Record<string, any>, oldProps: Record<string, any>, physicalId: string, requestId = 'req-2'): CustomResourceEvent {
  return createEvent(props, {
    RequestType: 'Update',
    RequestId: requestId,
    PhysicalResourceId: physicalId,
    OldResourceProperties: { ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:provider', ...oldProps },
  });
}

export function deleteEvent(props: Record<string, any>, physicalId: string): CustomResourceEvent {
  return createEvent(props, { RequestType: 'Delete', RequestId: 'req-3', PhysicalResourceId: physicalId });
}

/** An AWS SDK v3-like service error. */
export function awsError(name: string, message = `${name} from the service`, extra: Record<string, unknown> = {}): Error {
  const e = new Error(message);
  e.name = name;
  Object.assign(e, { $fault: 'client', $metadata: {} }, extra);
  return e;
}

export const noSleep = { sleep: async () => {}, random: () => 0.5 };

/** Runs the handler and returns the error it threw (the reason the framework sends CloudFormation). */
export async function failure(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the handler to fail');
}

/** The reason plus what the Provider framework adds stays within CloudFormation's 4096-byte response. */
export function expectShortReason(error: Error) {
  expect(Buffer.byteLength(error.message, 'utf8')).toBeLessThanOrEqual(MAX_REASON_BYTES);
  expect(error.stack).toBe(error.message);
  const response = JSON.stringify({
    Status: 'FAILED',
    Reason: [error.message, '', 'Logs: /aws/lambda/' + 'x'.repeat(64), ''].join('\n'),
    StackId: STACK_ID,
    RequestId: '0c8a4b70-1111-2222-3333-444455556666',
    PhysicalResourceId: 'p'.repeat(1024),
    LogicalResourceId: 'L'.repeat(255),
  });
  expect(Buffer.byteLength(response, 'utf8')).toBeLessThan(4096);
}

/** Another resource of the stack, as `mockStack` lists it. */
export interface OtherResource {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId: string;
  /** @default 'CREATE_COMPLETE' */
  readonly status?: string;
  /** Its properties in the template. */
  readonly properties?: Record<string, unknown>;
}

/**
 * Answers the stack reads of a Delete (ListStackResources in two pages, GetTemplate): the stack holds the resource of
 * the event (`Res`, being deleted) and `others`.
 */
export function mockStack(cfn: AwsStub<any, any, any>, type: string, others: OtherResource[] = []): void {
  const summaries = [
    { LogicalResourceId: 'Res', ResourceType: type, PhysicalResourceId: 'whatever', ResourceStatus: 'DELETE_IN_PROGRESS' },
    ...others.map((o) => ({
      LogicalResourceId: o.logicalId, ResourceType: o.type, PhysicalResourceId: o.physicalId, ResourceStatus: o.status ?? 'CREATE_COMPLETE',
    })),
  ];
  cfn.on(ListStackResourcesCommand, { StackName: STACK_ID, NextToken: undefined })
    .resolves({ StackResourceSummaries: summaries.slice(0, 1), NextToken: 'page-2' });
  cfn.on(ListStackResourcesCommand, { StackName: STACK_ID, NextToken: 'page-2' }).resolves({ StackResourceSummaries: summaries.slice(1) });
  cfn.on(GetTemplateCommand, { StackName: STACK_ID, TemplateStage: 'Processed' }).resolves({
    TemplateBody: JSON.stringify({
      Resources: Object.fromEntries(others.map((o) => [o.logicalId, { Type: o.type, Properties: o.properties ?? {} }])),
    }),
  });
}
