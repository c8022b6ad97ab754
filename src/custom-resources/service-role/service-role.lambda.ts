import {
  AssociateServiceRoleToAccountCommand, DisassociateServiceRoleFromAccountCommand, GetServiceRoleForAccountCommand, GreengrassV2Client,
} from '@aws-sdk/client-greengrassv2';
import { PREVIOUS_ROLE_SEPARATOR, SERVICE_ROLE_ATTR_PREVIOUS_ROLE_ARN, SERVICE_ROLE_ATTR_ROLE_ARN, ServiceRoleAssociationProperties } from './api';
import {
  CustomResourceEvent, HandlerDeps, OnEventResponse, createLogger, isNotFound, propertiesUnchanged, withCloudFormationErrors, withRetries,
  SDK_CLIENT_CONFIG,
} from '../../private/handler-kit';
import { StackReader, cloudFormationStackReader, otherOwners } from '../../private/stack-claims';

const greengrass = new GreengrassV2Client(SDK_CLIENT_CONFIG);

/** What tests replace. */
export interface ServiceRoleHandlerDeps extends HandlerDeps {
  /** @default the stack's resources and template, read with the Lambda environment's CloudFormation client */
  readonly stack?: StackReader;
}

/** `<roleArn>` or `<roleArn>|<previousRoleArn>`. */
export function physicalIdFor(roleArn: string, previousRoleArn: string | undefined): string {
  return previousRoleArn ? `${roleArn}${PREVIOUS_ROLE_SEPARATOR}${previousRoleArn}` : roleArn;
}

/** The role of a physical id (`<roleArn>` or `<roleArn>|<previousRoleArn>`). */
function roleOf(physicalId: string | undefined): string | undefined {
  return physicalId?.split(PREVIOUS_ROLE_SEPARATOR)[0];
}

/** The previous role recorded in a physical id, if any. */
export function previousRoleOf(physicalId: string | undefined): string | undefined {
  const i = physicalId?.indexOf(PREVIOUS_ROLE_SEPARATOR) ?? -1;
  return i >= 0 ? physicalId!.slice(i + 1) || undefined : undefined;
}

/**
 * Associates the Greengrass service role with the account in this region. There is one association
 * per account and region:
 *
 * - Create/Update fails when a role that is not this resource's is associated, unless
 *   `ReplaceExisting` is `'true'`; the replaced role is then recorded in the physical id.
 * - Delete does nothing unless the associated role is still ours; it then re-associates the
 *   recorded previous role, or disassociates when there was none. It also does nothing while another association
 *   resource of the stack has the same role (a moved or renamed construct with the user's role: CloudFormation
 *   creates the new resource first; a rollback).
 */
export function createHandler(deps: ServiceRoleHandlerDeps = {}) {
  const log = createLogger('service-role');
  const retry = { sleep: deps.sleep, random: deps.random, log };
  const stack = deps.stack ?? cloudFormationStackReader(retry);

  const currentRoleArn = async (): Promise<string | undefined> => {
    try {
      const res = await withRetries(() => greengrass.send(new GetServiceRoleForAccountCommand({})), { ...retry, label: 'GetServiceRoleForAccount' });
      return res.roleArn || undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
  const associate = (roleArn: string) =>
    withRetries(() => greengrass.send(new AssociateServiceRoleToAccountCommand({ roleArn })), { ...retry, label: 'AssociateServiceRoleToAccount' });

  return withCloudFormationErrors(log, async (event: CustomResourceEvent): Promise<OnEventResponse> => {
    const props = event.ResourceProperties as unknown as ServiceRoleAssociationProperties;
    const roleArn = props.RoleArn;
    if (!roleArn) throw new Error('RoleArn is required');
    const recorded = previousRoleOf(event.PhysicalResourceId);

    if (event.RequestType === 'Delete') {
      const current = await currentRoleArn();
      if (current !== roleArn) {
        log.info('not disassociating: the associated role is not ours', { current, ours: roleArn });
        return { PhysicalResourceId: event.PhysicalResourceId };
      }
      const owners = await otherOwners(event, stack, (id) => roleOf(id) === roleArn);
      if (owners.length > 0) {
        log.info('not disassociating: another association resource of the stack has this role', { ours: roleArn, others: owners.map((o) => o.LogicalResourceId) });
        return { PhysicalResourceId: event.PhysicalResourceId };
      }
      if (recorded) {
        try {
          await associate(recorded);
          log.info('restored the service role associated before this stack', { restored: recorded });
          return { PhysicalResourceId: event.PhysicalResourceId };
        } catch (error) {
          // The previous role may have been deleted since: leave no role of ours associated.
          log.error('could not restore the previous service role: associate it again by hand (aws greengrassv2 associate-service-role-to-account)', {
            previous: recorded, error: (error as Error)?.name,
          });
        }
      }
      await withRetries(() => greengrass.send(new DisassociateServiceRoleFromAccountCommand({})), { ...retry, label: 'DisassociateServiceRoleFromAccount' });
      return { PhysicalResourceId: event.PhysicalResourceId };
    }

    const data = (previous: string | undefined) => ({ [SERVICE_ROLE_ATTR_ROLE_ARN]: roleArn, [SERVICE_ROLE_ATTR_PREVIOUS_ROLE_ARN]: previous ?? '' });
    if (propertiesUnchanged(event)) return { PhysicalResourceId: event.PhysicalResourceId, Data: data(recorded) };

    const current = await currentRoleArn();
    const oldOurs = (event.OldResourceProperties as ServiceRoleAssociationProperties | undefined)?.RoleArn;
    // What the account had before this resource: kept across updates, else the role found now
    // unless it is ours (a replayed request, or the role of this resource before an update).
    let previous = recorded;
    if (current && current !== roleArn && current !== oldOurs) {
      if (props.ReplaceExisting !== 'true') {
        throw new Error(`the account already has the Greengrass service role ${current} associated in this region: `
          + 'reuse it (GreengrassServiceRole({ role: iam.Role.fromRoleArn(...) })), or set replaceExistingAssociation: true to replace it (it is restored when this resource is deleted)');
      }
      previous = previous ?? current;
      log.info('replacing the associated service role', { previous: current, next: roleArn });
    }
    if (current !== roleArn) await associate(roleArn);
    // The role ARN is the physical id: a new role is a replacement, and the Delete of the old
    // association then finds the new role associated and leaves it alone.
    return { PhysicalResourceId: physicalIdFor(roleArn, previous), Data: data(previous) };
  });
}

export const handler = createHandler();
