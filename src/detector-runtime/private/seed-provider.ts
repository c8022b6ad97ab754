import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { SeedFunction } from './seed/seed-function';
import { SharedProvider } from '../../private/provider';
import type { DetectorRuntime } from '../detector-runtime';

const granted = new WeakMap<SharedProvider, WeakSet<DetectorRuntime>>();

/**
 * The stack's provider of the detector runtime's deploy-time resources (model registration, seeding), allowed to
 * read, write and delete only the model items (`model#...`, and the kept copies `model#<name>#replaced#...`) of the
 * runtime's table.
 */
export function seedProvider(scope: IConstruct, runtime: DetectorRuntime): SharedProvider {
  const provider = SharedProvider.getOrCreate(scope, {
    id: 'GreengrassV2DetectorRuntimeProvider',
    onEvent: (s, i, p) => new SeedFunction(s, i, p),
  });
  const runtimes = granted.get(provider) ?? new WeakSet<DetectorRuntime>();
  granted.set(provider, runtimes);
  if (!runtimes.has(runtime)) {
    runtimes.add(runtime);
    provider.grant(new iam.PolicyStatement({
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
      resources: [runtime.table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['model#*'] } },
    }));
  }
  return provider;
}
