import { App, Stack } from 'aws-cdk-lib';
import * as iot from 'aws-cdk-lib/aws-iot';
import { IotPolicyDocument, splitIotPolicy, worstCaseJsonLength } from '../../../src/core-device/private/iot-policy-size';

const stack = () => new Stack(new App(), 'S');
const x = (n: number) => 'x'.repeat(n);

/** Every (action, resource) pair a set of documents allows. */
function permissions(s: Stack, docs: IotPolicyDocument[]): string[] {
  return [...new Set(docs.flatMap((d) => d.Statement).flatMap((st) =>
    [st.Action].flat().flatMap((a) => [st.Resource].flat().map((r) => `${a} ${JSON.stringify(s.resolve(r))}`))))].sort();
}

describe('IoT policy size', () => {
  test('counts every token at its longest', () => {
    const s = stack();
    // arn:<partition 10>:iot:<region 14>:<account 12>:topic/a
    const arn = `arn:${s.partition}:iot:${s.region}:${s.account}:topic/a`;
    expect(worstCaseJsonLength(s, arn)).toBe(JSON.stringify(`arn:${x(10)}:iot:${x(14)}:${x(12)}:topic/a`).length);
    expect(worstCaseJsonLength(s, { a: 'literal' })).toBe('{"a":"literal"}'.length);
    // A reference it has no bound for: 200 characters.
    expect(worstCaseJsonLength(s, { 'Fn::ImportValue': 'y' })).toBe(202);
  });

  test('counts a Ref to an IoT thing, thing group or policy as its literal name, or as 128 characters when CloudFormation names it', () => {
    const s = stack();
    const named = new iot.CfnThing(s, 'Named', { thingName: 'core-1' });
    const unnamed = new iot.CfnThing(s, 'Unnamed', {});
    const group = new iot.CfnThingGroup(s, 'Group', { thingGroupName: 'line-1' });
    const policy = new iot.CfnPolicy(s, 'Policy', { policyDocument: {} });
    expect(worstCaseJsonLength(s, `thing/${named.ref}`)).toBe(JSON.stringify('thing/core-1').length);
    expect(worstCaseJsonLength(s, `thing/${unnamed.ref}`)).toBe(JSON.stringify(`thing/${x(128)}`).length);
    expect(worstCaseJsonLength(s, group.ref)).toBe(JSON.stringify('line-1').length);
    expect(worstCaseJsonLength(s, policy.ref)).toBe(130);
  });

  test('counts a role alias ARN with the alias name at its longest', () => {
    const s = stack();
    const named = new iot.CfnRoleAlias(s, 'Named', { roleArn: 'arn:aws:iam::111111111111:role/r', roleAlias: 'alias-1' });
    const unnamed = new iot.CfnRoleAlias(s, 'Unnamed', { roleArn: 'arn:aws:iam::111111111111:role/r' });
    const prefix = `arn:${x(10)}:iot:${x(14)}:${x(12)}:rolealias/`;
    expect(worstCaseJsonLength(s, named.attrRoleAliasArn)).toBe(JSON.stringify(`${prefix}alias-1`).length);
    expect(worstCaseJsonLength(s, unnamed.attrRoleAliasArn)).toBe(JSON.stringify(`${prefix}${x(128)}`).length);
  });

  test('keeps a document that fits as it is', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Action: 'iot:Connect', Resource: 'x' }] };
    expect(splitIotPolicy(stack(), doc, { owner: 'Test' })).toEqual([doc]);
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
    const docs = splitIotPolicy(stack(), doc, { owner: 'Test', limit });
    expect(docs.length).toBeGreaterThan(1);
    for (const d of docs) expect(JSON.stringify(d).length).toBeLessThanOrEqual(limit);
    const statements = docs.flatMap((d) => d.Statement);
    expect(statements[0]).toEqual(doc.Statement[0]);
    expect(statements.slice(1).map((st) => st.Sid)).toEqual(statements.slice(1).map((_, i) => `BigPart${i}`));
    expect(statements.slice(1).flatMap((st) => st.Resource as string[])).toEqual(resources);
  });

  test('merges statements with the same actions, then the same resources, when splitting alone needs too many policies', () => {
    const s = stack();
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'PubA', Effect: 'Allow', Action: 'iot:Publish', Resource: ['topic/a1', 'topic/a2'] },
        { Sid: 'Sub', Effect: 'Allow', Action: 'iot:Subscribe', Resource: ['topicfilter/a'] },
        { Sid: 'PubB', Effect: 'Allow', Action: ['iot:Publish'], Resource: ['topic/b', 'topic/a1'] },
        { Sid: 'Any1', Effect: 'Allow', Action: 'greengrass:A', Resource: '*' },
        { Sid: 'Any2', Effect: 'Allow', Action: ['greengrass:B'], Resource: '*' },
      ],
    };
    const plain = splitIotPolicy(s, doc, { owner: 'Test', limit: 140 });
    expect(plain.length).toBe(5);
    const docs = splitIotPolicy(s, doc, { owner: 'Test', limit: 140, maxPolicies: 3 });
    expect(docs.flatMap((d) => d.Statement)).toEqual([
      { Sid: 'PubA', Effect: 'Allow', Action: 'iot:Publish', Resource: ['topic/a1', 'topic/a2', 'topic/b'] },
      { Sid: 'Sub', Effect: 'Allow', Action: 'iot:Subscribe', Resource: ['topicfilter/a'] },
      { Sid: 'Any1', Effect: 'Allow', Action: ['greengrass:A', 'greengrass:B'], Resource: '*' },
    ]);
    expect(docs.length).toBeLessThanOrEqual(3);
    expect(permissions(s, docs)).toEqual(permissions(s, [doc]));
  });

  test('never merges a statement with a condition or a Deny', () => {
    const s = stack();
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'A', Effect: 'Allow', Action: 'iot:Publish', Resource: ['topic/a'] },
        { Sid: 'B', Effect: 'Allow', Action: 'iot:Publish', Resource: ['topic/b'], Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } },
        { Sid: 'C', Effect: 'Deny', Action: 'iot:Publish', Resource: ['topic/c'] },
      ],
    };
    const docs = splitIotPolicy(s, doc, { owner: 'Test', limit: 260, maxPolicies: 3 });
    expect(docs.flatMap((d) => d.Statement)).toEqual(doc.Statement);
  });

  test('fails when one resource alone does not fit, naming the prop, the size and the fix', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Sid: 'Huge', Effect: 'Allow', Action: 'iot:Publish', Resource: ['topic/' + x(300)] }] };
    // The whole document with that one resource, as AWS IoT would receive it.
    const alone = JSON.stringify({ Version: doc.Version, Statement: [{ ...doc.Statement[0], Sid: 'HugePart0' }] }).length;
    expect(() => splitIotPolicy(stack(), doc, { owner: 'CoreDevice S/D', limit: 200, propOf: () => 'mqttTopics' }))
      .toThrow(`CoreDevice S/D: mqttTopics gives an IoT policy statement (Huge) that alone is ${alone} characters with every token at its longest, over AWS IoT's 200-character policy limit: "topic/${x(300)}"; use a shorter value`);
  });

  test('fails when more policies than AWS IoT attaches to a certificate are needed, naming the props by size', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: Array.from({ length: 4 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: `iot:A${i}`, Resource: `topic/${i}${x(40)}` })),
    };
    expect(() => splitIotPolicy(stack(), doc, { owner: 'CoreDevice S/D', limit: 200, maxPolicies: 2, propOf: (sid) => (sid === 'S0' ? 'thingName' : 'mqttTopics') }))
      .toThrow(/^CoreDevice S\/D: its IoT policy is \d+ characters with every token at its longest and needs 4 policies of at most 200 characters even with its statements merged, more than the 2 AWS IoT attaches to one certificate; by prop: mqttTopics \(\d+ characters\), thingName \(\d+ characters\)\. Grant fewer or shorter mqttTopics/);
  });
});
