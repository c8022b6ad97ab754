import {
  AssociateServiceRoleToAccountCommand, DisassociateServiceRoleFromAccountCommand, GetServiceRoleForAccountCommand, GreengrassV2Client,
} from '@aws-sdk/client-greengrassv2';
import { SERVICE_ROLE_ATTR_ROLE_ARN, ServiceRoleAssociationProperties } from './api';
import {
  CustomResourceEvent, HandlerDeps, OnEventResponse, createLogger, isNotFound, propertiesUnchanged, withCloudFormationErrors, withRetries,
  SDK_CLIENT_CONFIG,
} from '../private/handler-kit';

const greengrass = new GreengrassV2Client(SDK_CLIENT_CONFIG);

/**
 * Associates the Greengrass service role with the account in this region. There is one association
 * per account and region, so Delete disassociates only when the associated role is still ours.
 */
export function createHandler(deps: HandlerDeps = {}) {
  const log = createLogger('service-role');
  const retry = { sleep: deps.sleep, random: deps.random, log };

  const currentRoleArn = async (): Promise<string | undefined> => {
    try {
      const res = await withRetries(() => greengrass.send(new GetServiceRoleForAccountCommand({})), { ...retry, label: 'GetServiceRoleForAccount' });
      return res.roleArn || undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };

  return withCloudFormationErrors(log, async (event: CustomResourceEvent): Promise<OnEventResponse> => {
    const props = event.ResourceProperties as unknown as ServiceRoleAssociationProperties;
    const roleArn = props.RoleArn;
    if (!roleArn) throw new Error('RoleArn is required');

    if (event.RequestType === 'Delete') {
      const current = await currentRoleArn();
      if (current !== roleArn) {
        log.info('not disassociating: the associated role is not ours', { current, ours: roleArn });
        return { PhysicalResourceId: event.PhysicalResourceId };
      }
      await withRetries(() => greengrass.send(new DisassociateServiceRoleFromAccountCommand({})), { ...retry, label: 'DisassociateServiceRoleFromAccount' });
      return { PhysicalResourceId: event.PhysicalResourceId };
    }

    const data = { [SERVICE_ROLE_ATTR_ROLE_ARN]: roleArn };
    if (propertiesUnchanged(event)) return { PhysicalResourceId: event.PhysicalResourceId, Data: data };

    const current = await currentRoleArn();
    if (current !== roleArn) {
      if (current) log.info('replacing the associated service role', { previous: current, next: roleArn });
      await withRetries(() => greengrass.send(new AssociateServiceRoleToAccountCommand({ roleArn })), { ...retry, label: 'AssociateServiceRoleToAccount' });
    }
    // The role ARN is the physical id: a new role is a replacement, and the Delete of the old
    // association then finds the new role associated and leaves it alone.
    return { PhysicalResourceId: roleArn, Data: data };
  });
}

export const handler = createHandler();
