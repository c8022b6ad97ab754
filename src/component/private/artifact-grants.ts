import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { parseArtifactUri } from './artifact-uri';

/** What devices need to download an S3 artifact. */
export const S3_ARTIFACT_ACTIONS = ['s3:GetObject'];
/** What devices need to pull an image from Amazon ECR (besides ecr:GetAuthorizationToken on '*'). */
export const ECR_PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'];

/**
 * Grants s3:GetObject on exactly one object (and decrypt with the bucket's key, if any).
 */
export function grantS3Object(grantee: iam.IGrantable, bucket: s3.IBucket, key: string): iam.Grant {
  const grant = iam.Grant.addToPrincipal({ grantee, actions: S3_ARTIFACT_ACTIONS, resourceArns: [bucket.arnForObjects(key)] });
  if (bucket.encryptionKey) {
    return grant.combine(bucket.encryptionKey.grantDecrypt(grantee));
  }
  return grant;
}

/**
 * Grants read access to artifacts known by URI only (imported recipes and `Artifact.fromUri`), parsed by
 * the one artifact URI parser: `s3://bucket/key` objects exactly as `grantS3Object` grants them
 * (`s3:GetObject` on the object), and images in Amazon ECR
 * (`docker:<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag|@digest]`). Other URIs need no grant.
 */
export function grantArtifactUris(grantee: iam.IGrantable, uris: string[], scope: Construct): iam.Grant[] {
  const grants: iam.Grant[] = [];
  const partition = Stack.of(scope).partition;
  for (const uri of uris) {
    const parsed = parseArtifactUri(uri).uri;
    if (parsed?.bucket !== undefined && parsed.key !== undefined) {
      grants.push(iam.Grant.addToPrincipal({
        grantee,
        actions: S3_ARTIFACT_ACTIONS,
        resourceArns: [`arn:${partition}:s3:::${parsed.bucket}/${parsed.key}`],
      }));
    } else if (parsed?.ecr !== undefined) {
      const { account, region, repository } = parsed.ecr;
      grants.push(iam.Grant.addToPrincipal({
        grantee,
        actions: ECR_PULL_ACTIONS,
        resourceArns: [`arn:${partition}:ecr:${region}:${account}:repository/${repository}`],
      }));
      grants.push(iam.Grant.addToPrincipal({ grantee, actions: ['ecr:GetAuthorizationToken'], resourceArns: ['*'] }));
    }
  }
  return grants;
}

/** Whether any of the URIs needs a grant (an S3 object or an image in Amazon ECR). */
export function urisNeedGrants(uris: string[]): boolean {
  return uris.some((uri) => {
    const parsed = parseArtifactUri(uri).uri;
    return parsed?.key !== undefined || parsed?.ecr !== undefined;
  });
}
