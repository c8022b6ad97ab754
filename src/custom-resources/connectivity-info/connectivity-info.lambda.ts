import { ConnectivityInfo, GetConnectivityInfoCommand, GreengrassV2Client, UpdateConnectivityInfoCommand } from '@aws-sdk/client-greengrassv2';
import { ConnectivityInfoProperties } from './api';
import {
  CustomResourceEvent, HandlerDeps, OnEventResponse, canonicalJson, createLogger, isNotFound, propertiesUnchanged,
  withCloudFormationErrors, withRetries, SDK_CLIENT_CONFIG,
} from '../../private/handler-kit';
import { StackReader, cloudFormationStackReader, otherOwners } from '../../private/stack-claims';

const greengrass = new GreengrassV2Client(SDK_CLIENT_CONFIG);

/** What tests replace. */
export interface ConnectivityInfoHandlerDeps extends HandlerDeps {
  /** @default the stack's resources and template, read with the Lambda environment's CloudFormation client */
  readonly stack?: StackReader;
}

function toApi(props: ConnectivityInfoProperties): ConnectivityInfo[] {
  return (props.ConnectivityInfo ?? []).map((c) => ({
    id: c.Id,
    hostAddress: c.HostAddress,
    portNumber: Number(c.PortNumber),
    ...(c.Metadata ? { metadata: c.Metadata } : {}),
  }));
}

function sameList(a: ConnectivityInfo[] | undefined, b: ConnectivityInfo[]): boolean {
  const norm = (l: ConnectivityInfo[] | undefined) => (l ?? []).map((c) =>
    canonicalJson({ id: c.id, hostAddress: c.hostAddress, portNumber: c.portNumber, metadata: c.metadata || undefined }));
  return canonicalJson(norm(a)) === canonicalJson(norm(b));
}

/**
 * Sets the whole connectivity-information list of a core device (UpdateConnectivityInfo replaces
 * it). Delete empties the list, unless something else (for example the IP detector) changed it since, or another
 * resource of the stack now sets this core device's list (a moved or renamed construct: CloudFormation creates the
 * new resource first; a rollback).
 */
export function createHandler(deps: ConnectivityInfoHandlerDeps = {}) {
  const log = createLogger('connectivity-info');
  const retry = { sleep: deps.sleep, random: deps.random, log };
  const stack = deps.stack ?? cloudFormationStackReader(retry);

  const current = async (thingName: string) => {
    const res = await withRetries(() => greengrass.send(new GetConnectivityInfoCommand({ thingName })), { ...retry, label: 'GetConnectivityInfo' });
    return res.connectivityInfo ?? [];
  };
  const put = (thingName: string, connectivityInfo: ConnectivityInfo[]) =>
    withRetries(() => greengrass.send(new UpdateConnectivityInfoCommand({ thingName, connectivityInfo })), { ...retry, label: 'UpdateConnectivityInfo' });

  return withCloudFormationErrors(log, async (event: CustomResourceEvent): Promise<OnEventResponse> => {
    const props = event.ResourceProperties as unknown as ConnectivityInfoProperties;
    const thingName = props.ThingName;
    if (!thingName) throw new Error('ThingName is required');
    const wanted = toApi(props);

    if (event.RequestType === 'Delete') {
      const owners = await otherOwners(event, stack);
      if (owners.length > 0) {
        log.info('leaving the connectivity information alone: another resource of the stack sets it', { thingName, others: owners.map((o) => o.LogicalResourceId) });
        return { PhysicalResourceId: event.PhysicalResourceId };
      }
      try {
        const now = await current(thingName);
        if (now.length > 0 && sameList(now, wanted)) await put(thingName, []);
        else log.info('leaving the connectivity information alone: it is not the list this resource set', { thingName });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      return { PhysicalResourceId: event.PhysicalResourceId };
    }

    if (propertiesUnchanged(event)) return { PhysicalResourceId: event.PhysicalResourceId };
    // Read first so that a replayed request sends nothing twice.
    if (!sameList(await current(thingName), wanted)) await put(thingName, wanted);
    return { PhysicalResourceId: thingName };
  });
}

export const handler = createHandler();
