import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IOT_POLICIES_PER_PRINCIPAL_MAX, IOT_POLICY_MAX_CHARS, IotPolicySizer } from '../../src/core-device/private/iot-policy-size';

/**
 * AWS hard limits the example app's templates would hit at deploy time that the CloudFormation
 * resource schemas (and so the CDK validator and cfn-lint) do not catch. The example app itself
 * (examples/app.ts) is synthesized, in a child process, into a temporary folder.
 *
 * Sizes are measured with every deploy-time value at its longest (IotPolicySizer: pseudo
 * parameters at their longest, IoT names as written or 128 characters, any other reference 200).
 */
type Resource = { Type: string; Properties?: any };
type CfnTemplate = { Resources: Record<string, Resource>; Outputs?: Record<string, unknown>; Parameters?: Record<string, unknown> };

const ROOT = path.join(__dirname, '..', '..');
let templates: Array<{ file: string; template: CfnTemplate }>;

beforeAll(() => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'example-limits-'));
  const run = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', '-P', 'test/tsconfig.json', 'examples/app.ts'], {
    cwd: ROOT,
    env: { ...process.env, CDK_OUTDIR: out },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`examples/app.ts failed: ${run.stderr}`);
  templates = fs.readdirSync(out).filter((f) => f.endsWith('.template.json'))
    .map((file) => ({ file, template: JSON.parse(fs.readFileSync(path.join(out, file), 'utf8')) }));
  fs.rmSync(out, { recursive: true, force: true });
}, 180_000);

function each(type: string): Array<{ file: string; id: string; r: Resource; sizer: IotPolicySizer; template: CfnTemplate }> {
  return templates.flatMap(({ file, template }) => {
    const sizer = IotPolicySizer.ofTemplate(template);
    return Object.entries(template.Resources).filter(([, r]) => r.Type === type).map(([id, r]) => ({ file, id, r, sizer, template }));
  });
}

/** `[where, size]` for the sizes over `limit`: the test fails with them listed. */
function over(entries: Array<[string, number]>, limit: number): Array<[string, number]> {
  return entries.filter(([, n]) => n > limit);
}

describe('example app: AWS limits the CloudFormation schemas do not check', () => {
  test('synthesizes at least one template with IoT policies', () => {
    expect(templates.length).toBeGreaterThanOrEqual(1);
    expect(each('AWS::IoT::Policy').length).toBeGreaterThanOrEqual(4);
  });

  test(`every AWS::IoT::Policy is at most ${IOT_POLICY_MAX_CHARS} characters (AWS IoT, whitespace excluded)`, () => {
    const sizes = each('AWS::IoT::Policy').map(({ file, id, r, sizer }): [string, number] => [`${file} ${id}`, sizer.length(r.Properties.PolicyDocument)]);
    expect(over(sizes, IOT_POLICY_MAX_CHARS)).toEqual([]);
  });

  test('every AWS::IoT::Policy is attached: to a certificate, or by a provisioning template', () => {
    const attached = new Set(each('AWS::IoT::PolicyPrincipalAttachment').map(({ r }) => r.Properties.PolicyName.Ref));
    const byTemplate = each('AWS::IoT::ProvisioningTemplate').map(({ r }) => JSON.stringify(r.Properties.TemplateBody)).join('\n');
    const loose = each('AWS::IoT::Policy').map(({ id }) => id).filter((id) => !attached.has(id) && !byTemplate.includes(JSON.stringify({ Ref: id })));
    expect(loose).toEqual([]);
  });

  test(`no certificate gets more than ${IOT_POLICIES_PER_PRINCIPAL_MAX} IoT policies`, () => {
    const perPrincipal = new Map<string, number>();
    for (const { r } of each('AWS::IoT::PolicyPrincipalAttachment')) {
      const k = JSON.stringify(r.Properties.Principal);
      perPrincipal.set(k, (perPrincipal.get(k) ?? 0) + 1);
    }
    // A provisioning template attaches all the policies it names to each device's certificate.
    for (const { id, r } of each('AWS::IoT::ProvisioningTemplate')) {
      perPrincipal.set(id, (JSON.stringify(r.Properties.TemplateBody).match(/AWS::IoT::Policy/g) ?? []).length);
    }
    expect(over([...perPrincipal.entries()], IOT_POLICIES_PER_PRINCIPAL_MAX)).toEqual([]);
  });

  test('the inline policies of each IAM role total at most 10,240 characters, each trust policy at most 2,048', () => {
    const inline = new Map<string, number>();
    const trust: Array<[string, number]> = [];
    for (const { id, r, sizer } of each('AWS::IAM::Role')) {
      inline.set(id, (r.Properties.Policies ?? []).reduce((n: number, p: any) => n + sizer.length(p.PolicyDocument), 0));
      trust.push([id, sizer.length(r.Properties.AssumeRolePolicyDocument)]);
    }
    for (const { r, sizer } of each('AWS::IAM::Policy')) {
      for (const role of r.Properties.Roles ?? []) inline.set(role.Ref, (inline.get(role.Ref) ?? 0) + sizer.length(r.Properties.PolicyDocument));
    }
    expect(inline.size).toBeGreaterThan(0);
    expect(over([...inline.entries()], 10_240)).toEqual([]);
    expect(over(trust, 2_048)).toEqual([]);
  });

  test('each managed policy is at most 6,144 characters', () => {
    const sizes = each('AWS::IAM::ManagedPolicy').map(({ id, r, sizer }): [string, number] => [id, sizer.length(r.Properties.PolicyDocument)]);
    expect(over(sizes, 6_144)).toEqual([]);
  });

  test('the environment variables of each Lambda function total at most 4 KB', () => {
    const sizes = each('AWS::Lambda::Function').map(({ id, r, sizer }): [string, number] => [id, sizer.length(r.Properties.Environment?.Variables ?? {})]);
    expect(sizes.length).toBeGreaterThan(0);
    expect(over(sizes, 4_096)).toEqual([]);
  });

  test('each Greengrass recipe is at most 16 000 bytes', () => {
    const sizes = each('AWS::GreengrassV2::ComponentVersion').map(({ id, r, sizer }): [string, number] => {
      const recipe = r.Properties.InlineRecipe;
      // A string recipe is counted in UTF-8 bytes; one with deploy-time values at its longest.
      return [id, typeof recipe === 'string' ? Buffer.byteLength(recipe, 'utf8') : sizer.length(recipe)];
    });
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    expect(over(sizes, 16_000)).toEqual([]);
  });

  test('each fleet-provisioning template body is at most 10,240 characters', () => {
    const sizes = each('AWS::IoT::ProvisioningTemplate').map(({ id, r, sizer }): [string, number] => [id, sizer.length(r.Properties.TemplateBody)]);
    expect(over(sizes, 10_240)).toEqual([]);
  });

  test('literal IoT names follow AWS IoT\'s patterns', () => {
    const patterns: Array<[string, string, RegExp]> = [
      ['AWS::IoT::Thing', 'ThingName', /^[a-zA-Z0-9:_-]{1,128}$/],
      ['AWS::IoT::ThingGroup', 'ThingGroupName', /^[a-zA-Z0-9:_-]{1,128}$/],
      ['AWS::IoT::RoleAlias', 'RoleAlias', /^[\w=,@-]{1,128}$/],
      ['AWS::IoT::Policy', 'PolicyName', /^[\w+=,.@-]{1,128}$/],
      ['AWS::IoT::ProvisioningTemplate', 'TemplateName', /^[0-9A-Za-z_-]{1,36}$/],
    ];
    const bad = patterns.flatMap(([type, prop, re]) => each(type)
      .map(({ id, r }) => [id, r.Properties?.[prop]])
      .filter(([, name]) => typeof name === 'string' && !re.test(name)));
    expect(bad).toEqual([]);
  });

  test('SSM parameters and secrets hold at most 4 KB and 64 KB', () => {
    const ssm = each('AWS::SSM::Parameter').map(({ id, r, sizer }): [string, number] => [id, sizer.length(r.Properties.Value) - 2]);
    const secrets = each('AWS::SecretsManager::Secret').filter(({ r }) => r.Properties?.SecretString !== undefined)
      .map(({ id, r, sizer }): [string, number] => [id, sizer.length(r.Properties.SecretString) - 2]);
    expect(over(ssm, 4_096)).toEqual([]);
    expect(over(secrets, 65_536)).toEqual([]);
  });

  test('each template stays within CloudFormation\'s 500 resources, 200 outputs, 200 parameters and 1 MB', () => {
    for (const { file, template } of templates) {
      const figures = {
        file,
        resources: Object.keys(template.Resources).length,
        outputs: Object.keys(template.Outputs ?? {}).length,
        parameters: Object.keys(template.Parameters ?? {}).length,
        bytes: Buffer.byteLength(JSON.stringify(template), 'utf8'),
      };
      expect(figures.resources).toBeLessThanOrEqual(500);
      expect(figures.outputs).toBeLessThanOrEqual(200);
      expect(figures.parameters).toBeLessThanOrEqual(200);
      expect(figures.bytes).toBeLessThanOrEqual(1_000_000);
    }
  });
});
