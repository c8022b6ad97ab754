// iotEvents actions: re-injected through ingest routing into the same ordered path.
import { T0 } from './reference-model';
import { runEngineLocally } from '../../../src/detector-runtime/private/engine/local-harness';
import type { ModelDefinition } from '../../../src/detector-runtime/private/engine/models';

jest.setTimeout(60_000);

const inputs = [
  { inputName: 'Reading', inputDefinition: { attributes: [{ jsonPath: 'id' }, { jsonPath: 'v' }] } },
  { inputName: 'Alert', inputDefinition: { attributes: [{ jsonPath: 'id' }, { jsonPath: 'level' }] } },
];
const source: ModelDefinition = {
  inputs,
  detectorModel: {
    detectorModelName: 'source',
    key: 'id',
    detectorModelDefinition: {
      initialStateName: 'Watching',
      states: [{
        stateName: 'Watching',
        onInput: {
          events: [
            {
              eventName: 'high',
              condition: '$input.Reading.v > 10',
              actions: [{ iotEvents: { inputName: 'Alert', payload: { type: 'JSON', contentExpression: '\'{"id":"${$input.Reading.id}","level":${$input.Reading.v}}\'' } } }],
            },
            // no key in the payload: the re-injected message reaches no detector and is dropped
            { eventName: 'broken', condition: '$input.Reading.v > 100', actions: [{ iotEvents: { inputName: 'Alert', payload: { type: 'JSON', contentExpression: '\'{"level":1}\'' } } }] },
          ],
        },
      }],
    },
  } as any,
};
const sink: ModelDefinition = {
  inputs,
  detectorModel: {
    detectorModelName: 'sink',
    key: 'id',
    detectorModelDefinition: {
      initialStateName: 'Quiet',
      states: [
        { stateName: 'Quiet', onInput: { transitionEvents: [{ eventName: 'alert', condition: '$input.Alert.level > 10', nextState: 'Alerted', actions: [{ setVariable: { variableName: 'level', value: '$input.Alert.level' } }] }] } },
        { stateName: 'Alerted', onInput: {} },
      ],
    },
  } as any,
};

test('an iotEvents action reaches the detector of the other model; a keyless one is dropped, not retried', async () => {
  const run = await runEngineLocally({
    models: [source, sink],
    messages: [{ inputName: 'Reading', payload: { id: 'd1', v: 5 }, timestampMs: T0 }, { inputName: 'Reading', payload: { id: 'd1', v: 120 }, timestampMs: T0 + 1_000 }],
    keepOpen: true,
  });
  try {
    const d = (await run.runtime.backend.describeDetector({ detectorModelName: 'sink', keyValue: 'd1' })).detector;
    expect(d.state).toEqual({ stateName: 'Alerted', variables: [{ name: 'level', value: '120' }], timers: [] });
    expect(run.deadLetters).toBe(0);
    expect(run.metrics.ActionFailures ?? 0).toBe(0);
  } finally {
    await run.close();
  }
});
