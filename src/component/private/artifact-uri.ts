import { Token } from 'aws-cdk-lib';

/**
 * The one parser of artifact URIs, for typed (`Artifact.fromUri`) and imported artifacts alike: what
 * the recipe says, what is checked, and what the devices' role is granted all come from it.
 *
 * Greengrass downloads `s3://bucket/key`, `docker:<image>`, `greengrass:<file>` (Lambda components)
 * and `https://` URIs literally: it expands neither wildcards nor variables, so a URI with `*`, `?` or
 * `${` names no object and is refused here (granting it would open `s3:GetObject` on a pattern); in an
 * `https://` URL only `${` is refused, `?` starting its query.
 */

/** A parsed artifact URI. */
export interface ParsedArtifactUri {
  readonly scheme: 's3' | 'docker' | 'greengrass' | 'https' | 'http';
  /** The bucket of an `s3://` URI. */
  readonly bucket?: string;
  /** The object key of an `s3://` URI. */
  readonly key?: string;
  /** The repository of an image in Amazon ECR (`docker:<account>.dkr.ecr.<region>.amazonaws.com/<repository>`). */
  readonly ecr?: { readonly account: string; readonly region: string; readonly repository: string };
  /** The name of the file on the device (`undefined` for images). */
  readonly fileName?: string;
}

/**
 * The result of `parseArtifactUri`: the parsed URI, or why it cannot be used, or neither for a URI
 * whose scheme is a token (known at deploy time only).
 */
export interface ArtifactUriResult {
  readonly uri?: ParsedArtifactUri;
  readonly problem?: string;
}

const SCHEME = /^(s3|docker|greengrass|https|http):/i;
const S3 = /^s3:\/\/([^/]+)\/(.+)$/;
const ECR = /^docker:(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/;
const WILDCARD = /[*?]|\$\{/;

/**
 * Parses an artifact URI. Returns a problem (without the URI's location, which the caller names) when
 * Greengrass cannot download it. Tokens in the URI (a bucket name) are kept as they are.
 */
export function parseArtifactUri(uri: string): ArtifactUriResult {
  const scheme = SCHEME.exec(uri)?.[1].toLowerCase() as ParsedArtifactUri['scheme'] | undefined;
  if (scheme === undefined) {
    if (Token.isUnresolved(uri)) return {};
    return { problem: `'${uri}' has no supported scheme: use s3://bucket/key, docker:<image>, greengrass:<file> or https://...` };
  }
  // A token (for example a bucket name) is a value, not a pattern: only the literal parts are checked.
  // In an https URL `?` starts the query: there only `${` is refused.
  const literal = Token.isUnresolved(uri) ? uri.replace(/\$\{Token\[[^\]]*\]\}/g, '') : uri;
  const wildcard = (scheme === 'https' || scheme === 'http' ? /\$\{/ : WILDCARD).exec(literal);
  if (wildcard) {
    return { problem: `'${uri}' holds '${wildcard[0]}': Greengrass downloads artifact URIs literally (no wildcards or variables), so name one object or image` };
  }
  if (scheme === 's3') {
    const m = S3.exec(uri);
    if (!m) {
      return { problem: `'${uri}' names no object: use s3://<bucket>/<key>` };
    }
    return { uri: { scheme, bucket: m[1], key: m[2], fileName: lastSegment(m[2]) } };
  }
  if (scheme === 'docker') {
    if (uri.length <= 'docker:'.length) return { problem: `'${uri}' names no image: use docker:<image>[:tag|@digest]` };
    const m = ECR.exec(uri);
    return { uri: { scheme, ecr: m ? { account: m[1], region: m[2], repository: m[3] } : undefined } };
  }
  if (scheme === 'greengrass') {
    const file = uri.slice('greengrass:'.length);
    if (file.length === 0) return { problem: `'${uri}' names no file: use greengrass:<file>` };
    return { uri: { scheme, fileName: lastSegment(file) } };
  }
  const rest = uri.replace(/^https?:\/\//i, '');
  if (rest.length === 0 || rest === uri) return { problem: `'${uri}' names no host: use https://<host>/<path>` };
  return { uri: { scheme, fileName: lastSegment(rest.replace(/[?#].*$/, '')) } };
}

function lastSegment(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.length === 0 || Token.isUnresolved(name) ? undefined : name;
}

/**
 * The file name GDK resolves an artifact written as a bare file name to, or `undefined` when the URI
 * is no bare file name: `secrets.jar` (no scheme) or `s3://secrets.jar` (a bucket-less S3 URI, as GDK
 * templates write it). GDK uploads such a file built by the project to
 * `s3://<bucket>/<component name>/<component version>/<file name>`.
 */
export function bareArtifactFileName(uri: string): string | undefined {
  const m = /^(?:s3:\/\/)?([^/:\\]+)$/i.exec(uri);
  if (!m || Token.isUnresolved(uri) || WILDCARD.test(uri)) return undefined;
  return m[1];
}
