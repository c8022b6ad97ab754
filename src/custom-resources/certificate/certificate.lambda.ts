import { generateKeyPairSync } from 'crypto';
import {
  CreateCertificateFromCsrCommand, DeleteCertificateCommand, DetachThingPrincipalCommand, IoTClient, UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import {
  CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, DescribeSecretCommandOutput, ListSecretsCommand, SecretsManagerClient,
  TagResourceCommand, UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import * as forge from 'node-forge';
import {
  CERTIFICATE_ATTR_ARN, CERTIFICATE_ATTR_ID, CERTIFICATE_ATTR_SECRET_ARN, DEFAULT_RECOVERY_WINDOW_DAYS, GeneratedCertificateProperties,
  MANAGED_BY_VALUE, MAX_RECOVERY_WINDOW_DAYS, MIN_RECOVERY_WINDOW_DAYS, REMOVAL_DESTROY, REMOVAL_RETAIN, SECRET_FIELD_CERTIFICATE,
  SECRET_FIELD_PRIVATE_KEY, TAG_CERTIFICATE_ARN, TAG_CERTIFICATE_ID, TAG_MANAGED_BY, TAG_OWNER, TAG_STACK_ID, TAG_THING_NAME, secretNameSuffix,
} from './api';
import {
  CustomResourceEvent, Deadline, HandlerDeps, OnEventResponse, SDK_CLIENT_CONFIG, canonicalJson, createLogger, hashParts, isNotFound,
  isRetryable, nameAndCodeOnly, userProperties, withCloudFormationErrors, withRetries,
} from '../../private/handler-kit';

const iot = new IoTClient(SDK_CLIENT_CONFIG);
const secrets = new SecretsManagerClient(SDK_CLIENT_CONFIG);

/** What an AWS IoT certificate id looks like (a physical id that is not one names no certificate). */
const CERTIFICATE_ID = /^[0-9a-f]{64}$/;

/**
 * Time a new identity needs once started (key pair, CreateCertificateFromCsr, CreateSecret): a
 * Create with less left fails before it makes anything.
 */
export const CREATE_TIME_NEEDED_MS = 15_000;

/** The secret's name: `SecretNamePrefix` + `r<Rotation>`. */
export function secretNameFor(event: Pick<CustomResourceEvent, 'ResourceProperties'>): string {
  const props = event.ResourceProperties as unknown as GeneratedCertificateProperties;
  return `${props.SecretNamePrefix}${secretNameSuffix(props.Rotation)}`;
}

/**
 * The secret name the library's previous version gave (prefix + 16 hex of a hash of the stack, the
 * logical id and the properties), for an Update whose old properties come from that version (no
 * `Rotation`). Undefined otherwise.
 */
export function legacySecretNameFor(event: Pick<CustomResourceEvent, 'StackId' | 'LogicalResourceId' | 'OldResourceProperties'>): string | undefined {
  const old = event.OldResourceProperties as GeneratedCertificateProperties | undefined;
  if (!old?.SecretNamePrefix || old.Rotation !== undefined) return undefined;
  const hash = hashParts([event.StackId, event.LogicalResourceId, canonicalJson(userProperties(old as unknown as Record<string, unknown>))]);
  return `${old.SecretNamePrefix}${hash.slice(0, 16)}`;
}

/** Who owns an identity: a hash of the stack id and logical id (a moved construct is a new owner). */
export function ownerOf(event: Pick<CustomResourceEvent, 'StackId' | 'LogicalResourceId'>): string {
  return hashParts([event.StackId, event.LogicalResourceId]).slice(0, 32);
}

/** A failure the user fixes; its message says how. */
class IdentityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentityError';
  }
}

interface StoredIdentity {
  readonly certificateId: string;
  readonly certificateArn: string;
  readonly secretArn: string;
  readonly secretName: string;
  readonly kmsKeyId?: string;
  readonly tags: Record<string, string>;
}

/** An RSA 2048 key pair (what AWS IoT accepts) and a CSR for it, signed with SHA-256. */
export function newKeyAndCsr(commonName: string): { privateKeyPem: string; csrPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(publicKey);
  // A common name is 1-64 characters (RFC 5280 ub-common-name).
  csr.setSubject([{ name: 'commonName', value: commonName.slice(0, 64) }]);
  csr.sign(forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { privateKeyPem: privateKey, csrPem: forge.pki.certificationRequestToPem(csr) };
}

/** The last segment of a KMS key ARN, key id or alias (what two spellings of one key share). */
function keyIdOf(key: string | undefined): string | undefined {
  return key ? key.split('/').pop() : undefined;
}

function tagsOf(res: { Tags?: { Key?: string; Value?: string }[] }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of res.Tags ?? []) if (t.Key) out[t.Key] = t.Value ?? '';
  return out;
}

function validate(props: GeneratedCertificateProperties): { recoveryWindowInDays: number; destroy: boolean } {
  if (!props.SecretNamePrefix) throw new IdentityError('SecretNamePrefix is required');
  if (!props.ThingName && !props.CommonName) throw new IdentityError('ThingName or CommonName is required');
  if (props.Rotation !== undefined && !/^(0|[1-9][0-9]{0,8})$/.test(props.Rotation)) {
    throw new IdentityError(`Rotation '${props.Rotation}' is not a non-negative integer`);
  }
  const policy = props.RemovalPolicy ?? REMOVAL_RETAIN;
  if (policy !== REMOVAL_RETAIN && policy !== REMOVAL_DESTROY) {
    throw new IdentityError(`RemovalPolicy '${policy}' is invalid: use '${REMOVAL_RETAIN}' or '${REMOVAL_DESTROY}'`);
  }
  const days = props.RecoveryWindowInDays === undefined ? DEFAULT_RECOVERY_WINDOW_DAYS : Number(props.RecoveryWindowInDays);
  if (!Number.isInteger(days) || days < MIN_RECOVERY_WINDOW_DAYS || days > MAX_RECOVERY_WINDOW_DAYS) {
    throw new IdentityError(`RecoveryWindowInDays '${props.RecoveryWindowInDays}' is invalid: use an integer from ${MIN_RECOVERY_WINDOW_DAYS} to ${MAX_RECOVERY_WINDOW_DAYS}`);
  }
  return { recoveryWindowInDays: days, destroy: policy === REMOVAL_DESTROY };
}

/**
 * A device identity: an X.509 certificate from a key pair this handler generates (`node:crypto`),
 * signed by AWS IoT from a CSR (CreateCertificateFromCsr, created ACTIVE), with the certificate and
 * private key stored in one Secrets Manager secret `<SecretNamePrefix>r<Rotation>`. Only
 * identifiers leave the handler (`Data`: certificate id and ARN, secret ARN).
 *
 * - Create, and an Update that changes `Rotation`: first looks for the secret of that name (a
 *   replay, a rollback, a moved construct, a stack deployed again) and adopts it; otherwise makes a
 *   new identity. No other change makes a new certificate.
 * - Update (same `Rotation`): keeps the certificate; a new `KmsKeyArn` re-encrypts the secret in
 *   place (UpdateSecret), a new `ThingName` is re-tagged.
 * - No request ever changes a certificate's status, except Delete with `RemovalPolicy` `destroy`
 *   (so a rollback or replay never re-activates a certificate an operator deactivated).
 * - Delete: `retain` does nothing. `destroy` (only when this resource still owns the identity: a
 *   moved construct's new resource takes it over) detaches the thing, deactivates and deletes the
 *   certificate, and schedules the secret's deletion with its recovery window.
 *
 * Errors raised while the private key is in memory report only their name and code.
 */
export function createHandler(deps: HandlerDeps = {}) {
  const log = createLogger('certificate');

  return withCloudFormationErrors(log, async (event: CustomResourceEvent, deadline: Deadline): Promise<OnEventResponse> => {
    const retry = { sleep: deps.sleep, random: deps.random, log, deadline };
    const props = event.ResourceProperties as unknown as GeneratedCertificateProperties;
    const { recoveryWindowInDays, destroy } = validate(props);
    const secretName = secretNameFor(event);
    const owner = ownerOf(event);

    const describe = async (secretId: string): Promise<DescribeSecretCommandOutput | undefined> => {
      try {
        return await withRetries(() => secrets.send(new DescribeSecretCommand({ SecretId: secretId })), { ...retry, label: 'DescribeSecret' });
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    };
    const toIdentity = (res: DescribeSecretCommandOutput | undefined): StoredIdentity | undefined => {
      if (!res?.ARN || !res.Name) return undefined;
      const tags = tagsOf(res);
      const certificateId = tags[TAG_CERTIFICATE_ID];
      const certificateArn = tags[TAG_CERTIFICATE_ARN];
      if (!certificateId || !certificateArn) return undefined;
      return { certificateId, certificateArn, secretArn: res.ARN, secretName: res.Name, kmsKeyId: res.KmsKeyId, tags };
    };
    /** The secret of a certificate by its tag (secrets named by an earlier version of the library). */
    const findByCertificateTag = async (certificateId: string): Promise<StoredIdentity | undefined> => {
      const res = await withRetries(() => secrets.send(new ListSecretsCommand({
        Filters: [{ Key: 'tag-key', Values: [TAG_CERTIFICATE_ID] }, { Key: 'tag-value', Values: [certificateId] }],
      })), { ...retry, label: 'ListSecrets' });
      const match = (res.SecretList ?? []).find((s) => !s.DeletedDate && tagsOf(s)[TAG_CERTIFICATE_ID] === certificateId);
      return match ? toIdentity(match as DescribeSecretCommandOutput) : undefined;
    };
    const response = (id: StoredIdentity): OnEventResponse => ({
      PhysicalResourceId: id.certificateId,
      Data: { [CERTIFICATE_ATTR_ID]: id.certificateId, [CERTIFICATE_ATTR_ARN]: id.certificateArn, [CERTIFICATE_ATTR_SECRET_ARN]: id.secretArn },
    });

    /** Brings an existing identity's secret to the wanted key, thing and owner, without touching the certificate. */
    const reconcile = async (id: StoredIdentity): Promise<void> => {
      if (keyIdOf(id.kmsKeyId) !== keyIdOf(props.KmsKeyArn)) {
        // Secrets Manager re-encrypts the existing versions with the new key (it needs kms:Encrypt on it).
        log.info('re-encrypting the secret with the new key', { secretName: id.secretName, kmsKeyArn: props.KmsKeyArn ?? 'aws/secretsmanager' });
        await withRetries(() => secrets.send(new UpdateSecretCommand({
          SecretId: id.secretArn,
          KmsKeyId: props.KmsKeyArn || 'alias/aws/secretsmanager',
        })), { ...retry, label: 'UpdateSecret' });
      }
      const wanted: Record<string, string> = {
        [TAG_OWNER]: owner,
        [TAG_STACK_ID]: event.StackId,
        ...(props.ThingName ? { [TAG_THING_NAME]: props.ThingName } : {}),
      };
      const changed = Object.entries(wanted).filter(([k, v]) => id.tags[k] !== v);
      if (changed.length > 0) {
        if (id.tags[TAG_OWNER] && id.tags[TAG_OWNER] !== owner) {
          log.info('adopting the identity of another resource (a moved construct or a redeployed stack)', { secretName: id.secretName, certificateId: id.certificateId });
        }
        await withRetries(() => secrets.send(new TagResourceCommand({
          SecretId: id.secretArn,
          Tags: changed.map(([Key, Value]) => ({ Key, Value })),
        })), { ...retry, label: 'TagResource' });
      }
    };

    if (event.RequestType === 'Delete') {
      if (!destroy) {
        log.info('identity retained (RemovalPolicy retain): certificate and secret left as they are', { physicalResourceId: event.PhysicalResourceId, secretName });
        return { PhysicalResourceId: event.PhysicalResourceId };
      }
      const physical = event.PhysicalResourceId ?? '';
      const res = await describe(secretName);
      let id = res?.DeletedDate ? undefined : toIdentity(res);
      if (!id && CERTIFICATE_ID.test(physical)) id = await findByCertificateTag(physical);
      if (!id) {
        log.info('nothing to delete: no secret names this resource\'s certificate', { physicalResourceId: physical, secretName });
        return { PhysicalResourceId: event.PhysicalResourceId };
      }
      if (CERTIFICATE_ID.test(physical) && id.certificateId !== physical) {
        log.info('not deleting: the secret names another certificate than this resource', { physicalResourceId: physical, certificateId: id.certificateId });
        return { PhysicalResourceId: event.PhysicalResourceId };
      }
      if (id.tags[TAG_OWNER] && id.tags[TAG_OWNER] !== owner) {
        log.info('not deleting: another resource owns this identity now (a moved construct)', { certificateId: id.certificateId, secretName: id.secretName });
        return { PhysicalResourceId: event.PhysicalResourceId };
      }
      await destroyIdentity(id, props.ThingName, recoveryWindowInDays, retry);
      return { PhysicalResourceId: event.PhysicalResourceId };
    }

    const oldRotation = (event.OldResourceProperties as GeneratedCertificateProperties | undefined)?.Rotation ?? '0';
    const rotated = event.RequestType === 'Update' && (props.Rotation ?? '0') !== oldRotation;

    if (event.RequestType === 'Update' && !rotated) {
      // Any other change (KMS key, thing name, removal policy, a property a newer library added,
      // a new provider) keeps the certificate.
      const physical = event.PhysicalResourceId ?? '';
      if (!CERTIFICATE_ID.test(physical)) {
        throw new IdentityError(`physical id '${physical}' is not a certificate id: increase the certificate's rotation to create a new certificate`);
      }
      const live = (r: DescribeSecretCommandOutput | undefined) => {
        const found = r?.DeletedDate ? undefined : toIdentity(r);
        return found?.certificateId === physical ? found : undefined;
      };
      let id = live(await describe(secretName));
      const legacyName = legacySecretNameFor(event);
      if (!id && legacyName) id = live(await describe(legacyName));
      if (!id) id = await findByCertificateTag(physical);
      if (!id) {
        throw new IdentityError(`no secret holds the key of certificate ${physical} (deleted outside CloudFormation?): restore it (aws secretsmanager restore-secret), or increase the certificate's rotation to create a new certificate and key`);
      }
      await reconcile(id);
      return response(id);
    }

    // Create, or an explicit rotation: adopt the identity of that name if there is one.
    const res = await describe(secretName);
    if (res?.DeletedDate) {
      throw new IdentityError(`secret ${secretName} is scheduled for deletion (its certificate was deleted with RemovalPolicy destroy): restore it (aws secretsmanager restore-secret) if its certificate still exists, or increase the certificate's rotation to create a new certificate and key`);
    }
    const existing = toIdentity(res);
    if (existing) {
      log.info('adopting the existing identity', { secretName, certificateId: existing.certificateId });
      await reconcile(existing);
      return response(existing);
    }
    if (res) {
      throw new IdentityError(`secret ${secretName} exists but names no certificate (tags ${TAG_CERTIFICATE_ID}, ${TAG_CERTIFICATE_ARN}): it was not made by this library; delete or rename it, or choose another rotation`);
    }
    if (!deadline.allows(CREATE_TIME_NEEDED_MS)) {
      throw new IdentityError('too little time left in this invocation to create a certificate and store its key: nothing was created; retry the deployment');
    }
    return response(await createIdentity(event, props, secretName, owner, destroy, retry, log));
  });
}

type Retry = { sleep?: HandlerDeps['sleep']; random?: HandlerDeps['random']; log: ReturnType<typeof createLogger>; deadline: Deadline };

/**
 * Makes a key pair and CSR in memory, has AWS IoT sign it (ACTIVE), and stores the key and the
 * certificate in a new secret tagged with the certificate and its owner. Errors from here on
 * carry only their name and code. When the secret cannot be stored, the certificate (whose key
 * then exists nowhere) is deleted if this provider may (`destroy`), else logged for the sweep.
 */
async function createIdentity(
  event: CustomResourceEvent, props: GeneratedCertificateProperties, secretName: string, owner: string, destroy: boolean, retry: Retry,
  log: ReturnType<typeof createLogger>,
): Promise<StoredIdentity> {
  let key: { privateKeyPem: string; csrPem: string } | undefined;
  try {
    key = newKeyAndCsr(props.ThingName || props.CommonName!);
  } catch (error) {
    throw nameAndCodeOnly(error, 'generating the key pair');
  }
  let certificate: { certificateId: string; certificateArn: string; certificatePem: string };
  try {
    const csrPem = key.csrPem;
    const created = await withRetries(() => iot.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: csrPem, setAsActive: true })),
      { ...retry, label: 'CreateCertificateFromCsr' });
    certificate = { certificateId: created.certificateId!, certificateArn: created.certificateArn!, certificatePem: created.certificatePem! };
  } catch (error) {
    key = undefined;
    throw nameAndCodeOnly(error, 'CreateCertificateFromCsr');
  }
  try {
    const secret = await withRetries(() => secrets.send(new CreateSecretCommand({
      Name: secretName,
      Description: `Certificate and private key of the AWS IoT ${props.ThingName ? `thing ${props.ThingName}` : `certificate ${props.CommonName}`} (cdk-greengrass-v2)`,
      KmsKeyId: props.KmsKeyArn || undefined,
      SecretString: JSON.stringify({ [SECRET_FIELD_CERTIFICATE]: certificate.certificatePem, [SECRET_FIELD_PRIVATE_KEY]: key!.privateKeyPem }),
      Tags: [
        { Key: TAG_CERTIFICATE_ID, Value: certificate.certificateId },
        { Key: TAG_CERTIFICATE_ARN, Value: certificate.certificateArn },
        ...(props.ThingName ? [{ Key: TAG_THING_NAME, Value: props.ThingName }] : []),
        { Key: TAG_OWNER, Value: owner },
        { Key: TAG_STACK_ID, Value: event.StackId },
        { Key: TAG_MANAGED_BY, Value: MANAGED_BY_VALUE },
      ],
    })), { ...retry, label: 'CreateSecret' });
    return {
      certificateId: certificate.certificateId,
      certificateArn: certificate.certificateArn,
      secretArn: secret.ARN!,
      secretName,
      kmsKeyId: props.KmsKeyArn,
      tags: {},
    };
  } catch (error) {
    key = undefined;
    const safe = nameAndCodeOnly(error, 'CreateSecret');
    // The certificate's private key now exists nowhere: the certificate can authenticate no one.
    if (destroy) {
      await deleteCertificate(certificate.certificateId, undefined, undefined, { ...retry, deadline: Deadline.NONE, maxAttempts: 3 })
        .catch((e) => log.error('cleanup failed: delete the certificate (aws iot update-certificate --new-status INACTIVE, then aws iot delete-certificate)', {
          certificateId: certificate.certificateId, error: (e as Error)?.name,
        }));
    } else {
      log.error('orphan certificate: its key could not be stored and exists nowhere; delete it (see the README, "Sweeping orphan certificates")', {
        certificateId: certificate.certificateId,
      });
    }
    throw safe;
  }
}

async function deleteCertificate(
  certificateId: string, certificateArn: string | undefined, thingName: string | undefined, retry: Retry & { maxAttempts?: number },
) {
  const ignoreGone = async (label: string, fn: () => Promise<unknown>, retryable = isRetryable) => {
    try {
      await withRetries(fn, { ...retry, label, retryable });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  };
  if (thingName && certificateArn) {
    await ignoreGone('DetachThingPrincipal', () => iot.send(new DetachThingPrincipalCommand({ thingName, principal: certificateArn })));
  }
  await ignoreGone('UpdateCertificate', () => iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'INACTIVE' })));
  // DeleteConflictException: a thing detachment has not propagated yet; it clears by itself.
  await ignoreGone('DeleteCertificate', () => iot.send(new DeleteCertificateCommand({ certificateId, forceDelete: true })),
    (e) => isRetryable(e) || (e as Error)?.name === 'DeleteConflictException');
}

async function destroyIdentity(id: StoredIdentity, thingName: string | undefined, recoveryWindowInDays: number, retry: Retry) {
  await deleteCertificate(id.certificateId, id.certificateArn, thingName, retry);
  try {
    await withRetries(() => secrets.send(new DeleteSecretCommand({ SecretId: id.secretArn, RecoveryWindowInDays: recoveryWindowInDays })),
      { ...retry, label: 'DeleteSecret' });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

export const handler = createHandler();
