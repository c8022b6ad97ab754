import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { bareArtifactFileName, parseArtifactUri } from '../../../src/component/private/artifact-uri';

describe('parseArtifactUri', () => {
  test.each([
    ['s3://b/k/tool.zip', { scheme: 's3', bucket: 'b', key: 'k/tool.zip', fileName: 'tool.zip' }],
    ['docker:123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1', { scheme: 'docker', ecr: { account: '123456789012', region: 'eu-west-1', repository: 'app' } }],
    ['docker:influxdb:2.0.9', { scheme: 'docker', ecr: undefined }],
    ['greengrass:lambda.zip', { scheme: 'greengrass', fileName: 'lambda.zip' }],
    ['https://example.com/a/tool.tgz?x=1', { scheme: 'https', fileName: 'tool.tgz' }],
  ])('parses %s', (uri, expected) => {
    expect(parseArtifactUri(uri)).toEqual({ uri: expected });
  });

  test.each([
    ['s3://*/secrets/*', "'s3://*/secrets/*' holds '*'"],
    ['s3://b/a?.zip', "holds '?'"],
    ['s3://b/${X}.zip', "holds '${'"],
    ['https://example.com/${X}.zip', "holds '${'"],
    ['ftp://x/y', 'has no supported scheme'],
    ['secrets.jar', 'has no supported scheme'],
    ['s3://tool.jar', 'names no object'],
    ['docker:', 'names no image'],
  ])('refuses %s', (uri, problem) => {
    expect(parseArtifactUri(uri).problem).toContain(problem);
  });

  test('a token bucket name is a value, not a wildcard', () => {
    const stack = new Stack();
    const tokenUri = `s3://${new s3.Bucket(stack, 'Real').bucketName}/k.zip`;
    expect(parseArtifactUri(tokenUri)).toEqual({ uri: expect.objectContaining({ scheme: 's3', key: 'k.zip' }) });
  });

  test('a URI that is a token as a whole is neither parsed nor refused', () => {
    const stack = new Stack();
    expect(parseArtifactUri(new s3.Bucket(stack, 'B').bucketName)).toEqual({});
  });

  test.each([
    ['secrets.jar', 'secrets.jar'], ['s3://aws.greengrass.DiskSpooler.jar', 'aws.greengrass.DiskSpooler.jar'],
    ['s3://b/k.jar', undefined], ['docker:influxdb:2', undefined], ['a/b.jar', undefined],
  ])('the bare file name of %s is %s', (uri, expected) => {
    expect(bareArtifactFileName(uri)).toBe(expected);
  });
});
