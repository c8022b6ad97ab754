import { App, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as iot from 'aws-cdk-lib/aws-iot';
import { describeName } from '../../src/private/describe-name';

describe('describeName', () => {
  const s = new Stack(new App(), 'Edge');
  const group = new iot.CfnThingGroup(s, 'Group');
  const param = new CfnParameter(s, 'Name');

  test.each<[string, string, string]>([
    ['a literal as written', 'line-1', "thing group 'line-1'"],
    ['a reference by the construct it refers to', group.ref, "thing group of 'Edge/Group' (its name is known only at deploy time)"],
    ['a parameter by the parameter', param.valueAsString, "thing group of 'Edge/Name' (its name is known only at deploy time)"],
    ['a name built from a token as known at deploy time', `${param.valueAsString}-1`, 'thing group whose name is known only at deploy time'],
    ['an intrinsic as known at deploy time', Fn.join('-', ['a', param.valueAsString]), 'thing group whose name is known only at deploy time'],
  ])('names %s', (_, name, expected) => {
    expect(describeName('thing group', name)).toBe(expected);
    expect(describeName('thing group', name)).not.toContain('${Token[');
  });
});
