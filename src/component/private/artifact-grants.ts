import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

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
 * Grants read access to the artifacts of imported recipes, from their URIs: `s3://bucket/key` objects and
 * images in Amazon ECR (`docker:<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag|@digest]`).
 */
export function grantArtifactUris(grantee: iam.IGrantable, uris: string[], scope: Construct): iam.Grant[] {
  const grants: iam.Grant[] = [];
  const partition = Stack.of(scope).partition;
  for (const uri of uris) {
    const s3Match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    if (s3Match) {
      grants.push(iam.Grant.addToPrincipal({
        grantee,
        actions: S3_ARTIFACT_ACTIONS,
        resourceArns: [`arn:${partition}:s3:::${s3Match[1]}/${s3Match[2]}`],
      }));
      continue;
    }
    const ecrMatch = /^docker:(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(uri);
    if (ecrMatch) {
      grants.push(iam.Grant.addToPrincipal({
        grantee,
        actions: ECR_PULL_ACTIONS,
        resourceArns: [`arn:${partition}:ecr:${ecrMatch[2]}:${ecrMatch[1]}:repository/${ecrMatch[3]}`],
      }));
      grants.push(iam.Grant.addToPrincipal({ grantee, actions: ['ecr:GetAuthorizationToken'], resourceArns: ['*'] }));
    }
  }
  return grants;
}
