import { checkRecipe } from './recipe-check';
import { describeWithShared } from '../shared-oracle';

const valid = {
  RecipeFormatVersion: '2020-01-25',
  ComponentName: 'com.example.Hello',
  ComponentVersion: '1.0.0',
  ComponentConfiguration: {
    DefaultConfiguration: {
      accessControl: {
        'aws.greengrass.ipc.pubsub': {
          'com.example.Hello:pubsub:1': { policyDescription: 'd', operations: ['aws.greengrass#PublishToTopic'], resources: ['a/b'] },
        },
      },
    },
  },
  ComponentDependencies: { 'aws.greengrass.Nucleus': { VersionRequirement: '^2.0.0', DependencyType: 'SOFT' } },
  Manifests: [{ Platform: { os: 'linux' }, Lifecycle: { install: { Script: 'x', Timeout: 60 }, run: 'python3 main.py' } }],
};

function mutate(change: (r: any) => void): any {
  const r = JSON.parse(JSON.stringify(valid));
  change(r);
  return r;
}

describe('checkRecipe', () => {
  test('passes a valid recipe', () => {
    expect(checkRecipe(valid)).toEqual([]);
  });

  test.each([
    ['a misspelled lifecycle step', (r: any) => { r.Manifests[0].Lifecycle.instal = 'x'; }, /unknown lifecycle step 'instal'/],
    ['a string Timeout', (r: any) => { r.Manifests[0].Lifecycle.install.Timeout = '60'; }, /timeout: "60" is not a positive whole number/],
    ['a non-semver version', (r: any) => { r.ComponentVersion = '1.0'; }, /componentversion: "1.0" is not a semantic version/],
    ['a malformed accessControl', (r: any) => {
      r.ComponentConfiguration.DefaultConfiguration.accessControl['aws.greengrass.ipc.pubsub']['com.example.Hello:pubsub:1'].resources = 'a/b';
    }, /resources: must be a non-empty list of strings/],
    ['a dependency range that does not parse', (r: any) => { r.ComponentDependencies['aws.greengrass.Nucleus'].VersionRequirement = 'latest'; }, /is not a semver range/],
    ['run and startup together', (r: any) => { r.Manifests[0].Lifecycle.startup = 'x'; }, /run and startup are exclusive/],
  ])('finds %s', (_name, change, expected) => {
    const problems = checkRecipe(mutate(change));
    expect(problems.some((p) => expected.test(p))).toBe(true);
  });
});

describeWithShared('checkRecipe with the GDK recipe schema', () => {
  test.each([
    ['a missing ComponentName', (r: any) => { delete r.ComponentName; }, /schema: .*componentname/],
    ['an unknown top-level key', (r: any) => { r.Foo = 1; }, /schema: .*additional properties/],
  ])('finds %s', (_name, change, expected) => {
    const problems = checkRecipe(mutate(change));
    expect(problems.some((p) => expected.test(p))).toBe(true);
  });
});
