import { AddThingToThingGroupCommand, IoTClient, RemoveThingFromThingGroupCommand } from '@aws-sdk/client-iot';
import { ThingGroupMembershipProperties } from './api';
import {
  CustomResourceEvent, HandlerDeps, OnEventResponse, createLogger, isNotFound, propertiesUnchanged, withCloudFormationErrors, withRetries,
  SDK_CLIENT_CONFIG,
} from '../../private/handler-kit';
import { StackReader, claimsOf, cloudFormationStackReader, otherOwners } from '../../private/stack-claims';

const iot = new IoTClient(SDK_CLIENT_CONFIG);

/** What tests replace. */
export interface ThingGroupMembershipHandlerDeps extends HandlerDeps {
  /** @default the stack's resources and template, read with the Lambda environment's CloudFormation client */
  readonly stack?: StackReader;
}

/**
 * Adds things to a thing group (AddThingToThingGroup) and removes them on Delete
 * (RemoveThingFromThingGroup; a thing or group already gone counts as removed).
 * Update adds the new things and removes the dropped ones. A failed Create removes the things it
 * added before reporting the error. Delete leaves the things another membership of the same group in the stack
 * still lists (a moved or renamed construct: CloudFormation creates the new resource first; a rollback).
 */
export function createHandler(deps: ThingGroupMembershipHandlerDeps = {}) {
  const log = createLogger('thing-group-membership');
  const retry = { sleep: deps.sleep, random: deps.random, log };
  const stack = deps.stack ?? cloudFormationStackReader(retry);

  const add = async (thingGroupName: string, things: string[]) => {
    for (const thingName of things) {
      await withRetries(() => iot.send(new AddThingToThingGroupCommand({ thingGroupName, thingName })), { ...retry, label: 'AddThingToThingGroup' });
    }
  };
  /**
   * Adds, or on failure removes the things this request added before reporting the error: the
   * Provider framework never sends the Delete of a failed Create, and the rollback of a failed move
   * to another group does not undo the new one.
   */
  const addOrUndo = async (thingGroupName: string, things: string[]) => {
    const added: string[] = [];
    try {
      for (const thingName of things) {
        await add(thingGroupName, [thingName]);
        added.push(thingName);
      }
    } catch (error) {
      await remove(thingGroupName, added).catch((e) => log.error('cleanup failed', { error: e }));
      throw error;
    }
  };
  const remove = async (thingGroupName: string, things: string[]) => {
    for (const thingName of things) {
      try {
        await withRetries(() => iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName, thingName })), { ...retry, label: 'RemoveThingFromThingGroup' });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
  };

  return withCloudFormationErrors(log, async (event: CustomResourceEvent): Promise<OnEventResponse> => {
    const props = event.ResourceProperties as unknown as ThingGroupMembershipProperties;
    const group = props.ThingGroupName;
    if (!group) throw new Error('ThingGroupName is required');
    const things = [...new Set(props.ThingNames ?? [])];

    if (event.RequestType === 'Delete') {
      const owners = await otherOwners(event, stack);
      const claimed = await claimsOf(event, stack, owners, (p, resolve) => {
        const names = p.ThingNames;
        return Array.isArray(names) ? names.map(resolve) : [undefined];
      });
      if (!claimed) {
        log.info('leaving the things in the group: another membership of the group in the stack lists things not known here', {
          group, others: owners.map((o) => o.LogicalResourceId),
        });
        return { PhysicalResourceId: event.PhysicalResourceId };
      }
      const kept = things.filter((t) => claimed.has(t));
      if (kept.length > 0) log.info('leaving things another membership of the group lists', { group, kept, others: owners.map((o) => o.LogicalResourceId) });
      await remove(group, things.filter((t) => !claimed.has(t)));
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    if (propertiesUnchanged(event)) return { PhysicalResourceId: event.PhysicalResourceId };

    const old = event.RequestType === 'Update' ? event.OldResourceProperties as unknown as ThingGroupMembershipProperties : undefined;
    if (!old || old.ThingGroupName !== group) {
      await addOrUndo(group, things);
      return { PhysicalResourceId: group };
    }
    const before = new Set(old.ThingNames ?? []);
    const after = new Set(things);
    await add(group, things.filter((t) => !before.has(t)));
    await remove(group, [...before].filter((t) => !after.has(t)));
    return { PhysicalResourceId: event.PhysicalResourceId ?? group };
  });
}

export const handler = createHandler();
