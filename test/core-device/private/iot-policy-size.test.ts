import { App, Stack } from 'aws-cdk-lib';
import { splitIotPolicy, worstCaseJsonLength } from '../../../src/core-device/private/iot-policy-size';

const stack = () => new Stack(new App(), 'S');

describe('IoT policy size', () => {
  test('counts every token at its longest', () => {
    const s = stack();
    // arn:<partition 10>:iot:<region 14>:<account 12>:topic/a
    const arn = `arn:${s.partition}:iot:${s.region}:${s.account}:topic/a`;
    expect(worstCaseJsonLength(s, arn)).toBe(JSON.stringify(`arn:${'x'.repeat(10)}:iot:${'x'.repeat(14)}:${'x'.repeat(12)}:topic/a`).length);
    expect(worstCaseJsonLength(s, { a: 'literal' })).toBe('{"a":"literal"}'.length);
  });

  test('keeps a document that fits as it is', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Action: 'iot:Connect', Resource: 'x' }] };
    expect(splitIotPolicy(stack(), doc)).toEqual([doc]);
  });

  test('splits statements, and a statement too long by its resources, in order', () => {
    const resources = Array.from({ length: 6 }, (_, i) => `topic/${String(i).repeat(20)}`);
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Small', Effect: 'Allow', Action: 'iot:Connect', Resource: 'client/a' },
        { Sid: 'Big', Effect: 'Allow', Action: 'iot:Publish', Resource: resources },
      ],
    };
    const limit = 200;
    const docs = splitIotPolicy(stack(), doc, limit);
    for (const d of docs) expect(JSON.stringify(d).length).toBeLessThanOrEqual(limit);
    const statements = docs.flatMap((d) => d.Statement);
    expect(statements[0]).toEqual(doc.Statement[0]);
    expect(statements.slice(1).map((x) => x.Sid)).toEqual(statements.slice(1).map((_, i) => `BigPart${i}`));
    expect(statements.slice(1).flatMap((x) => x.Resource as string[])).toEqual(resources);
  });

  test('fails when one resource alone does not fit', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Sid: 'Huge', Effect: 'Allow', Action: 'iot:Publish', Resource: ['topic/' + 'x'.repeat(300)] }] };
    expect(() => splitIotPolicy(stack(), doc, 200)).toThrow("IoT policy statement Huge has a resource longer than AWS IoT's 200-character policy limit");
  });
});
