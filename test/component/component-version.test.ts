import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  Artifact, ComponentVersion, LifecycleStep, Platform, Recipe, VersioningMode,
} from '../../src';

const APP_DIR = path.join(__dirname, 'fixtures', 'app');

function newStack() {
  const app = new App();
  return new Stack(app, 'Stack', { env: { account: '123456789012', region: 'eu-west-1' } });
}

function recipe(script = 'python3 -u main.py', artifacts: Artifact[] = []) {
  return Recipe.of({
    componentName: 'com.example.Hello',
    componentVersion: '1.0.0',
    manifests: [{ platform: Platform.linux(), lifecycle: { run: LifecycleStep.script(script) }, artifacts }],
  });
}

/** The InlineRecipe of the stack's only component, as text (intrinsics shown as JSON). */
function inlineRecipe(stack: Stack): string {
  const resources = Template.fromStack(stack).findResources('AWS::GreengrassV2::ComponentVersion');
  const [res] = Object.values(resources) as any[];
  const value = res.Properties.InlineRecipe;
  return typeof value === 'string' ? value : value['Fn::Join'][1].map((p: any) => typeof p === 'string' ? p : JSON.stringify(p)).join('');
}

describe('ComponentVersion', () => {
  test('renders the recipe into CfnComponentVersion at id Resource, retained by default', () => {
    const stack = newStack();
    const c = new ComponentVersion(stack, 'Hello', { recipe: recipe(), versioning: VersioningMode.PINNED });
    expect(c.node.defaultChild).toBe(c.node.findChild('Resource'));
    Template.fromStack(stack).hasResource('AWS::GreengrassV2::ComponentVersion', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        InlineRecipe: JSON.stringify({
          RecipeFormatVersion: '2020-01-25',
          ComponentName: 'com.example.Hello',
          ComponentVersion: '1.0.0',
          Manifests: [{ Platform: { os: 'linux' }, Lifecycle: { run: { Script: 'python3 -u main.py' } } }],
        }),
      },
    });
    expect(c.componentName).toBe('com.example.Hello');
  });

  test('componentVersion and componentVersionArn are attributes of the L1', () => {
    const stack = newStack();
    const c = new ComponentVersion(stack, 'Hello', { recipe: recipe() });
    const logicalId = stack.getLogicalId(c.node.defaultChild as any);
    expect(stack.resolve(c.componentVersion)).toEqual({ 'Fn::GetAtt': [logicalId, 'ComponentVersion'] });
    expect(stack.resolve(c.componentVersionArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
  });

  test('removalPolicy DESTROY deletes', () => {
    const stack = newStack();
    new ComponentVersion(stack, 'Hello', { recipe: recipe(), removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource('AWS::GreengrassV2::ComponentVersion', { DeletionPolicy: 'Delete' });
  });

  test('content hash: same content keeps its version, changed content gets a new one', () => {
    const v = (script: string) => new ComponentVersion(newStack(), 'Hello', { recipe: recipe(script) }).recipeVersion;
    expect(v('a')).toMatch(/^1\.0\.0-c[0-9a-f]{10}$/);
    expect(v('a')).toEqual(v('a'));
    expect(v('a')).not.toEqual(v('b'));
  });

  test('content hash: an imported recipe without a version gets base 1.0.0', () => {
    const recipeJson: any = { RecipeFormatVersion: '2020-01-25', ComponentName: 'com.example.X', Manifests: [{ Lifecycle: { run: 'x' } }] };
    const c = new ComponentVersion(newStack(), 'X', { recipe: Recipe.fromJson(recipeJson) });
    expect(c.recipeVersion).toMatch(/^1\.0\.0-c[0-9a-f]{10}$/);
  });

  test.each([['{COMPONENT_VERSION}'], ['COMPONENT_VERSION']])('fails when an imported recipe version is the placeholder %s (it never becomes 1.0.0)', (written) => {
    const recipeJson: any = { RecipeFormatVersion: '2020-01-25', ComponentName: 'com.example.X', ComponentVersion: written, Manifests: [{ Lifecycle: { run: 'x' } }] };
    expect(() => new ComponentVersion(newStack(), 'X', { recipe: Recipe.fromJson(recipeJson) })).toThrow(
      `invalid recipe for component 'com.example.X': ComponentVersion '${written}' still holds the GDK build-time placeholder COMPONENT_VERSION: pass overrides.componentVersion to Recipe.fromFile/fromJson`);
  });

  test('fails when an imported recipe version is invalid, instead of silently using 1.0.0 as the content-hash base', () => {
    const recipeJson = { RecipeFormatVersion: '2020-01-25', ComponentName: 'com.example.X', ComponentVersion: '20240115.0.0', Manifests: [{ Lifecycle: { run: 'x' } }] };
    expect(() => new ComponentVersion(newStack(), 'X', { recipe: Recipe.fromJson(recipeJson) })).toThrow(
      "recipe ComponentVersion (the base of the content-hash version) '20240115.0.0' has a major, minor or patch number above 999999, which Greengrass rejects: use at most 6 digits each (for a date, split it: '2024.1.15')");
  });

  test('pinned: the version stays when content changes (the service would reject the new recipe)', () => {
    const v = (script: string) => new ComponentVersion(newStack(), 'Hello', { recipe: recipe(script), versioning: VersioningMode.PINNED });
    const a = v('a');
    const b = v('b');
    expect(a.recipeVersion).toBe('1.0.0');
    expect(b.recipeVersion).toBe('1.0.0');
    expect(a.recipeJson).not.toEqual(b.recipeJson);
    // the changed content shows in the resource metadata (and so in `cdk diff`), the version does not
    const hash = (c: ComponentVersion) => (c.node.defaultChild as any).getMetadata('cdk-greengrass-v2:contentHash');
    expect(hash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hash(a)).not.toBe(hash(b));
    expect(hash(v('a'))).toBe(hash(a));
  });

  test('a local directory becomes a zipped asset granted to the device role', () => {
    const stack = newStack();
    const c = new ComponentVersion(stack, 'Hello', { recipe: recipe('python3 x', [Artifact.fromAsset(APP_DIR)]) });
    const role = new iam.Role(stack, 'DeviceRole', { assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com') });
    c.bindToDeployment(stack, { deviceRole: role });
    expect(inlineRecipe(stack)).toMatch(/"URI":"s3:\/\/cdk-hnb659fds-assets-123456789012-eu-west-1\/[0-9a-f]{64}\.zip","Unarchive":"ZIP"/);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Action: 's3:GetObject',
          Effect: 'Allow',
          Resource: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^:s3:::cdk-hnb659fds-assets-123456789012-eu-west-1/[0-9a-f]{64}\\.zip$')])] }),
        }],
      },
    });
  });

  test.each([
    ['a typed Artifact.fromUri', (_stack: Stack) => recipe('x', [Artifact.fromUri('s3://other-bucket/tools/tool.zip')])],
    ['a typed Artifact.fromBucket', (stack: Stack) => recipe('x', [Artifact.fromBucket(s3.Bucket.fromBucketName(stack, 'B', 'other-bucket'), 'tools/tool.zip')])],
    ['an imported recipe', (_stack: Stack) => Recipe.fromJson({
      RecipeFormatVersion: '2020-01-25',
      ComponentName: 'com.example.Hello',
      ComponentVersion: '1.0.0',
      Manifests: [{ Artifacts: [{ URI: 's3://other-bucket/tools/tool.zip' }], Lifecycle: { run: 'x' } }],
    })],
  ])('an S3 object of %s is granted to the device role as s3:GetObject on exactly that object', (_name, make) => {
    const stack = newStack();
    const c = new ComponentVersion(stack, 'Hello', { recipe: make(stack) });
    const role = new iam.Role(stack, 'DeviceRole', { assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com') });
    c.bindToDeployment(stack, { deviceRole: role });
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(statements.map((st: any) => [st.Action, stack.resolve(st.Resource)])).toEqual([[
      's3:GetObject', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::other-bucket/tools/tool.zip']] },
    ]]);
  });

  test('an image in Amazon ECR given by URI is granted pull on its repository', () => {
    const stack = newStack();
    const c = new ComponentVersion(stack, 'Hello', { recipe: recipe('x', [Artifact.fromUri('docker:123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0.0')]) });
    const role = new iam.Role(stack, 'DeviceRole', { assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com') });
    c.bindToDeployment(stack, { deviceRole: role });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['ecr:BatchGetImage']), Resource: Match.anyValue() })]) },
    });
  });

  test('a public https artifact needs no device role', () => {
    const stack = newStack();
    const c = new ComponentVersion(stack, 'Hello', { recipe: recipe('x', [Artifact.fromUri('https://example.com/tool.zip')]) });
    expect(c.bindToDeployment(stack, {})).toEqual({});
  });

  test('fails when artifacts are in S3 and no device role is known', () => {
    const stack = newStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'B', 'my-bucket');
    const c = new ComponentVersion(stack, 'Hello', { recipe: recipe('x', [Artifact.fromBucket(bucket, 'a/b.py')]) });
    expect(() => c.bindToDeployment(stack, {})).toThrow(
      "component 'com.example.Hello' has artifacts in S3 or Amazon ECR (or reads secrets) that its devices must be allowed to download, but the deployment knows no device role: pass `deviceRole` to the Deployment or target a CoreDevice/fleet defined with this library");
  });

  test('a component without cloud artifacts needs no device role', () => {
    const stack = newStack();
    const c = new ComponentVersion(stack, 'Hello', { recipe: recipe() });
    expect(c.bindToDeployment(stack, {})).toEqual({});
  });

  describe('the same component version created twice', () => {
    const env = { account: '123456789012', region: 'eu-west-1' };
    const conflict = (a: string, b: string) => new RegExp(`^component versions '${a}' and '${b}' both create component 'com\\.example\\.Hello' version '1\\.0\\.0[^']*' \\(the same (content|pinned version)\\) in`);

    test.each([[VersioningMode.CONTENT_HASH], [VersioningMode.PINNED]])('fails for two stacks of one account and region (%s), naming both paths', (versioning) => {
      const app = new App();
      new ComponentVersion(new Stack(app, 'A', { env }), 'Hello', { recipe: recipe(), versioning });
      expect(() => new ComponentVersion(new Stack(app, 'B', { env }), 'Hello', { recipe: recipe(), versioning })).toThrow(conflict('A/Hello', 'B/Hello'));
    });

    test.each([[VersioningMode.CONTENT_HASH], [VersioningMode.PINNED]])('fails twice in one stack (%s)', (versioning) => {
      const stack = newStack();
      new ComponentVersion(stack, 'One', { recipe: recipe(), versioning });
      expect(() => new ComponentVersion(stack, 'Two', { recipe: recipe(), versioning })).toThrow(conflict('Stack/One', 'Stack/Two'));
    });

    test('fails for two stacks without env, saying how to tell them apart', () => {
      const app = new App();
      new ComponentVersion(new Stack(app, 'A'), 'Hello', { recipe: recipe() });
      expect(() => new ComponentVersion(new Stack(app, 'B'), 'Hello', { recipe: recipe() })).toThrow('give each stack its `env` if they deploy to different accounts or regions');
    });

    test('fails for a pinned version with other content in the same account and region', () => {
      const app = new App();
      new ComponentVersion(new Stack(app, 'A', { env }), 'Hello', { recipe: recipe('a'), versioning: VersioningMode.PINNED });
      expect(() => new ComponentVersion(new Stack(app, 'B', { env }), 'Hello', { recipe: recipe('b'), versioning: VersioningMode.PINNED }))
        .toThrow("component versions 'A/Hello' and 'B/Hello' both create component 'com.example.Hello' version '1.0.0' (the same pinned version) in account 123456789012, region eu-west-1");
    });

    test.each([
      ['two regions', { account: '123456789012', region: 'us-east-1' }, 'a'],
      ['two accounts', { account: '210987654321', region: 'eu-west-1' }, 'a'],
      ['other content (content hash)', env, 'b'],
    ])('accepts the same component in %s', (_what, otherEnv, script) => {
      const app = new App();
      new ComponentVersion(new Stack(app, 'A', { env }), 'Hello', { recipe: recipe('a') });
      expect(() => new ComponentVersion(new Stack(app, 'B', { env: otherEnv }), 'Hello', { recipe: recipe(script) })).not.toThrow();
    });

    test('accepts the same component in two apps (each synthesizes on its own)', () => {
      new ComponentVersion(new Stack(new App(), 'A', { env }), 'Hello', { recipe: recipe() });
      expect(() => new ComponentVersion(new Stack(new App(), 'A', { env }), 'Hello', { recipe: recipe() })).not.toThrow();
    });

    test('a content-hash component moved to another construct path gets a new version, so its create never collides with the retained one', () => {
      const before = new ComponentVersion(newStack(), 'Hello', { recipe: recipe() });
      const stack = newStack();
      const moved = new ComponentVersion(new Construct(stack, 'Edge'), 'Hello', { recipe: recipe() });
      const again = new ComponentVersion(newStack(), 'Hello', { recipe: recipe() });
      expect(moved.recipeVersion).not.toBe(before.recipeVersion);
      expect(again.recipeVersion).toBe(before.recipeVersion);
    });
  });

  test('fromComponentVersionArn parses name and version', () => {
    const stack = newStack();
    const c = ComponentVersion.fromComponentVersionArn(stack, 'I', 'arn:aws:greengrass:eu-west-1:123456789012:components:com.example.X:versions:1.2.3');
    expect([c.componentName, c.componentVersion]).toEqual(['com.example.X', '1.2.3']);
  });

  test('fromComponentVersionAttributes builds the ARN', () => {
    const stack = newStack();
    const c = ComponentVersion.fromComponentVersionAttributes(stack, 'I', { componentName: 'com.example.X', componentVersion: '1.2.3' });
    expect(stack.resolve(c.componentVersionArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':greengrass:eu-west-1:123456789012:components:com.example.X:versions:1.2.3']],
    });
  });
});
