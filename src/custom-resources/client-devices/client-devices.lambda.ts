import {
  BatchAssociateClientDeviceWithCoreDeviceCommand, BatchDisassociateClientDeviceFromCoreDeviceCommand, GreengrassV2Client,
} from '@aws-sdk/client-greengrassv2';
import { CLIENT_DEVICE_BATCH_SIZE, ClientDeviceAssociationProperties } from './api';
import {
  CustomResourceEvent, EntryError, HandlerDeps, OnEventResponse, createLogger, describeEntryErrors, isNotFound, propertiesUnchanged,
  withCloudFormationErrors, withEntryRetries, SDK_CLIENT_CONFIG,
} from '../../private/handler-kit';
import { StackReader, claimsOf, cloudFormationStackReader, otherOwners } from '../../private/stack-claims';

const greengrass = new GreengrassV2Client(SDK_CLIENT_CONFIG);

/** What tests replace. */
export interface ClientDevicesHandlerDeps extends HandlerDeps {
  /** @default the stack's resources and template, read with the Lambda environment's CloudFormation client */
  readonly stack?: StackReader;
}

const toEntryErrors = (entries: { thingName?: string; code?: string; message?: string }[] | undefined): EntryError[] =>
  (entries ?? []).map((e) => ({ key: e.thingName ?? '?', code: e.code, message: e.message }));

/** Some entries of a batch failed for good. */
class EntriesFailed extends Error {
  constructor(message: string, public readonly entries: readonly EntryError[]) {
    super(message);
    this.name = 'Error';
  }
}

/**
 * Associates client devices with a core device for cloud discovery, in batches of at most 100.
 * Entries that fail with a retryable code are retried with back-off; others fail the resource, after
 * the devices this request associated are disassociated again. Update associates the added devices
 * and disassociates the removed ones. Delete leaves the devices another association of the same core device in the
 * stack still lists (a moved or renamed construct: CloudFormation creates the new resource first; a rollback).
 */
export function createHandler(deps: ClientDevicesHandlerDeps = {}) {
  const log = createLogger('client-devices');
  const stack = deps.stack ?? cloudFormationStackReader({ sleep: deps.sleep, random: deps.random, log });
  const options = (label: string, ignoreNotFound: boolean) => ({
    batchSize: CLIENT_DEVICE_BATCH_SIZE,
    sleep: deps.sleep,
    random: deps.random,
    log,
    label,
    ignoreCode: ignoreNotFound ? (code: string | undefined) => code === 'ResourceNotFoundException' : undefined,
  });

  const associate = async (core: string, things: string[]) => {
    if (things.length === 0) return;
    const failed = await withEntryRetries(things, (t) => t, async (batch) => {
      const res = await greengrass.send(new BatchAssociateClientDeviceWithCoreDeviceCommand({
        coreDeviceThingName: core,
        entries: batch.map((thingName) => ({ thingName })),
      }));
      return toEntryErrors(res.errorEntries);
    }, options('BatchAssociateClientDeviceWithCoreDevice', false));
    if (failed.length > 0) {
      throw new EntriesFailed(`${failed.length} of ${things.length} client devices failed to associate with core device ${core}: ${describeEntryErrors(failed)}`, failed);
    }
  };

  /**
   * Associates, or on failure disassociates what this request associated before reporting the error:
   * the Provider framework never sends the Delete of a failed Create, and the rollback of a failed
   * move to another core device does not undo the new one.
   */
  const associateOrUndo = async (core: string, things: string[]) => {
    try {
      await associate(core, things);
    } catch (error) {
      const failedKeys = new Set(error instanceof EntriesFailed ? error.entries.map((e) => e.key) : []);
      await disassociate(core, things.filter((t) => !failedKeys.has(t))).catch((e) => log.error('cleanup failed', { error: e }));
      throw error;
    }
  };

  const disassociate = async (core: string, things: string[]) => {
    if (things.length === 0) return;
    let failed: EntryError[];
    try {
      failed = await withEntryRetries(things, (t) => t, async (batch) => {
        const res = await greengrass.send(new BatchDisassociateClientDeviceFromCoreDeviceCommand({
          coreDeviceThingName: core,
          entries: batch.map((thingName) => ({ thingName })),
        }));
        return toEntryErrors(res.errorEntries);
      }, options('BatchDisassociateClientDeviceFromCoreDevice', true));
    } catch (error) {
      if (isNotFound(error)) return; // the core device is gone: nothing is associated with it
      throw error;
    }
    if (failed.length > 0) {
      throw new Error(`${failed.length} of ${things.length} client devices failed to disassociate from core device ${core}: ${describeEntryErrors(failed)}`);
    }
  };

  return withCloudFormationErrors(log, async (event: CustomResourceEvent): Promise<OnEventResponse> => {
    const props = event.ResourceProperties as unknown as ClientDeviceAssociationProperties;
    const core = props.CoreDeviceThingName;
    if (!core) throw new Error('CoreDeviceThingName is required');
    const things = [...new Set(props.ClientDeviceThingNames ?? [])];

    if (event.RequestType === 'Delete') {
      const owners = await otherOwners(event, stack);
      const claimed = await claimsOf(event, stack, owners, (p, resolve) => {
        const names = p.ClientDeviceThingNames;
        return Array.isArray(names) ? names.map(resolve) : [undefined];
      });
      if (!claimed) {
        log.info('leaving the client devices associated: another association of the core device in the stack lists devices not known here', {
          core, others: owners.map((o) => o.LogicalResourceId),
        });
        return { PhysicalResourceId: event.PhysicalResourceId };
      }
      const kept = things.filter((t) => claimed.has(t));
      if (kept.length > 0) log.info('leaving client devices another association of the core device lists', { core, kept, others: owners.map((o) => o.LogicalResourceId) });
      await disassociate(core, things.filter((t) => !claimed.has(t)));
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    if (propertiesUnchanged(event)) return { PhysicalResourceId: event.PhysicalResourceId };

    const old = event.RequestType === 'Update' ? event.OldResourceProperties as unknown as ClientDeviceAssociationProperties : undefined;
    if (!old || old.CoreDeviceThingName !== core) {
      // Create, or another core device (a replacement: CloudFormation then deletes the old association).
      await associateOrUndo(core, things);
      return { PhysicalResourceId: core };
    }
    const before = new Set(old.ClientDeviceThingNames ?? []);
    const after = new Set(things);
    await associate(core, things.filter((t) => !before.has(t)));
    await disassociate(core, [...before].filter((t) => !after.has(t)));
    return { PhysicalResourceId: event.PhysicalResourceId ?? core };
  });
}

export const handler = createHandler();
