import { REFERENCE } from './reference-model';
import { ModelRegistry } from '../../../src/detector-runtime/private/engine/models';

describe('ModelRegistry', () => {
  test('compiles a model once per version, reads the item again after the refresh interval', async () => {
    let now = 0;
    let version = '1';
    const load = jest.fn(async () => ({ version, definition: REFERENCE }));
    const registry = new ModelRegistry({ load }, ['motorPressure'], 60_000, () => now);
    const a = await registry.get('motorPressure');
    now = 59_999;
    expect(await registry.get('motorPressure')).toBe(a);
    expect(load).toHaveBeenCalledTimes(1);
    now = 60_000;
    expect(await registry.get('motorPressure')).toBe(a); // same version: the compiled model is kept
    expect(load).toHaveBeenCalledTimes(2);
    version = '2';
    now = 120_000;
    const b = await registry.get('motorPressure');
    expect(b).not.toBe(a);
    expect(b).toMatchObject({ name: 'motorPressure', version: '2' });
    expect([...b!.compiled.inputNames]).toEqual(['PressureInput']);
  });

  test('a model the runtime does not hold is not loaded', async () => {
    const load = jest.fn(async () => ({ version: '1', definition: REFERENCE }));
    const registry = new ModelRegistry({ load }, ['motorPressure']);
    expect(await registry.get('other')).toBeUndefined();
    expect(load).not.toHaveBeenCalled();
    expect(await registry.inputNames()).toEqual(new Set(['PressureInput']));
  });
});
