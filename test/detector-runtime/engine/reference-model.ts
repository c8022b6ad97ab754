// The reference model of the runtime's tests and bench: the IoT Events guide's pressure example plus a
// heartbeat timer (bench/detector.bench.ts), as a model item holds it.
import { INPUT, MODEL } from '../../../bench/detector.bench';
import type { ModelDefinition } from '../../../src/detector-runtime/private/engine/models';

export const REFERENCE: ModelDefinition = { detectorModel: MODEL, inputs: [INPUT] };
export const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);

export function pressure(motorid: string, value: number, timestampMs: number) {
  return { inputName: 'PressureInput', payload: { motorid, sensorData: { pressure: value } }, timestampMs };
}
