import { awscdk, javascript } from 'projen';

const nodeQuiet = {
  JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
  JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const project = new awscdk.AwsCdkConstructLibrary({
  author: 'cdk-greengrass-v2 contributors',
  authorAddress: 'maintainers@example.com',
  cdkVersion: '2.276.0',
  constructsVersion: '10.5.1',
  defaultReleaseBranch: 'main',
  jsiiVersion: '~6.0.0',
  name: 'cdk-greengrass-v2',
  description: 'AWS CDK constructs for AWS IoT Greengrass V2: typed component recipes, deployments with rollout policies, Stream Manager streams and core devices.',
  keywords: ['cdk', 'awscdk', 'aws-cdk', 'greengrass', 'greengrassv2', 'iot', 'edge', 'stream-manager'],
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  repositoryUrl: 'https://github.com/cdk-greengrass-v2/cdk-greengrass-v2.git',
  license: 'Apache-2.0',

  // Publishing metadata for every jsii target. Only the JS package is built offline (CI=true).
  publishToPypi: { distName: 'cdk-greengrass-v2', module: 'cdk_greengrass_v2' },
  publishToMaven: {
    javaPackage: 'io.github.cdkgreengrassv2',
    mavenGroupId: 'io.github.cdk-greengrass-v2',
    mavenArtifactId: 'cdk-greengrass-v2',
  },
  publishToNuget: { dotNetNamespace: 'CdkGreengrassV2', packageId: 'CdkGreengrassV2' },
  publishToGo: { moduleName: 'github.com/cdk-greengrass-v2/cdk-greengrass-v2-go' },

  // Runtime dependencies used at synth time, shipped inside the package (jsii requires bundling).
  // One YAML parser only: js-yaml reads YAML recipes (src/component/private/recipe-yaml.ts).
  bundledDeps: ['semver@^7.7.0', 'js-yaml@^4.1.0', 'fastest-levenshtein@^1.0.16',
    // Detector payloads: the exact JSON reader taken only for texts with an integral decimal (`20.0`), which
    // JSON.parse reads as an integer (src/private/detector-engine/json-text.ts); the simulator runs it at synth/test time.
    'lossless-json@^4.3.0',
    // The detector runtime's typed Data API client (src/detector-runtime/client): SigV4 for execute-api and the
    // default credential chain.
    '@smithy/signature-v4@^5', '@aws-crypto/sha256-js@^5', '@aws-sdk/credential-provider-node@^3', '@smithy/core@^3',
    '@smithy/types@^4'],
  devDeps: [
    'yaml@^2.8.0', // test oracle for the recipe YAML parser, never shipped
    '@types/semver',
    '@types/js-yaml',
    '@types/aws-lambda',
    '@aws-sdk/client-greengrassv2',
    '@aws-sdk/client-iot',
    '@aws-sdk/client-dynamodb', // the detector runtime's deploy-time handler (model registration)
    '@aws-sdk/client-secrets-manager',
    // The custom resources' Delete asks which other resources of the stack still claim what it would remove.
    '@aws-sdk/client-cloudformation@^3.1169.0',
    'aws-sdk-client-mock',
    'ajv@^8',
    'aws-greengrass-core-sdk@1.7.0',
    'cdk-nag@^3',
    'aws-cdk@^2.1148.1',
    'esbuild',
    // the jest environment (test/environment.ts)
    'jest-environment-node@^30',
    '@jest/types@^30',
    // Certificate handler: the certificate signing request it signs with the key it generates.
    'node-forge@^1.3.1',
    '@types/node-forge',
    // Detector runtime: the last published IoT Events Data API client, the contract oracle of the Data API.
    '@aws-sdk/client-iot-events-data@3.956.0',
    // Detector runtime handlers (src/detector-runtime/private/handlers): bundled by esbuild, never shipped as deps.
    '@aws-sdk/lib-dynamodb',
    '@aws-sdk/util-dynamodb',
    '@aws-sdk/client-sqs',
    '@aws-sdk/client-scheduler',
    '@aws-sdk/client-sns',
    '@aws-sdk/client-lambda',
    '@aws-sdk/client-iot-data-plane',
    '@aws-sdk/client-firehose',
    '@aws-sdk/client-iotsitewise',
    '@aws-lambda-powertools/batch',
    '@aws-lambda-powertools/logger',
    '@aws-lambda-powertools/metrics',
    // a real DynamoDB implementation for the detector state-store tests and the bench
    'dynalite',
  ],

  lambdaOptions: {
    runtime: awscdk.LambdaRuntime.NODEJS_24_X,
  },

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    coverageText: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/setup-env.ts'],
      // one line when ../shared is missing (skipped oracles), a failure with CI=true (test/shared-oracle.ts)
      globalSetup: '<rootDir>/test/global-setup.ts',
      // handler logs are captured, and shown only for a failing test (test/handler-logs.ts)
      testEnvironment: '<rootDir>/test/environment.ts',
      coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
      // the per-file table is in coverage/lcov-report/index.html; the terminal gets the four totals
      coverageReporters: ['json', 'lcov', 'clover', 'cobertura', 'text-summary'],
    },
  },

  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'build-tools', 'projenrc', 'examples', 'scripts', 'bench'],
  },

  gitignore: ['cdk.out', 'cdk.out.example/', 'bench/out/', '/.tmp/', '__pycache__/', '*.pyc'],
  npmIgnoreOptions: { ignorePatterns: ['examples/', 'bench/', 'scripts/', 'docs/', '.ci/', 'cdk.out.example/', 'resources/**/tests/', '__pycache__/'] },

  // Greengrass fleet teams use this outside GitHub Actions too; keep the repository self-contained.
  github: false,
  // commit-and-tag-version 13 (projen's default) pulls conventional-changelog packages that need Node >= 22;
  // 12 runs on Node 20, the floor this library supports, and npm ci prints no EBADENGINE for it.
  bumpPackage: 'commit-and-tag-version@^12',
  depsUpgrade: false,
  pullRequestTemplate: false,
});

// The local detector runtime: `greengrass-detectors serve --port <n> <file>...` (src/detector-runtime/cli/main.ts).
project.addBins({ 'greengrass-detectors': 'lib/detector-runtime/cli/main.js' });
// The detector runtime's engine runs only inside the bundled handlers (esbuild inlines the SDK clients and
// Powertools, dev dependencies); nothing that runs at synth time imports it.
project.eslint?.allowDevDeps('src/detector-runtime/private/engine/**');
// The custom resources' view of their stack (ListStackResources, GetTemplate): imported by *.lambda.ts handlers only,
// with the CloudFormation client of the Lambda runtime.
project.eslint?.allowDevDeps('src/private/stack-claims.ts');

// Node 20 is what is tested here; aws-cdk-lib 2.276 itself needs Node >= 20.
project.package.addEngine('node', '>= 20.0.0');

// The npm package: handlers ship as their bundles in assets/, never compiled under lib/.
project.npmignore?.exclude('/lib/**/*.lambda.js', '/lib/**/*.lambda.d.ts');

for (const [k, v] of Object.entries(nodeQuiet)) {
  project.tasks.addEnvironment(k, v);
}

// The main job: synthesize the example app offline, with the CloudFormation validator on and cdk-nag.
// Tests and the example synthesize the custom-resource handlers: bundle them first, so that
// `npx projen test` and `npx projen synth:example` work on a fresh clone.
const bundleTask = project.tasks.tryFind('bundle');
if (bundleTask) {
  project.testTask.prependSpawn(bundleTask);
}

// Every way to pack (npx projen build, npx projen compile && npx projen package, npm pack) runs npm's
// prepack: bundle the handlers, then refuse to pack without lib/, .jsii or a bundle.
const prepack = project.addTask('prepack', {
  description: 'Runs before every npm pack: bundles the handlers and checks lib/, .jsii and assets/ are there',
  env: nodeQuiet,
});
if (bundleTask) {
  prepack.spawn(bundleTask);
}
prepack.exec('ts-node --transpile-only -P test/tsconfig.json scripts/check-package.ts --tree');

// After packaging: the tarball holds every handler bundle, no lib/**/*.lambda.js and one YAML parser.
const packageCheck = project.addTask('package:check', {
  description: 'Checks the npm tarball in dist/js: handler bundles, no compiled handlers, one YAML parser; prints its file count and size',
  env: nodeQuiet,
  exec: 'ts-node --transpile-only -P test/tsconfig.json scripts/check-package.ts dist/js/*.tgz',
});
project.packageTask.spawn(packageCheck);

const synthExample = project.addTask('synth:example', {
  description: 'Synthesize the example app (examples/app.ts) offline into cdk.out.example/',
  env: { ...nodeQuiet, CDK_VALIDATION: 'true' },
  exec: 'cdk synth --app "ts-node --transpile-only -P test/tsconfig.json examples/app.ts" --output cdk.out.example --quiet --no-notices --no-version-reporting --no-lookups',
});

if (bundleTask) {
  synthExample.prependSpawn(bundleTask);
}

const bench = project.addTask('bench', {
  description: 'Benchmark the library (prints figures, never fails on a slow machine)',
  env: { ...nodeQuiet, CDK_VALIDATION: 'false' },
  exec: 'ts-node --transpile-only -P test/tsconfig.json bench/index.ts',
  // `npx projen bench synth` runs only the benches whose file name holds `synth`
  receiveArgs: true,
});

// A CPU profile of the library side of the synth bench (bench/out/profile/*.cpuprofile), then its top
// self-time entries by function, file and package (bench/profile-top.ts).
const benchProfile = project.addTask('bench:profile', {
  description: 'Profile the synth bench (node --cpu-prof, library side only; BENCH_SIDE=l1 for the L1 side) and print the top self-time entries',
  env: { ...nodeQuiet, CDK_VALIDATION: 'false', BENCH_PROFILE: 'true', TS_NODE_PROJECT: 'test/tsconfig.json', TS_NODE_TRANSPILE_ONLY: 'true' },
});
benchProfile.exec('rm -rf bench/out/profile');
benchProfile.exec('node --cpu-prof --cpu-prof-dir=bench/out/profile -r ts-node/register bench/index.ts synth');
benchProfile.exec('ts-node bench/profile-top.ts bench/out/profile 15 --under measuredRound', { receiveArgs: true });

if (bundleTask) {
  bench.prependSpawn(bundleTask);
  benchProfile.prependSpawn(bundleTask);
}

project.addTask('rollout:chart', {
  description: 'Simulate a rollout policy over a fleet and write the timeline as an SVG chart (see scripts/rollout-chart.ts)',
  env: nodeQuiet,
  exec: 'ts-node --transpile-only -P test/tsconfig.json scripts/rollout-chart.ts',
  receiveArgs: true,
});
project.tsconfigDev.addInclude('../scripts/**/*.ts');

project.tsconfigDev.addInclude('../examples/**/*.ts');
project.tsconfigDev.addInclude('../bench/**/*.ts');

project.synth();
