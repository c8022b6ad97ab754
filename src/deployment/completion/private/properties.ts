/**
 * Reads the waiter's resource properties (CloudFormation delivers strings) into typed values.
 */
import { CompletionProperties, DeleteMode, OfflineMode, ThresholdKind } from '../api';
import { CompletionRule } from './evaluate';

export interface ParsedProperties {
  readonly deploymentId: string;
  readonly targetArn: string;
  readonly wait: boolean;
  readonly timeoutMs: number;
  readonly rule: CompletionRule;
  readonly failingDevicesToName: number;
  readonly onDelete: DeleteMode;
  readonly emptyDeploymentName: string;
  /** The thing name when the target is a single thing. */
  readonly thingName?: string;
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new Error(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function number(name: string, value: unknown): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n)) {
    throw new Error(`${name} must be a number, got ${JSON.stringify(value)}`);
  }
  return n;
}

export function parseProperties(raw: Record<string, unknown>): ParsedProperties {
  const p = raw as unknown as CompletionProperties;
  if (!p.DeploymentId) throw new Error('DeploymentId is required');
  if (!p.TargetArn) throw new Error('TargetArn is required');
  const thing = /^arn:[^:]+:iot:[^:]*:[0-9]*:thing\/(.+)$/.exec(p.TargetArn);
  return {
    deploymentId: p.DeploymentId,
    targetArn: p.TargetArn,
    wait: oneOf('Mode', p.Mode, ['WAIT', 'NO_WAIT'] as const) === 'WAIT',
    timeoutMs: number('TimeoutSeconds', p.TimeoutSeconds) * 1000,
    rule: {
      threshold: oneOf<ThresholdKind>('Threshold', p.Threshold, ['ALL', 'PERCENTAGE', 'COUNT']),
      value: p.Threshold === 'ALL' ? 100 : number('ThresholdValue', p.ThresholdValue),
      offline: oneOf<OfflineMode>('OfflineDevices', p.OfflineDevices, ['WAIT', 'COUNT_AS_FAILED', 'EXCLUDE']),
    },
    failingDevicesToName: number('FailingDevicesToName', p.FailingDevicesToName ?? '3'),
    onDelete: oneOf<DeleteMode>('OnDelete', p.OnDelete, ['CANCEL', 'LEAVE', 'REMOVE_COMPONENTS']),
    emptyDeploymentName: p.EmptyDeploymentName || `${p.DeploymentId}-removed`,
    thingName: thing?.[1],
  };
}
