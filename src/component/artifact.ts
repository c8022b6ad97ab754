import * as fs from 'fs';
import * as path from 'path';
import { Lazy, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3_assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { parseArtifactUri } from './private/artifact-uri';
import { contentFingerprint } from '../private/recipe-hash';

/**
 * Whether the device unpacks an artifact after downloading it.
 */
export enum Unarchive {
  /** Keep the file as downloaded. */
  NONE = 'NONE',
  /** Unpack the ZIP file into `{artifacts:decompressedPath}/<file name without .zip>/`. */
  ZIP = 'ZIP',
}

/**
 * Who may read or execute an artifact file on the device.
 */
export enum ArtifactAccess {
  /** Nobody but root. */
  NONE = 'NONE',
  /** The component's system user. */
  OWNER = 'OWNER',
  /** Every user. */
  ALL = 'ALL',
}

/**
 * File permissions the nucleus sets on a downloaded artifact.
 */
export interface ArtifactPermission {
  /**
   * Who may read the file.
   *
   * @default ArtifactAccess.OWNER
   */
  readonly read?: ArtifactAccess;

  /**
   * Who may execute the file.
   *
   * @default ArtifactAccess.NONE
   */
  readonly execute?: ArtifactAccess;
}

/**
 * Options common to every artifact.
 */
export interface ArtifactOptions {
  /**
   * Whether the device unpacks the artifact.
   *
   * @default - `Unarchive.ZIP` for a directory passed to `Artifact.fromAsset`, otherwise not set (the
   * nucleus keeps the file as is)
   */
  readonly unarchive?: Unarchive;

  /**
   * File permissions on the device.
   *
   * @default - not set: the owner may read, nobody may execute
   */
  readonly permission?: ArtifactPermission;

  /**
   * The artifact's digest, base64 encoded, checked by the nucleus after download.
   *
   * @default - not set: Greengrass computes it when the component version is created
   */
  readonly digest?: string;

  /**
   * The algorithm of `digest` (for example `SHA-256`).
   *
   * @default - not set (requires `digest` to be unset too)
   */
  readonly algorithm?: string;
}

/**
 * Options for an artifact made from a local file or directory.
 */
export interface AssetArtifactOptions extends ArtifactOptions {
  /**
   * Glob patterns of files to leave out of a directory's ZIP file.
   *
   * @default - nothing excluded
   */
  readonly exclude?: string[];
}

/**
 * What an artifact puts into a recipe, and what devices need to download it.
 */
export interface ArtifactConfig {
  /** The artifact's URI (`s3://`, `docker:`, `greengrass:` or `https:`). */
  readonly uri: string;
  /**
   * Whether the device unpacks the artifact.
   * @default - not set
   */
  readonly unarchive?: Unarchive;
  /**
   * File permissions on the device.
   * @default - not set
   */
  readonly permission?: ArtifactPermission;
  /**
   * Digest of the artifact.
   * @default - not set
   */
  readonly digest?: string;
  /**
   * Digest algorithm.
   * @default - not set
   */
  readonly algorithm?: string;
  /**
   * A string that changes whenever the artifact's content changes and never contains unresolved
   * tokens; used to derive component versions from content.
   */
  readonly fingerprint: string;
  /**
   * The S3 object the devices must be allowed to read.
   * @default - none
   */
  readonly bucket?: s3.IBucket;
  /**
   * The key of the object in `bucket`.
   * @default - none
   */
  readonly objectKey?: string;
  /**
   * The ECR repository devices pull the image from.
   * @default - none
   */
  readonly repository?: ecr.IRepository;
}

/**
 * A file a component downloads to the device: a local file or directory (uploaded as a CDK
 * asset), an S3 object, a container image, or any URI Greengrass understands.
 */
export abstract class Artifact {
  /**
   * A local file, or a local directory zipped and unpacked on the device (`Unarchive: ZIP`).
   *
   * The file is uploaded as a CDK asset whose S3 key is the hash of its content, so an uploaded
   * object is never overwritten. A directory `my-app` is available on the device under
   * `{artifacts:decompressedPath}/<asset hash>/`; use `RecipeVariables.artifactsDecompressedPath()`.
   *
   * @param assetPath the file or directory
   */
  public static fromAsset(assetPath: string, options: AssetArtifactOptions = {}): Artifact {
    return new AssetArtifact(assetPath, options);
  }

  /**
   * An object in an S3 bucket (`s3://bucket/key`).
   */
  public static fromBucket(bucket: s3.IBucket, key: string, options: ArtifactOptions = {}): Artifact {
    if (!Token.isUnresolved(key) && (key.length === 0 || key.startsWith('/'))) {
      throw new Error(`artifact key '${key}' is invalid: pass the object key without a leading '/' (for example 'app/main.py')`);
    }
    return new BucketArtifact(bucket, key, options);
  }

  /**
   * Any URI Greengrass can download: `s3://bucket/key`, `docker:registry/image:tag`,
   * `greengrass:file` (a file of a Lambda component) or `https://`.
   *
   * Objects in S3 and images in Amazon ECR referenced this way are granted to the devices' role exactly
   * like `fromBucket` objects (`s3:GetObject` on that object; pull on that repository). A URI whose bucket
   * or repository is a token is granted too; one that is a token as a whole is not (use `fromBucket`).
   *
   * Fails on a URI with `*`, `?` or `${`: Greengrass downloads URIs literally.
   */
  public static fromUri(uri: string, options: ArtifactOptions = {}): Artifact {
    const problem = parseArtifactUri(uri).problem;
    if (problem !== undefined) {
      throw new Error(`artifact uri ${problem}`);
    }
    return new UriArtifact(uri, options);
  }

  /**
   * A container image in an Amazon ECR repository, by tag or by digest (`sha256:...`).
   *
   * Devices need `aws.greengrass.DockerApplicationManager` to pull it; the devices' role is
   * granted pull access to the repository.
   */
  public static fromEcrRepository(repository: ecr.IRepository, tagOrDigest: string = 'latest'): Artifact {
    if (!Token.isUnresolved(tagOrDigest) && !/^(sha256:[a-f0-9]{64}|[\w][\w.-]{0,127})$/.test(tagOrDigest)) {
      throw new Error(`image tag or digest '${tagOrDigest}' is invalid: pass a tag such as '1.0.0' or a digest 'sha256:<64 hex digits>'`);
    }
    return new EcrArtifact(repository, tagOrDigest);
  }

  /**
   * A container image built by CDK from a local Dockerfile (`DockerImageAsset`).
   */
  public static fromDockerImageAsset(asset: ecr_assets.DockerImageAsset): Artifact {
    return new DockerImageAssetArtifact(asset);
  }

  /**
   * The file name the artifact has on the device, or undefined while not known (a local asset
   * before it is bound).
   * @internal
   */
  public abstract _fileName(): string | undefined;

  /**
   * Where the device stores this artifact's file, for lifecycle scripts:
   * `{artifacts:path}/<file name>`.
   */
  public get path(): string {
    return `${RECIPE_ARTIFACTS_PATH}/${this.lazyFileName((n) => n)}`;
  }

  /**
   * Where the device unpacks this ZIP artifact, for lifecycle scripts:
   * `{artifacts:decompressedPath}/<file name without .zip>`.
   */
  public get decompressedPath(): string {
    return `${RECIPE_DECOMPRESSED_PATH}/${this.lazyFileName(stripZip)}`;
  }

  /**
   * Produces the artifact's recipe entry. `scope` is where local assets are created.
   */
  public abstract bind(scope: Construct): ArtifactConfig;

  private lazyFileName(transform: (name: string) => string): string {
    const known = this._fileName();
    if (known !== undefined) {
      return transform(known);
    }
    return Lazy.string({
      produce: () => {
        const name = this._fileName();
        if (name === undefined) {
          throw new Error('a lifecycle script uses artifact.path or artifact.decompressedPath of a local asset that is not in any manifest\'s artifacts: add the artifact to the manifest');
        }
        return transform(name);
      },
    });
  }
}

const RECIPE_ARTIFACTS_PATH = '{artifacts:path}';
const RECIPE_DECOMPRESSED_PATH = '{artifacts:decompressedPath}';

function stripZip(name: string): string {
  return name.replace(/\.zip$/i, '');
}

function basename(key: string, what: string): string {
  if (Token.isUnresolved(key)) {
    throw new Error(`the file name of ${what} is a token: pass a literal key or URI to use artifact.path or artifact.decompressedPath`);
  }
  return key.split('/').pop()!;
}

function commonOptions(options: ArtifactOptions) {
  if ((options.digest === undefined) !== (options.algorithm === undefined)) {
    throw new Error(`artifact digest '${options.digest ?? ''}' and algorithm '${options.algorithm ?? ''}' go together: pass both or neither`);
  }
  return {
    unarchive: options.unarchive,
    permission: options.permission,
    digest: options.digest,
    algorithm: options.algorithm,
  };
}

class AssetArtifact extends Artifact {
  private readonly isDirectory: boolean;
  private boundKey?: string;
  constructor(private readonly assetPath: string, private readonly options: AssetArtifactOptions) {
    super();
    if (!fs.existsSync(assetPath)) {
      throw new Error(`artifact path '${assetPath}' does not exist: pass an existing file or directory`);
    }
    this.isDirectory = fs.statSync(assetPath).isDirectory();
    commonOptions(options);
  }

  public _fileName(): string | undefined {
    return this.boundKey;
  }

  public bind(scope: Construct): ArtifactConfig {
    const id = `Artifact${contentFingerprint([path.resolve(this.assetPath), JSON.stringify(this.options.exclude ?? [])]).slice(0, 8)}`;
    const existing = scope.node.tryFindChild(id) as s3_assets.Asset | undefined;
    const asset = existing ?? new s3_assets.Asset(scope, id, { path: this.assetPath, exclude: this.options.exclude });
    this.boundKey = asset.s3ObjectKey;
    return {
      ...commonOptions(this.options),
      unarchive: this.options.unarchive ?? (this.isDirectory ? Unarchive.ZIP : undefined),
      uri: `s3://${asset.s3BucketName}/${asset.s3ObjectKey}`,
      fingerprint: `asset:${asset.assetHash}`,
      bucket: asset.bucket,
      objectKey: asset.s3ObjectKey,
    };
  }
}

class BucketArtifact extends Artifact {
  constructor(private readonly bucket: s3.IBucket, private readonly key: string, private readonly options: ArtifactOptions) {
    super();
    commonOptions(options);
  }

  public _fileName(): string | undefined {
    return basename(this.key, `the object of bucket artifact '${this.key}'`);
  }

  public bind(scope: Construct): ArtifactConfig {
    return {
      ...commonOptions(this.options),
      uri: `s3://${this.bucket.bucketName}/${this.key}`,
      fingerprint: `s3:${JSON.stringify(Stack.of(scope).resolve(this.bucket.bucketName))}/${JSON.stringify(Stack.of(scope).resolve(this.key))}`,
      bucket: this.bucket,
      objectKey: this.key,
    };
  }
}

class UriArtifact extends Artifact {
  constructor(private readonly uri: string, private readonly options: ArtifactOptions) {
    super();
    commonOptions(options);
  }

  public _fileName(): string | undefined {
    const name = basename(this.uri, `artifact '${this.uri}'`);
    const parsed = parseArtifactUri(this.uri).uri;
    if (parsed?.scheme === 'docker') {
      throw new Error('a container image has no file on the device: use the image name in the lifecycle script instead of artifact.path');
    }
    return parsed?.fileName ?? name;
  }

  public bind(scope: Construct): ArtifactConfig {
    return {
      ...commonOptions(this.options),
      uri: this.uri,
      fingerprint: `uri:${JSON.stringify(Stack.of(scope).resolve(this.uri))}`,
    };
  }
}

class EcrArtifact extends Artifact {
  constructor(private readonly repository: ecr.IRepository, private readonly tagOrDigest: string) {
    super();
  }

  public _fileName(): string | undefined {
    throw new Error('a container image has no file on the device: use the image name in the lifecycle script instead of artifact.path');
  }

  public bind(scope: Construct): ArtifactConfig {
    const uri = `docker:${this.repository.repositoryUriForTagOrDigest(this.tagOrDigest)}`;
    return {
      uri,
      fingerprint: `ecr:${JSON.stringify(Stack.of(scope).resolve(uri))}`,
      repository: this.repository,
    };
  }
}

class DockerImageAssetArtifact extends Artifact {
  constructor(private readonly asset: ecr_assets.DockerImageAsset) {
    super();
  }

  public _fileName(): string | undefined {
    throw new Error('a container image has no file on the device: use the image name in the lifecycle script instead of artifact.path');
  }

  public bind(_scope: Construct): ArtifactConfig {
    return {
      uri: `docker:${this.asset.imageUri}`,
      fingerprint: `image:${this.asset.assetHash}`,
      repository: this.asset.repository,
    };
  }
}
