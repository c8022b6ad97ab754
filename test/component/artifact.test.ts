import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Artifact, ComponentVersion, LifecycleStep, Recipe } from '../../src';
import { checkRecipe } from '../fidelity/recipe-check';

const FIXTURES = path.join(__dirname, 'fixtures');

function setup() {
  const stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'eu-west-1' } });
  const role = new iam.Role(stack, 'DeviceRole', { assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com') });
  return { stack, role };
}

function component(stack: Stack, artifacts: Artifact[], script = 'run') {
  const c = new ComponentVersion(stack, 'C', {
    recipe: Recipe.of({ componentName: 'com.example.A', manifests: [{ lifecycle: { run: LifecycleStep.script(script) }, artifacts }] }),
  });
  expect(checkRecipe(stack.resolve(c.recipeJson))).toEqual([]);
  return c;
}

function statements(stack: Stack): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('Artifact', () => {
  test('a local file is an asset with a content-addressed key and its path is usable in scripts', () => {
    const { stack, role } = setup();
    const file = Artifact.fromAsset(path.join(FIXTURES, 'script.sh'));
    const c = component(stack, [file], `sh ${file.path}`);
    c.bindToDeployment(stack, { deviceRole: role });
    const json = stack.resolve(c.recipeJson);
    const [artifact] = json.Manifests[0].Artifacts;
    expect(artifact.URI).toMatch(/^s3:\/\/cdk-hnb659fds-assets-123456789012-eu-west-1\/([0-9a-f]{64})\.sh$/);
    expect(artifact.Unarchive).toBeUndefined();
    const key = artifact.URI.split('/').pop();
    expect(json.Manifests[0].Lifecycle.run.Script).toBe(`sh {artifacts:path}/${key}`);
    expect(statements(stack)).toEqual([{
      Action: 's3:GetObject',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::cdk-hnb659fds-assets-123456789012-eu-west-1/${key}`]] },
    }]);
  });

  test('a directory is zipped and unpacked; decompressedPath names the folder', () => {
    const { stack } = setup();
    const dir = Artifact.fromAsset(path.join(FIXTURES, 'app'));
    const c = component(stack, [dir], `python3 ${dir.decompressedPath}/main.py`);
    const json = stack.resolve(c.recipeJson);
    const hash = /([0-9a-f]{64})\.zip$/.exec(json.Manifests[0].Artifacts[0].URI)![1];
    expect(json.Manifests[0].Artifacts[0].Unarchive).toBe('ZIP');
    expect(json.Manifests[0].Lifecycle.run.Script).toBe(`python3 {artifacts:decompressedPath}/${hash}/main.py`);
  });

  test('changing a local file changes the derived version', () => {
    const version = (file: string) => component(setup().stack, [Artifact.fromAsset(path.join(FIXTURES, file))]).recipeVersion;
    expect(version('script.sh')).toBe(version('script.sh'));
    expect(version('script.sh')).not.toBe(version('app'));
  });

  describe('content-hash versions of local assets', () => {
    /** A copy of the fixture app directory in a fresh temporary folder, with its own modification times. */
    function copyOfApp(mtime: Date): string {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gg-asset-'));
      const app = path.join(dir, 'nested', 'app');
      fs.mkdirSync(app, { recursive: true });
      for (const f of fs.readdirSync(path.join(FIXTURES, 'app'))) {
        fs.copyFileSync(path.join(FIXTURES, 'app', f), path.join(app, f));
        fs.utimesSync(path.join(app, f), mtime, mtime);
      }
      return app;
    }
    const synth = (dir: string) => {
      const c = component(setup().stack, [Artifact.fromAsset(dir)]);
      return { version: c.recipeVersion, recipe: JSON.stringify(c.stack.resolve(c.recipeJson)) };
    };

    test('a copy of the same directory elsewhere, with other modification times, keeps the version and the recipe', () => {
      const original = synth(path.join(FIXTURES, 'app'));
      const copy = synth(copyOfApp(new Date('2001-02-03T04:05:06Z')));
      expect(copy).toEqual(original);
      expect(synth(path.join(FIXTURES, 'app'))).toEqual(original);
    });

    test('changed content in the directory gets a new version', () => {
      const app = copyOfApp(new Date());
      const before = synth(app);
      fs.appendFileSync(path.join(app, 'main.py'), '\n# changed\n');
      const after = synth(app);
      expect(after.version).toMatch(/^1\.0\.0-c[0-9a-f]{10}$/);
      expect(after.version).not.toBe(before.version);
      fs.writeFileSync(path.join(app, 'extra.txt'), 'a new file');
      expect(synth(app).version).not.toBe(after.version);
    });
  });

  test('a bucket object grants s3:GetObject on that object only, and decrypt with its key', () => {
    const { stack, role } = setup();
    const key = new kms.Key(stack, 'Key');
    const bucket = new s3.Bucket(stack, 'Bucket', { encryptionKey: key });
    component(stack, [Artifact.fromBucket(bucket, 'app/main.py')]).bindToDeployment(stack, { deviceRole: role });
    const bucketId = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    const keyId = stack.getLogicalId(key.node.defaultChild as kms.CfnKey);
    expect(statements(stack)).toEqual([
      { Action: 's3:GetObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/app/main.py']] } },
      { Action: 'kms:Decrypt', Effect: 'Allow', Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    ]);
  });

  test('an ECR image grants pull on the repository', () => {
    const { stack, role } = setup();
    const repo = ecr.Repository.fromRepositoryName(stack, 'Repo', 'my-app');
    const c = component(stack, [Artifact.fromEcrRepository(repo, '1.2.0')]);
    c.bindToDeployment(stack, { deviceRole: role });
    expect(stack.resolve(c.recipeJson).Manifests[0].Artifacts[0].URI).toEqual({
      'Fn::Join': ['', ['docker:123456789012.dkr.ecr.eu-west-1.', { Ref: 'AWS::URLSuffix' }, '/my-app:1.2.0']],
    });
    const actions = statements(stack).flatMap((s) => [].concat(s.Action));
    expect(actions).toEqual(expect.arrayContaining(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:GetAuthorizationToken']));
  });

  test('a DockerImageAsset synthesizes without a Docker engine and is referenced by its asset hash', () => {
    const { stack, role } = setup();
    const image = new ecr_assets.DockerImageAsset(stack, 'Image', { directory: path.join(FIXTURES, 'image') });
    const c = component(stack, [Artifact.fromDockerImageAsset(image)]);
    c.bindToDeployment(stack, { deviceRole: role });
    const uri = stack.resolve(c.recipeJson).Manifests[0].Artifacts[0].URI;
    expect(JSON.stringify(uri)).toContain(`:${image.assetHash}`);
    expect(statements(stack).flatMap((s) => [].concat(s.Action))).toEqual(expect.arrayContaining(['ecr:BatchGetImage']));
  });

  test('imported s3 and ECR URIs are granted; public images and greengrass: URIs are not', () => {
    const { stack, role } = setup();
    const c = new ComponentVersion(stack, 'C', {
      recipe: Recipe.fromJson({
        RecipeFormatVersion: '2020-01-25',
        ComponentName: 'com.example.I',
        ComponentVersion: '1.0.0',
        Manifests: [{
          Artifacts: [
            { URI: 's3://their-bucket/a/b.zip' },
            { URI: 'docker:111122223333.dkr.ecr.us-east-1.amazonaws.com/repo:1' },
            { URI: 'docker:mosquitto:2' },
            { URI: 'greengrass:x.zip' },
          ],
        }],
      }),
    });
    c.bindToDeployment(stack, { deviceRole: role });
    expect(statements(stack)).toContainEqual(
      { Action: 's3:GetObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::their-bucket/a/b.zip']] } });
    const resources = JSON.stringify(statements(stack));
    expect(resources).toContain(':ecr:us-east-1:111122223333:repository/repo');
    expect(resources).not.toContain('mosquitto');
  });

  test.each([
    ['a missing local path', () => Artifact.fromAsset('/does/not/exist'), "artifact path '/does/not/exist' does not exist: pass an existing file or directory"],
    ['a key with a leading slash', () => Artifact.fromBucket(s3.Bucket.fromBucketName(new Stack(), 'B', 'my-bucket'), '/k'),
      "artifact key '/k' is invalid: pass the object key without a leading '/' (for example 'app/main.py')"],
    ['an unsupported URI', () => Artifact.fromUri('ftp://x/y'),
      "artifact uri 'ftp://x/y' has no supported scheme: use s3://bucket/key, docker:<image>, greengrass:<file> or https://..."],
    ['an S3 URI with a wildcard', () => Artifact.fromUri('s3://my-bucket/secrets/*'),
      "artifact uri 's3://my-bucket/secrets/*' holds '*': Greengrass downloads artifact URIs literally (no wildcards or variables), so name one object or image"],
    ['a URI with a variable', () => Artifact.fromUri('s3://my-bucket/${VERSION}/tool.zip'), "artifact uri 's3://my-bucket/${VERSION}/tool.zip' holds '${'"],
    ['an S3 URI without a key', () => Artifact.fromUri('s3://my-bucket'), "artifact uri 's3://my-bucket' names no object: use s3://<bucket>/<key>"],
    ['a digest without algorithm', () => Artifact.fromUri('s3://b/k', { digest: 'abc' }),
      "artifact digest 'abc' and algorithm '' go together: pass both or neither"],
    ['an invalid image tag', () => Artifact.fromEcrRepository(ecr.Repository.fromRepositoryName(new Stack(), 'R', 'r'), 'bad tag'),
      "image tag or digest 'bad tag' is invalid: pass a tag such as '1.0.0' or a digest 'sha256:<64 hex digits>'"],
  ])('fails when %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});
