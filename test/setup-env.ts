import { captureHandlerLogs } from './handler-logs';

// Unit tests synthesize hundreds of stacks: the built-in CloudFormation validator
// (about 2 s and 300 MB per process) stays on for the example synth only.
process.env.CDK_VALIDATION = 'false';
process.env.JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION = '20';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// With DUMP_TEMPLATES=<dir>, every template a test asserts on is also written to <dir>
// (one file per distinct template) so that CI can run cfn-lint over all of them.
if (process.env.DUMP_TEMPLATES) {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const fs = require('fs') as typeof import('fs');
  const path = require('path') as typeof import('path');
  const crypto = require('crypto') as typeof import('crypto');
  const { Template } = require('aws-cdk-lib/assertions') as typeof import('aws-cdk-lib/assertions');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const dir = path.resolve(process.env.DUMP_TEMPLATES);
  fs.mkdirSync(dir, { recursive: true });
  const original = Template.fromStack.bind(Template);
  Template.fromStack = (...args: Parameters<typeof Template.fromStack>) => {
    const template = original(...args);
    const json = JSON.stringify(template.toJSON(), undefined, 1);
    const hash = crypto.createHash('sha256').update(json).digest('hex').slice(0, 16);
    fs.writeFileSync(path.join(dir, `${hash}.template.json`), json);
    return template;
  };
}

// Handler logs are captured, not printed (test/handler-logs.ts); a failing test shows them (test/environment.ts).
captureHandlerLogs();
