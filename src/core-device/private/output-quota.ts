import { CfnOutput, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * CloudFormation's quota of outputs per template.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
export const MAX_OUTPUTS_PER_TEMPLATE = 200;

/** Stacks that already carry the check. */
const checkedStacks = new WeakSet<Stack>();
/** The library's constructs that emit outputs, with the name of their class as users know it. */
const emitters = new WeakMap<IConstruct, string>();

/**
 * Makes synthesis fail when the stack of `scope` has more outputs than CloudFormation accepts (the CDK
 * only warns, and the deployment then fails). Call it from each construct that emits outputs, or holds
 * constructs that do (a fleet of devices); the stack gets one check, which names those constructs and how
 * many outputs each adds.
 *
 * @param emitter the construct
 * @param kind its class, as the user knows it (`'CoreDeviceFleet'`)
 */
export function checkStackOutputQuota(emitter: IConstruct, kind: string): void {
  emitters.set(emitter, kind);
  const stack = Stack.of(emitter);
  if (checkedStacks.has(stack)) return;
  checkedStacks.add(stack);
  stack.node.addValidation({
    validate: () => {
      const outputs = stack.node.findAll().filter((c): c is CfnOutput => c instanceof CfnOutput && Stack.of(c) === stack);
      if (outputs.length <= MAX_OUTPUTS_PER_TEMPLATE) return [];
      // Each output counts for the outermost of the library's emitters above it (a device of a
      // CoreDeviceFleet counts for its fleet).
      const byEmitter = new Map<string, number>();
      for (const output of outputs) {
        const owner = libraryEmitterOf(output);
        if (owner) byEmitter.set(owner, (byEmitter.get(owner) ?? 0) + 1);
      }
      const listed = [...byEmitter].sort((a, b) => b[1] - a[1]).map(([path, n]) => `${path} adds ${n}`).join(', ');
      return [`stack ${stack.node.path} has ${outputs.length} outputs, and CloudFormation accepts at most ${MAX_OUTPUTS_PER_TEMPLATE} per template`
        + (listed ? ` (${listed})` : '')
        + ': pass emitOutputs: false to the CoreDeviceFleet, CoreDevice or ProvisionedCoreDeviceFleet and publish the values you need '
        + 'from its nucleusConfiguration (each device has one) yourself, or split the devices over several stacks'];
    },
  });
}

function libraryEmitterOf(output: CfnOutput): string | undefined {
  let found: IConstruct | undefined;
  for (let c: IConstruct | undefined = output.node.scope; c; c = c.node.scope) {
    if (emitters.has(c)) found = c; // the outermost one: a fleet over its devices
  }
  return found ? `${emitters.get(found)} ${found.node.path}` : undefined;
}
