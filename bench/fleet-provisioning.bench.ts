// A fleet of 10 000 core devices provisioned by claim (built-in allow-list of their serial numbers)
// synthesizes in one stack; prints its resource count, the count for 1 device (the same: nothing is
// per device), and the synthesis time.
//
//   npx projen bench fleet-provisioning
import { App, Stack } from 'aws-cdk-lib';
import { PreProvisioningHook, ProvisionedCoreDeviceFleet } from '../src';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 10000);

function synth(devices: number): { resources: number; ms: number; templateBytes: number } {
  const start = process.hrtime.bigint();
  const app = new App({ treeMetadata: false });
  const stack = new Stack(app, 'FleetProvisioningBench', { env: { account: '111111111111', region: 'eu-west-1' } });
  new ProvisionedCoreDeviceFleet(stack, 'Line', {
    thingGroupName: 'line',
    thingNamePrefix: 'line-',
    preProvisioningHook: PreProvisioningHook.allowSerialNumbers(
      Array.from({ length: devices }, (_, i) => `SN${String(i).padStart(8, '0')}`)),
  });
  const template = app.synth().getStackByName(stack.stackName).template;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { resources: Object.keys(template.Resources).length, ms, templateBytes: JSON.stringify(template).length };
}

export async function run(): Promise<void> {
  const one = synth(1);
  const many = synth(DEVICES);
  console.log(`fleet provisioning: ${many.resources} resources for ${DEVICES} devices`);
  console.log(`  (1 device: ${one.resources} resources; template ${many.templateBytes} bytes for ${DEVICES} devices, ${one.templateBytes} for 1; synth ${many.ms.toFixed(0)} ms)`);
  if (many.resources !== one.resources) {
    throw new Error(`fleet provisioning is not constant: ${one.resources} resources for 1 device, ${many.resources} for ${DEVICES}`);
  }
}
