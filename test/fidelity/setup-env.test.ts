import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';

describe('test environment', () => {
  test('the CloudFormation validator is off in unit tests', () => {
    expect(process.env.CDK_VALIDATION).toBe('false');
  });

  // CI sets DUMP_TEMPLATES; a local run without it skips this test.
  (process.env.DUMP_TEMPLATES ? test : test.skip)('templates asserted on are dumped for cfn-lint', () => {
    const stack = new Stack(new App(), 'DumpProbe');
    new sqs.Queue(stack, 'Probe', { queueName: 'dump-probe-queue' });
    const json = JSON.stringify(Template.fromStack(stack).toJSON());
    const dir = process.env.DUMP_TEMPLATES!;
    const dumped = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    expect(dumped.some((d) => JSON.stringify(JSON.parse(d)) === json)).toBe(true);
  });
});
