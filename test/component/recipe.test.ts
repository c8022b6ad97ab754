import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  AccessControl, Architecture, Artifact, ComponentType, ComponentVersion, DependencyType, LifecycleStep, Platform,
  Recipe, RecipeOptions, RecipeVariables, ShadowOperation, SkipIf, Unarchive, VersioningMode,
} from '../../src';
import { checkRecipe, FIXTURE_RECIPES_DIR } from '../fidelity/recipe-check';
import { testWithShared } from '../shared-oracle';

const base: RecipeOptions = {
  componentName: 'com.example.Hello',
  manifests: [{ platform: Platform.linux(), lifecycle: { run: LifecycleStep.script('echo hi') } }],
};

function withOptions(change: Partial<RecipeOptions>): RecipeOptions {
  return { ...base, ...change };
}

function tmpFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recipe-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function render(recipe: Recipe, versioning = VersioningMode.PINNED): any {
  const stack = new Stack(new App(), 'Stack');
  const c = new ComponentVersion(stack, 'C', { recipe, versioning });
  const json = stack.resolve(c.recipeJson);
  expect(checkRecipe(json)).toEqual([]);
  return json;
}

describe('Recipe.of', () => {
  test('renders the typed model with canonical keys', () => {
    const recipe = Recipe.of({
      componentName: 'com.example.Full',
      componentVersion: '2.1.0',
      description: 'A full component',
      publisher: 'Example Corp',
      componentType: ComponentType.GENERIC,
      defaultConfiguration: { Topic: 'a/b', Nested: { x: 1 } },
      accessControl: AccessControl.create().allowPublishToTopic('a/b').allowSubscribeToIotCore('cmd/#'),
      dependencies: {
        'aws.greengrass.TokenExchangeService': { versionRequirement: '^2.0.0' },
        'aws.greengrass.StreamManager': { versionRequirement: '>=2.1.0 <3.0.0', dependencyType: DependencyType.SOFT },
      },
      manifests: [{
        name: 'linux-arm',
        platform: Platform.of({ os: Platform.anyOf(['darwin', 'linux']), architecture: 'arm64', attributes: { gpu: 'yes' } }),
        lifecycle: {
          setenv: { PYTHONUNBUFFERED: '1' },
          install: LifecycleStep.script('pip3 install -r requirements.txt', {
            requiresPrivilege: true, timeout: Duration.minutes(5), skipIf: SkipIf.onPath('pip3'), setenv: { A: 'b' },
          }),
          run: LifecycleStep.script(`python3 -u main.py ${RecipeVariables.configuration('/Topic')}`),
          shutdown: LifecycleStep.script('echo bye', { timeout: Duration.seconds(15) }),
          recover: LifecycleStep.script('echo recover'),
          bootstrap: LifecycleStep.script('echo boot', { bootstrapOnRollback: true }),
        },
      }],
    });
    expect(render(recipe)).toEqual({
      RecipeFormatVersion: '2020-01-25',
      ComponentName: 'com.example.Full',
      ComponentVersion: '2.1.0',
      ComponentDescription: 'A full component',
      ComponentPublisher: 'Example Corp',
      ComponentType: 'aws.greengrass.generic',
      ComponentConfiguration: {
        DefaultConfiguration: {
          Topic: 'a/b',
          Nested: { x: 1 },
          accessControl: {
            'aws.greengrass.ipc.pubsub': {
              'com.example.Full:pubsub:1': {
                policyDescription: 'Allows com.example.Full to publish to local topics.',
                operations: ['aws.greengrass#PublishToTopic'],
                resources: ['a/b'],
              },
            },
            'aws.greengrass.ipc.mqttproxy': {
              'com.example.Full:mqttproxy:1': {
                policyDescription: 'Allows com.example.Full to subscribe to AWS IoT Core topics.',
                operations: ['aws.greengrass#SubscribeToIoTCore'],
                resources: ['cmd/#'],
              },
            },
          },
        },
      },
      ComponentDependencies: {
        'aws.greengrass.TokenExchangeService': { VersionRequirement: '^2.0.0', DependencyType: 'HARD' },
        'aws.greengrass.StreamManager': { VersionRequirement: '>=2.1.0 <3.0.0', DependencyType: 'SOFT' },
      },
      Manifests: [{
        Name: 'linux-arm',
        Platform: { os: '/darwin|linux/', architecture: 'aarch64', gpu: 'yes' },
        Lifecycle: {
          setenv: { PYTHONUNBUFFERED: '1' },
          install: { Script: 'pip3 install -r requirements.txt', RequiresPrivilege: true, Skipif: 'onpath pip3', Timeout: 300, Setenv: { A: 'b' } },
          run: { Script: 'python3 -u main.py {configuration:/Topic}' },
          shutdown: { Script: 'echo bye', Timeout: 15 },
          recover: { Script: 'echo recover' },
          bootstrap: { Script: 'echo boot', BootstrapOnRollback: true },
        },
      }],
    });
  });

  test('a manifest with no platform has no Platform key', () => {
    const json = render(Recipe.of({ ...base, manifests: [{ lifecycle: { run: LifecycleStep.script('x') } }] }));
    expect(json.Manifests).toEqual([{ Lifecycle: { run: { Script: 'x' } } }]);
  });

  test('shadow and secret helpers render least-privilege policies', () => {
    const stack = new Stack(new App(), 'S');
    const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Sec', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf');
    const ac = AccessControl.create()
      .allowShadow({ shadowNames: ['config'], operations: [ShadowOperation.GET, ShadowOperation.UPDATE] })
      .allowGetSecretValue(secret);
    const json = Recipe.of({ ...base, accessControl: ac }).toJson(stack);
    expect(json.ComponentConfiguration.DefaultConfiguration.accessControl).toEqual({
      'aws.greengrass.ShadowManager': {
        'com.example.Hello:shadow:1': {
          policyDescription: 'Allows com.example.Hello to use local shadows.',
          operations: ['aws.greengrass#GetThingShadow', 'aws.greengrass#UpdateThingShadow'],
          resources: ['$aws/things/{iot:thingName}/shadow/name/config'],
        },
      },
      'aws.greengrass.SecretManager': {
        'com.example.Hello:secrets:1': {
          policyDescription: 'Allows com.example.Hello to read secrets.',
          operations: ['aws.greengrass#GetSecretValue'],
          resources: ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf'],
        },
      },
    });
  });

  test('architecture aliases are written as the nucleus reports them', () => {
    expect(Platform.of({ architecture: 'arm64' }).attributes).toEqual({ architecture: Architecture.AARCH64 });
    expect(Platform.of({ architecture: 'x86_64' }).attributes).toEqual({ architecture: Architecture.AMD64 });
    expect(Platform.linux(Architecture.ARM).attributes).toEqual({ os: 'linux', architecture: 'arm' });
  });

  test('recipe variable helpers', () => {
    expect([
      RecipeVariables.artifactsPath(), RecipeVariables.artifactsDecompressedPath('com.example.Other'),
      RecipeVariables.workPath(), RecipeVariables.configuration('/a/b'), RecipeVariables.thingName(), RecipeVariables.rootPath(),
    ]).toEqual([
      '{artifacts:path}', '{com.example.Other:artifacts:decompressedPath}', '{work:path}', '{configuration:/a/b}', '{iot:thingName}', '{kernel:rootPath}',
    ]);
  });

  // each limit: a value that passes and one that fails, with the exact message
  test.each([
    ['componentName of 128 characters', { componentName: 'a'.repeat(128) }],
    ['componentName with - _ .', { componentName: 'com.example-x_y' }],
    ['componentVersion of 64 characters', { componentVersion: `1.0.0-${'a'.repeat(58)}` }],
    ['componentVersion numbers of 6 digits', { componentVersion: '999999.999999.999999' }],
    ['a dependency range', { dependencies: { 'com.example.Dep': { versionRequirement: '>=1.0.0 <2.0.0' } } }],
  ])('accepts %s', (_name, change) => {
    expect(() => Recipe.of(withOptions(change as Partial<RecipeOptions>))).not.toThrow();
  });

  test.each([
    ['componentName is empty', { componentName: '' },
      "invalid recipe for '': componentName '' is invalid: use 1-128 characters of letters, digits, '-', '_' and '.'"],
    ['componentName is longer than 128 characters', { componentName: 'a'.repeat(129) },
      `invalid recipe for '${'a'.repeat(129)}': componentName '${'a'.repeat(129)}' is invalid: use 1-128 characters of letters, digits, '-', '_' and '.'`],
    ['componentName has a space', { componentName: 'com.example Hello' },
      "invalid recipe for 'com.example Hello': componentName 'com.example Hello' is invalid: use 1-128 characters of letters, digits, '-', '_' and '.'"],
    ...[':', ';', '<', '=', '>', '?', '@', '[', '\\', ']', '^'].map((c) => [`componentName has '${c}' (between '9' and '_' in ASCII)`, { componentName: `com.example${c}Hello` },
      `invalid recipe for 'com.example${c}Hello': componentName 'com.example${c}Hello' is invalid: use 1-128 characters of letters, digits, '-', '_' and '.'`]),
    ['componentName starts with aws.greengrass in any case', { componentName: 'AWS.Greengrass.Mine' },
      "invalid recipe for 'AWS.Greengrass.Mine': componentName 'AWS.Greengrass.Mine' starts with 'aws.greengrass', which is reserved for AWS components: choose another prefix, for example 'com.example.'"],
    ['componentVersion is not semver', { componentVersion: '1.0' },
      "invalid recipe for 'com.example.Hello': componentVersion '1.0' is not a semantic version: use major.minor.patch, for example '1.0.0'"],
    ['componentVersion is longer than 64 characters', { componentVersion: `1.0.0-${'a'.repeat(59)}` },
      `invalid recipe for 'com.example.Hello': componentVersion '1.0.0-${'a'.repeat(59)}' is 65 characters long: use at most 64`],
    ['a componentVersion number has more than 6 digits', { componentVersion: '20240115.0.0' },
      "invalid recipe for 'com.example.Hello': componentVersion '20240115.0.0' has a major, minor or patch number above 999999, which Greengrass rejects: use at most 6 digits each (for a date, split it: '2024.1.15')"],
    ['a componentVersion patch number is above 999999', { componentVersion: '1.0.1000000-beta' },
      "invalid recipe for 'com.example.Hello': componentVersion '1.0.1000000-beta' has a major, minor or patch number above 999999, which Greengrass rejects: use at most 6 digits each (for a date, split it: '2024.1.15')"],
    ['a dependency requirement is not a semver range', { dependencies: { 'com.example.Dep': { versionRequirement: 'latest' } } },
      "invalid recipe for 'com.example.Hello': dependencies.com.example.Dep.versionRequirement \"latest\" is not a semver range: use for example '^2.0.0' or '>=2.1.0 <3.0.0'"],
    ['a dependency name is invalid', { dependencies: { 'com example': {} } },
      "invalid recipe for 'com.example.Hello': dependencies has invalid component name 'com example': use 1-128 characters of letters, digits, '-', '_' and '.'"],
    ['manifests is empty', { manifests: [] },
      "invalid recipe for 'com.example.Hello': manifests is empty: pass at least one manifest, for example { platform: Platform.all(), lifecycle: { run: LifecycleStep.script('...') } }"],
    ['run and startup are both set', { manifests: [{ lifecycle: { run: LifecycleStep.script('a'), startup: LifecycleStep.script('b') } }] },
      "invalid recipe for 'com.example.Hello': manifests[0].lifecycle sets both run and startup: keep run for a foreground process or startup for a background one"],
    ['bootstrapOnRollback is set on a step other than bootstrap', { manifests: [{ lifecycle: { install: LifecycleStep.script('a', { bootstrapOnRollback: true }) } }] },
      "invalid recipe for 'com.example.Hello': manifests[0].lifecycle.install sets bootstrapOnRollback, which only a bootstrap step has: remove it or move the script to lifecycle.bootstrap"],
    ['accessControl is also in defaultConfiguration', { defaultConfiguration: { accessControl: {} }, accessControl: AccessControl.create().allowPublishToTopic('a') },
      "invalid recipe for 'com.example.Hello': defaultConfiguration.accessControl and accessControl are both set: move the policies to accessControl"],
  ])('fails when %s', (_name, change, message) => {
    expect(() => Recipe.of(withOptions(change as Partial<RecipeOptions>))).toThrow(message);
  });

  test.each([
    ['a timeout of a fraction of a second', () => LifecycleStep.script('x', { timeout: Duration.millis(1500) }),
      'lifecycle step timeout 1 second 500 millis must be a whole number of seconds of at least 1: pass for example Duration.seconds(120)'],
    ['an empty script', () => LifecycleStep.script('  '), 'lifecycle step script is empty: pass the command to run'],
    ['an empty skipIf', () => SkipIf.exists(''), "skipIf exists needs a non-empty file, got ''"],
    ['a platform key that is a standard attribute', () => Platform.of({ attributes: { OS: 'linux' } }),
      "platform attributes key 'OS' is a standard attribute: pass it as 'os' instead"],
    ['an unknown platform key', () => Platform.of({ attributes: { arch: 'amd64' } }), "platform has unknown platform key 'arch': use 'architecture'"],
    ['a platform regular expression that does not compile', () => Platform.of({ os: '/linux(/' }),
      "platform.os '/linux(/' is not a valid regular expression"],
    ['an access control with no resource', () => AccessControl.create().allowPublishToTopic(),
      'access control for aws.greengrass.ipc.pubsub (aws.greengrass#PublishToTopic) names no resource: pass the topics, shadows or secrets the component uses'],
    ['a configuration variable that is not a JSON pointer', () => RecipeVariables.configuration('Topic'),
      "recipe variable configuration: 'Topic' is not a JSON pointer: pass for example '/Topic' or '/Parameters/name'"],
  ])('fails when %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  test('a timeout of whole seconds passes', () => {
    expect(LifecycleStep.script('x', { timeout: Duration.seconds(1) })._render('install')).toEqual({ Script: 'x', Timeout: 1 });
  });

  test('fails when the rendered recipe is larger than 16 kB, passes just below', () => {
    const sized = (n: number) => Recipe.of({ ...base, defaultConfiguration: { blob: 'x'.repeat(n) } });
    const stack = new Stack(new App(), 'S');
    const overhead = JSON.stringify(new ComponentVersion(stack, 'Probe', { recipe: sized(0) }).recipeJson).length;
    expect(() => new ComponentVersion(stack, 'Fits', { recipe: sized(16_000 - overhead) })).not.toThrow();
    expect(() => new ComponentVersion(stack, 'TooBig', { recipe: sized(16_001 - overhead) })).toThrow(
      "recipe of component 'com.example.Hello' is 16001 bytes rendered, more than the 16000 bytes Greengrass accepts: move large scripts into artifacts or configuration defaults into a file");
  });
});

describe('Recipe.fromFile / fromJson', () => {
  test('keys in any case are rendered in canonical case; unknown keys are kept', () => {
    const json = Recipe.fromJson({
      recipeformatversion: '2020-01-25',
      componentName: 'com.example.X',
      COMPONENTVERSION: '1.0.0',
      XCustom: { Keep: 'me' },
      manifests: [{
        platform: { OS: 'linux', Architecture: 'amd64', myAttr: 'v' },
        lifecycle: { Run: { script: 'x', requiresprivilege: true, TIMEOUT: 5, skipIf: 'onpath x' }, setEnv: { K: 'v' } },
        artifacts: [{ uri: 's3://b/k.zip', unarchive: 'ZIP', permission: { read: 'ALL', execute: 'OWNER' }, digest: 'd', algorithm: 'SHA-256' }],
      }],
    }).toJson();
    expect(json).toEqual({
      RecipeFormatVersion: '2020-01-25',
      ComponentName: 'com.example.X',
      ComponentVersion: '1.0.0',
      XCustom: { Keep: 'me' },
      Manifests: [{
        Platform: { os: 'linux', architecture: 'amd64', myAttr: 'v' },
        Lifecycle: { run: { Script: 'x', RequiresPrivilege: true, Timeout: 5, Skipif: 'onpath x' }, setenv: { K: 'v' } },
        Artifacts: [{ URI: 's3://b/k.zip', Unarchive: 'ZIP', Permission: { Read: 'ALL', Execute: 'OWNER' }, Digest: 'd', Algorithm: 'SHA-256' }],
      }],
    });
  });

  test('a global lifecycle with Selections keeps its selection keys', () => {
    const json = Recipe.fromJson({
      RecipeFormatVersion: '2020-01-25',
      ComponentName: 'com.example.X',
      ComponentVersion: '1.0.0',
      Manifests: [{ Platform: { os: 'linux' }, Selections: ['linux'] }],
      Lifecycle: { linux: { Run: 'echo linux' }, Windows: { RUN: { Script: 'echo win' } } },
    }).toJson();
    expect(json.Lifecycle).toEqual({ linux: { run: 'echo linux' }, Windows: { run: { Script: 'echo win' } } });
    expect(render(Recipe.fromJson(json)).Lifecycle).toEqual(json.Lifecycle);
  });

  test('an unquoted RecipeFormatVersion stays a string', () => {
    const file = tmpFile('recipe.yaml', 'RecipeFormatVersion: 2020-01-25\nComponentName: com.example.X\nComponentVersion: 1.0.0\nManifests:\n  - Lifecycle:\n      run: echo\n');
    expect(Recipe.fromFile(file).toJson().RecipeFormatVersion).toBe('2020-01-25');
  });

  testWithShared('overrides replace GDK placeholders and the bucket of artifact URIs', () => {
    const stack = new Stack(new App(), 'S');
    const bucket = s3.Bucket.fromBucketName(stack, 'B', 'artifact-bucket');
    const recipe = Recipe.fromFile(path.join(FIXTURE_RECIPES_DIR, 'cBiscuitSurprise__aws-greengrass-streammanager-python-segfault-repro__recipe.yaml'), {
      componentName: 'com.example.Repro', componentVersion: '1.2.3', bucket,
    });
    const json = stack.resolve(recipe.toJson(stack));
    expect(json.ComponentName).toBe('com.example.Repro');
    expect(json.ComponentVersion).toBe('1.2.3');
    expect(Object.keys(json.ComponentConfiguration.DefaultConfiguration.accessControl['aws.greengrass.ipc.pubsub']))
      .toEqual(['com.example.Repro:pubsub:1', 'com.example.Repro:pubsub:2']);
    expect(json.Manifests[0].Artifacts[0].URI).toBe('s3://artifact-bucket/com.example.Repro/1.2.3/package.zip');
  });

  test('fails when two keys differ only in case', () => {
    expect(() => Recipe.fromJson({ ComponentName: 'x', Manifests: [{ Lifecycle: { Run: 'a', run: 'b' } }] })).toThrow(
      "recipe has duplicate keys 'Run' and 'run' in recipe.Manifests[0].Lifecycle (keys are case-insensitive): keep one of them");
  });

  test('fails when the file is not valid YAML', () => {
    const file = tmpFile('bad.yaml', 'a: [1\n');
    expect(() => Recipe.fromFile(file)).toThrow(`recipe file '${file}' is not valid YAML:`);
  });

  test('fails when the recipe is not an object', () => {
    expect(() => Recipe.fromJson([1])).toThrow('recipe must be an object, got an array: pass a recipe document with RecipeFormatVersion, ComponentName and Manifests');
  });

  // what the service or the nucleus would reject, found when a ComponentVersion uses the recipe
  const good = {
    RecipeFormatVersion: '2020-01-25',
    ComponentName: 'com.example.X',
    ComponentVersion: '1.0.0',
    Manifests: [{ Platform: { os: 'linux' }, Lifecycle: { install: { Script: 'x', Timeout: 60 } } }],
  };
  test('a valid imported recipe makes a component version', () => {
    expect(render(Recipe.fromJson(good)).ComponentName).toBe('com.example.X');
  });
  test.each([
    ['the name is a placeholder', { ComponentName: '{COMPONENT_NAME}' },
      "ComponentName '{COMPONENT_NAME}' still holds the GDK build-time placeholder COMPONENT_NAME: pass overrides.componentName to Recipe.fromFile/fromJson, as GDK replaces it at build time"],
    ['the name starts with aws.greengrass', { ComponentName: 'aws.greengrass.labs.X' },
      "ComponentName 'aws.greengrass.labs.X' starts with 'aws.greengrass', which is reserved for AWS components: choose another prefix, for example 'com.example.'"],
    ['RecipeFormatVersion is unknown', { RecipeFormatVersion: '2021-01-01' },
      "RecipeFormatVersion \"2021-01-01\" is not supported: use '2020-01-25' (quoted in YAML)"],
    ['ComponentType is unknown', { ComponentType: 'aws.greengrass.docker' },
      'ComponentType "aws.greengrass.docker" is invalid: use one of aws.greengrass.generic, aws.greengrass.lambda, aws.greengrass.plugin, aws.greengrass.nucleus'],
    ['a lifecycle step is misspelled', { Manifests: [{ Lifecycle: { instal: 'x' } }] },
      "Manifests[0].Lifecycle has unknown lifecycle step 'instal': did you mean 'install'? use one of setenv, install, run, startup, shutdown, recover, bootstrap"],
    ['a lifecycle step is no near miss', { Manifests: [{ Lifecycle: { deploy: 'x' } }] },
      "Manifests[0].Lifecycle has unknown lifecycle step 'deploy': use one of setenv, install, run, startup, shutdown, recover, bootstrap"],
    ['a Timeout is a string', { Manifests: [{ Lifecycle: { install: { Script: 'x', Timeout: '60' } } }] },
      'Manifests[0].Lifecycle.install.Timeout "60" must be a whole number of seconds of at least 1: write it without quotes, for example 120'],
    ['Skipif is malformed', { Manifests: [{ Lifecycle: { install: { Script: 'x', Skipif: 'if x' } } }] },
      "Manifests[0].Lifecycle.install.Skipif \"if x\" is invalid: use 'onpath <executable>' or 'exists <file>'"],
    ['a platform key is misspelled', { Manifests: [{ Platform: { arch: 'amd64' } }] },
      "Manifests[0].Platform has unknown platform key 'arch': use 'architecture'"],
    ['an artifact URI has an unknown scheme', { Manifests: [{ Artifacts: [{ URI: 'ftp://x/y' }] }] },
      "Manifests[0].Artifacts[0].URI 'ftp://x/y' has no supported scheme: use s3://bucket/key, docker:<image>, greengrass:<file> or https://..."],
    ['an artifact URI has a wildcard', { Manifests: [{ Artifacts: [{ URI: 's3://*/secrets/*' }] }] },
      "Manifests[0].Artifacts[0].URI 's3://*/secrets/*' holds '*': Greengrass downloads artifact URIs literally (no wildcards or variables), so name one object or image"],
    ['an artifact URI has a question mark', { Manifests: [{ Artifacts: [{ URI: 's3://b/tool-?.zip' }] }] },
      "Manifests[0].Artifacts[0].URI 's3://b/tool-?.zip' holds '?'"],
    ['an artifact URI has a shell variable', { Manifests: [{ Artifacts: [{ URI: 'docker:${IMAGE}' }] }] },
      "Manifests[0].Artifacts[0].URI 'docker:${IMAGE}' holds '${'"],
    ['an artifact is a bare file name and no bucket is given', { Manifests: [{ Artifacts: [{ URI: 'secrets.jar' }] }] },
      "Manifests[0].Artifacts[0].URI 'secrets.jar' has no supported scheme: use s3://bucket/key, docker:<image>, greengrass:<file> or https://...; GDK uploads a file the project builds to s3://<bucket>/<componentName>/<componentVersion>/secrets.jar: pass overrides.bucket to Recipe.fromFile/fromJson to use that URI"],
    ['an S3 artifact has no key and no bucket is given', { Manifests: [{ Artifacts: [{ URI: 's3://tool.jar' }] }] },
      "Manifests[0].Artifacts[0].URI 's3://tool.jar' names no object: use s3://<bucket>/<key>; GDK uploads a file the project builds to s3://<bucket>/<componentName>/<componentVersion>/tool.jar"],
    ['Unarchive is unknown', { Manifests: [{ Artifacts: [{ URI: 's3://b/k', Unarchive: 'TAR' }] }] },
      "Manifests[0].Artifacts[0].Unarchive \"TAR\" is invalid: use 'ZIP' or 'NONE'"],
    ['Permission is unknown', { Manifests: [{ Artifacts: [{ URI: 's3://b/k', Permission: { Read: 'EVERYONE' } }] }] },
      "Manifests[0].Artifacts[0].Permission.Read \"EVERYONE\" is invalid: use 'NONE', 'OWNER' or 'ALL'"],
    ['Digest comes without Algorithm', { Manifests: [{ Artifacts: [{ URI: 's3://b/k', Digest: 'abc' }] }] },
      'Manifests[0].Artifacts[0] sets only one of Digest and Algorithm: set both or neither'],
    ['a dependency type is unknown', { ComponentDependencies: { 'com.example.D': { DependencyType: 'STRONG' } } },
      "ComponentDependencies.com.example.D.dependencyType \"STRONG\" is invalid: use 'HARD' or 'SOFT'"],
    ['accessControl resources is not a list', {
      ComponentConfiguration: { DefaultConfiguration: { accessControl: { 'aws.greengrass.ipc.pubsub': { 'p:1': { operations: ['a'], resources: 'x' } } } } },
    }, 'ComponentConfiguration.DefaultConfiguration.accessControl.aws.greengrass.ipc.pubsub.p:1.resources must be a non-empty list of strings, got "x"'],
    ['Selections has no global lifecycle', { Manifests: [{ Selections: ['all'] }] },
      'Manifests[0].Selections is set but the recipe has no top-level Lifecycle: add Lifecycle with the selection keys or remove Selections'],
  ])('fails when %s', (_name, change, message) => {
    expect(() => render(Recipe.fromJson({ ...good, ...change }))).toThrow(message);
  });

  test.each([
    ['selection keys at the bottom level of a global lifecycle step (recipe reference example)', {
      Manifests: [{ Platform: { os: 'linux' }, Selections: ['key1'] }, { Selections: ['all'] }],
      Lifecycle: { Install: { Script: { key1: 'command1', key2: 'command2', all: 'command3' } } },
    }],
    ['selection keys at several levels of a global lifecycle', {
      Manifests: [{ Selections: ['key3'] }],
      Lifecycle: {
        key1: { Install: { Skipif: 'onpath executable', Script: 'command1' } },
        all: { Install: { Script: { key3: 'command3', all: 'command5' }, Timeout: { key3: 30, all: 60 } } },
      },
    }],
    ['enum values in another case, as Greengrass reads them', {
      ComponentType: 'AWS.GREENGRASS.GENERIC',
      ComponentDependencies: { 'com.example.D': { VersionRequirement: '^1.0.0', DependencyType: 'soft' } },
      Manifests: [{ Lifecycle: { run: 'x' }, Artifacts: [{ URI: 's3://b/k.zip', Unarchive: 'zip', Permission: { Read: 'all', Execute: 'Owner' } }] }],
    }],
    ['Java-only regular expression syntax in a platform', {
      Manifests: [{ Platform: { 'os': '/(?i)LINUX/', 'architecture': '/(?>aarch64|amd64)/', 'com.example.board': '/\\Qrev.1\\E|rev2++/' }, Lifecycle: { run: 'x' } }],
    }],
    ['the same file name in two manifests, and two images', {
      Manifests: [
        { Platform: { os: 'linux' }, Lifecycle: { run: 'x' }, Artifacts: [{ URI: 's3://b/linux/app.zip' }, { URI: 'docker:a:1' }, { URI: 'docker:a:1' }] },
        { Platform: { os: 'windows' }, Lifecycle: { run: 'x' }, Artifacts: [{ URI: 's3://b/windows/app.zip' }] },
      ],
    }],
    ["platform values '*', '//' and 'all'", { Manifests: [{ Platform: { os: '*', architecture: '//', runtime: 'all' }, Lifecycle: { run: 'x' } }] }],
  ])('accepts %s', (_name, change) => {
    expect(render(Recipe.fromJson({ ...good, ...change })).ComponentName).toBe('com.example.X');
  });

  test.each([
    ['two artifacts of a manifest have the same file name', { Manifests: [{ Artifacts: [{ URI: 's3://b/a/main.py' }, { URI: 's3://c/b/main.py' }] }] },
      "Manifests[0].Artifacts[1].URI 's3://c/b/main.py' has the file name 'main.py' of Manifests[0].Artifacts[0]: the artifacts of a manifest are stored in one folder on the device, so each needs its own file name; rename one of the files"],
    ['a platform value starts with a special character', { Manifests: [{ Platform: { os: '-linux' } }] },
      "Manifests[0].Platform.os '-linux' never matches a device: the nucleus only matches exact values that start with a letter or a digit; use '*' for any value or a regular expression between slashes such as '/-linux/'"],
    ['a platform regular expression is invalid in Java too', { Manifests: [{ Platform: { os: '/(?i)linux(/' } }] },
      "Manifests[0].Platform.os '/(?i)linux(/' is not a valid regular expression:"],
    ['a Script selected by key is not a string', { Manifests: [{ Selections: ['key1'] }], Lifecycle: { install: { Script: { key1: 5 } } } },
      'Lifecycle.install.Script.key1 must be a string, got 5'],
    ['a Timeout selected by key is a string', { Manifests: [{ Selections: ['key1'] }], Lifecycle: { install: { Script: 'x', Timeout: { key1: '5' } } } },
      'Lifecycle.install.Timeout.key1 "5" must be a whole number of seconds of at least 1: write it without quotes, for example 120'],
    ['a manifest lifecycle step selects a Script by key (only a global lifecycle may)', { Manifests: [{ Lifecycle: { install: { Script: { key1: 'x' } } } }] },
      'Manifests[0].Lifecycle.install.Script must be a string, got {"key1":"x"}'],
  ])('fails when %s', (_name, change, message) => {
    expect(() => render(Recipe.fromJson({ ...good, ...change }))).toThrow(message);
  });

  const platformWarnings = (platform: Record<string, string>, typed = false) => {
    const stack = new Stack(new App(), 'S');
    const recipe = typed
      ? Recipe.of({ componentName: 'com.example.X', manifests: [{ platform: Platform.of(platform), lifecycle: { run: LifecycleStep.script('x') } }] })
      : Recipe.fromJson({ ...good, Manifests: [{ Platform: platform }] });
    const c = new ComponentVersion(stack, 'C', { recipe });
    return c.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
  };

  test.each([
    [{ os: 'linux', architecture: 'arm64' }, "Manifests[0].Platform.architecture 'arm64' never matches a device: the nucleus reports architecture as one of amd64, aarch64, arm, x86; use 'aarch64'"],
    [{ os: 'linux', architecture: 'x86-64' }, "Manifests[0].Platform.architecture 'x86-64' never matches a device: the nucleus reports architecture as one of amd64, aarch64, arm, x86; use 'amd64'"],
    [{ os: 'linux', architecture: 'armv7l' }, "use 'arm'"],
    [{ os: 'linux', architecture: 'amd46' }, "use 'amd64'"],
    [{ os: 'ubuntu' }, "Manifests[0].Platform.os 'ubuntu' never matches a device: the nucleus reports os as one of linux, windows, darwin; use 'linux'"],
    [{ os: 'macos' }, "use 'darwin'"],
    [{ os: 'linuxx' }, "use 'linux'"],
    [{ os: '/ubuntu|debian/' }, "Manifests[0].Platform.os '/ubuntu|debian/' never matches a device: the nucleus reports os as one of linux, windows, darwin, and the expression finds none of them"],
  ])('warns when an imported platform says %j', (platform, message) => {
    expect(platformWarnings(platform)).toEqual([expect.stringContaining(message)]);
  });

  test('warns when a typed platform can never match', () => {
    expect(platformWarnings({ os: 'linux', architecture: 'x86-64' }, true)).toEqual([expect.stringContaining("architecture 'x86-64' never matches a device")]);
  });

  test.each([
    [{ os: 'linux', architecture: 'aarch64' }], [{ os: 'windows', architecture: 'amd64' }], [{ os: 'darwin' }], [{ os: '*' }], [{ os: 'all' }],
    [{ os: '/darwin|linux/', architecture: '/x86|aarch64|amd64|arm/' }], [{ 'os': 'linux', 'architecture': 'arm', 'architecture.detail': 'armv7l' }],
    [{ os: 'linux', gpu: 'nvidia' }],
  ])('does not warn when the nucleus can report %j', (platform) => {
    expect(platformWarnings(platform)).toEqual([]);
  });

  testWithShared('every shared real recipe makes a valid component version, without warning, once its placeholders are replaced as GDK does', () => {
    const files = fs.readdirSync(FIXTURE_RECIPES_DIR).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const file of files) {
      const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'eu-west-1' } });
      // What a GDK user passes: the component name and version, the author and the publish bucket.
      const bucket = s3.Bucket.fromBucketName(stack, 'B', 'gdk-artifacts-eu-west-1-123456789012');
      const recipe = Recipe.fromFile(path.join(FIXTURE_RECIPES_DIR, file), {
        componentName: 'com.example.Imported', componentVersion: '1.0.0', publisher: 'Example Corp', bucket,
      });
      const c = new ComponentVersion(stack, 'C', { recipe });
      const json = stack.resolve(c.recipeJson);
      expect([file, json.ComponentName]).toEqual([file, 'com.example.Imported']);
      expect([file, Annotations.fromStack(stack).findWarning('*', Match.anyValue())]).toEqual([file, []]);
    }
  });

  testWithShared('a bare artifact file name resolves against the bucket override as GDK publishes it', () => {
    const stack = new Stack(new App(), 'S');
    const bucket = s3.Bucket.fromBucketName(stack, 'B', 'artifact-bucket');
    const recipe = Recipe.fromFile(path.join(FIXTURE_RECIPES_DIR, 'awslabs__aws-greengrass-labs-secretsmanagerclient__recipe.yaml'), {
      componentName: 'com.example.Secrets', componentVersion: '1.0.1', bucket,
    });
    const json = stack.resolve(new ComponentVersion(stack, 'C', { recipe, versioning: VersioningMode.PINNED }).recipeJson);
    expect(json.Manifests[0].Artifacts[0]).toEqual({ URI: 's3://artifact-bucket/com.example.Secrets/1.0.1/secrets.jar', Permission: { Execute: 'ALL', Read: 'ALL' } });
    const spooler = Recipe.fromJson({ ComponentName: '{COMPONENT_NAME}', ComponentVersion: '{COMPONENT_VERSION}', Manifests: [{ Artifacts: [{ URI: 's3://aws.greengrass.DiskSpooler.jar' }] }] },
      { componentName: 'com.example.Spooler', componentVersion: '2.0.0', bucket });
    expect(stack.resolve(spooler.toJson(stack)).Manifests[0].Artifacts[0].URI).toBe('s3://artifact-bucket/com.example.Spooler/2.0.0/aws.greengrass.DiskSpooler.jar');
  });
});

describe('GDK build-time placeholders', () => {
  const gdk = (uri: string, version: string = 'COMPONENT_VERSION') => ({
    RecipeFormatVersion: '2020-01-25',
    ComponentName: 'com.example.poller',
    ComponentVersion: version,
    Manifests: [{ Platform: { os: 'linux' }, Artifacts: [{ URI: uri }], Lifecycle: { run: 'python3 {artifacts:path}/poller.py' } }],
  });

  test('fails when a GDK recipe is used without overrides (the issue\'s input)', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => new ComponentVersion(stack, 'C', { recipe: Recipe.fromJson(gdk('s3://BUCKET_NAME/com.example.poller/COMPONENT_VERSION/poller.zip')) })).toThrow(
      "invalid recipe for component 'com.example.poller': ComponentVersion 'COMPONENT_VERSION' still holds the GDK build-time placeholder COMPONENT_VERSION: pass overrides.componentVersion to Recipe.fromFile/fromJson, as GDK replaces it at build time; "
      + "Manifests[0].Artifacts[0].URI 's3://BUCKET_NAME/com.example.poller/COMPONENT_VERSION/poller.zip' still holds the GDK build-time placeholders BUCKET_NAME, COMPONENT_VERSION: pass overrides.bucket, overrides.componentVersion to Recipe.fromFile/fromJson, as GDK replaces them at build time");
  });

  test.each([
    ['{COMPONENT_VERSION} with content-hash versioning', { ComponentVersion: '{COMPONENT_VERSION}' }, "ComponentVersion '{COMPONENT_VERSION}' still holds the GDK build-time placeholder COMPONENT_VERSION: pass overrides.componentVersion"],
    ['COMPONENT_NAME as the name', { ComponentName: 'COMPONENT_NAME' }, "ComponentName 'COMPONENT_NAME' still holds the GDK build-time placeholder COMPONENT_NAME: pass overrides.componentName"],
    ['{BUCKET_NAME} as the bucket', { Manifests: [{ Artifacts: [{ URI: 's3://{BUCKET_NAME}/a/b.zip' }] }] }, "Manifests[0].Artifacts[0].URI 's3://{BUCKET_NAME}/a/b.zip' still holds the GDK build-time placeholder BUCKET_NAME: pass overrides.bucket"],
    ['COMPONENT_NAME in a URI', { Manifests: [{ Artifacts: [{ URI: 's3://my-bucket/COMPONENT_NAME/1.0.0/b.zip' }] }] }, "Manifests[0].Artifacts[0].URI 's3://my-bucket/COMPONENT_NAME/1.0.0/b.zip' still holds the GDK build-time placeholder COMPONENT_NAME: pass overrides.componentName"],
    ['{COMPONENT_NAME} in a script', { Manifests: [{ Lifecycle: { run: 'echo {COMPONENT_NAME}' } }] }, "Manifests[0].Lifecycle.run 'echo {COMPONENT_NAME}' still holds the GDK build-time placeholder COMPONENT_NAME: pass overrides.componentName"],
    ['{COMPONENT_NAME} in an access control policy id', {
      ComponentConfiguration: { DefaultConfiguration: { accessControl: { 'aws.greengrass.ipc.pubsub': { '{COMPONENT_NAME}:pubsub:1': { operations: ['aws.greengrass#PublishToTopic'], resources: ['t'] } } } } },
    }, "the key of ComponentConfiguration.DefaultConfiguration.accessControl.aws.greengrass.ipc.pubsub.{COMPONENT_NAME}:pubsub:1 '{COMPONENT_NAME}:pubsub:1' still holds the GDK build-time placeholder COMPONENT_NAME"],
    ['{COMPONENT_AUTHOR} as the publisher', { ComponentPublisher: '{COMPONENT_AUTHOR}' }, "ComponentPublisher '{COMPONENT_AUTHOR}' still holds the GDK build-time placeholder COMPONENT_AUTHOR: pass overrides.publisher"],
    ['another braced placeholder as the publisher', { ComponentPublisher: '{COMPONENT_PUBLISHER}' }, "ComponentPublisher '{COMPONENT_PUBLISHER}' is a build-time placeholder: pass overrides.publisher (GDK's author) to Recipe.fromFile/fromJson"],
  ])('fails when %s is left', (_name, change, message) => {
    const json = { ...gdk('s3://my-bucket/a/b.zip', '1.0.0'), ...change };
    expect(() => new ComponentVersion(new Stack(new App(), 'S'), 'C', { recipe: Recipe.fromJson(json) })).toThrow(message);
  });

  test('overrides leave no placeholder: the version is the override, the URI the bucket', () => {
    const stack = new Stack(new App(), 'S');
    const bucket = s3.Bucket.fromBucketName(stack, 'B', 'artifact-bucket');
    const recipe = Recipe.fromJson({ ...gdk('s3://BUCKET_NAME/COMPONENT_NAME/COMPONENT_VERSION/poller.zip'), ComponentPublisher: '{COMPONENT_AUTHOR}' },
      { componentVersion: '1.4.0', componentName: 'com.example.poller', bucket, publisher: 'Example Corp' });
    const c = new ComponentVersion(stack, 'C', { recipe });
    const json = stack.resolve(c.recipeJson);
    expect(c.recipeVersion).toMatch(/^1\.4\.0-c[0-9a-f]{10}$/);
    expect(json.ComponentPublisher).toBe('Example Corp');
    expect(json.Manifests[0].Artifacts[0].URI).toBe('s3://artifact-bucket/com.example.poller/1.4.0/poller.zip');
  });

  test('environment variables named like placeholders in scripts are kept', () => {
    const json = { ...gdk('s3://my-bucket/a/b.zip', '1.0.0'), Manifests: [{ Lifecycle: { run: 'echo $COMPONENT_NAME $BUCKET_NAME' } }] };
    expect(render(Recipe.fromJson(json)).Manifests[0].Lifecycle.run).toBe('echo $COMPONENT_NAME $BUCKET_NAME');
  });
});

describe('misspelled recipe keys', () => {
  const good = { RecipeFormatVersion: '2020-01-25', ComponentName: 'com.example.X', ComponentVersion: '1.0.0' };
  test.each([
    ['a top-level Manifest', { ...good, Manifest: [{ Lifecycle: { run: 'x' } }] }, "recipe key 'Manifest' in recipe is not a recipe key, so Greengrass would ignore it and what it holds: did you mean 'Manifests'? Rename the key"],
    ['Manifests[0].Artifact', { ...good, Manifests: [{ Artifact: [{ URI: 's3://b/k' }] }] }, "recipe key 'Artifact' in recipe.Manifests[0] is not a recipe key, so Greengrass would ignore it and what it holds: did you mean 'Artifacts'?"],
    ['DefaultConfigration', { ...good, ComponentConfiguration: { DefaultConfigration: { a: 1 } }, Manifests: [{}] }, "recipe key 'DefaultConfigration' in recipe.ComponentConfiguration is not a recipe key, so Greengrass would ignore it and what it holds: did you mean 'DefaultConfiguration'?"],
    ['a step Scirpt', { ...good, Manifests: [{ Lifecycle: { run: { Scirpt: 'x' } } }] }, "recipe key 'Scirpt' in recipe.Manifests[0].Lifecycle.run is not a recipe key, so Greengrass would ignore it and what it holds: did you mean 'Script'?"],
    ['a lower-case plural', { ...good, componentdependency: {}, Manifests: [{}] }, "did you mean 'ComponentDependencies'?"],
    ['VersionRequirment', { ...good, ComponentDependencies: { 'com.example.D': { VersionRequirment: '^1.0.0' } }, Manifests: [{}] }, "did you mean 'VersionRequirement'?"],
    ['an artifact Unarchve', { ...good, Manifests: [{ Artifacts: [{ URI: 's3://b/k', Unarchve: 'ZIP' }] }] }, "did you mean 'Unarchive'?"],
    ['a permission Exec', { ...good, Manifests: [{ Artifacts: [{ URI: 's3://b/k', Permission: { Executes: 'ALL' } }] }] }, "did you mean 'Execute'?"],
    ['a platform architcture', { ...good, Manifests: [{ Platform: { os: 'linux', architcture: 'amd64' } }] }, "did you mean 'architecture'?"],
    ['ComponentVersions', { ...good, ComponentVersions: '1.0.0', Manifests: [{}] }, "did you mean 'ComponentVersion'?"],
  ])('fails on %s', (_name, json, message) => {
    expect(() => Recipe.fromJson(json)).toThrow(message);
  });

  test('unknown keys that are no near miss are kept', () => {
    const json = {
      ...good,
      ComponentSourceUrl: 'https://example.com',
      Manifests: [{ Platform: { os: 'linux', runtime: 'python3' }, Lifecycle: { run: { Script: 'x', linux: { Script: 'y' } } }, Artifacts: [{ URI: 's3://b/k', Comment: 'kept' }] }],
    };
    const out = Recipe.fromJson(json).toJson();
    expect(out.ComponentSourceUrl).toBe('https://example.com');
    expect(out.Manifests[0].Platform.runtime).toBe('python3');
    expect(out.Manifests[0].Artifacts[0].Comment).toBe('kept');
  });
});

describe('artifacts in recipes', () => {
  test('artifact options are rendered', () => {
    const stack = new Stack(new App(), 'S');
    const bucket = s3.Bucket.fromBucketName(stack, 'B', 'my-bucket');
    const recipe = Recipe.of({
      ...base,
      manifests: [{
        artifacts: [
          Artifact.fromBucket(bucket, 'app/app.zip', { unarchive: Unarchive.ZIP, permission: { read: 'ALL' as any, execute: 'OWNER' as any } }),
          Artifact.fromUri('greengrass:lambda-artifact.zip'),
        ],
      }],
    });
    expect(stack.resolve(recipe.toJson(stack)).Manifests[0].Artifacts).toEqual([
      { URI: 's3://my-bucket/app/app.zip', Unarchive: 'ZIP', Permission: { Read: 'ALL', Execute: 'OWNER' } },
      { URI: 'greengrass:lambda-artifact.zip' },
    ]);
  });
});
