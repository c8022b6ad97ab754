import {
  CreateKeysAndCertificateCommand, DeleteCertificateCommand, DescribeCertificateCommand, DetachThingPrincipalCommand, IoTClient,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  CERTIFICATE_ATTR_ARN, CERTIFICATE_ATTR_ID, CERTIFICATE_ATTR_SECRET_ARN, GeneratedCertificateProperties, SECRET_FIELD_CERTIFICATE,
  SECRET_FIELD_PRIVATE_KEY, SECRET_NAME_HASH_LENGTH, TAG_CERTIFICATE_ARN, TAG_CERTIFICATE_ID, TAG_THING_NAME,
} from './api';
import {
  CustomResourceEvent, HandlerDeps, OnEventResponse, canonicalJson, createLogger, hashParts, isNotFound, isRetryable, userProperties,
  withCloudFormationErrors, withRetries,
} from '../private/handler-kit';

const iot = new IoTClient({ maxAttempts: 1 });
const secrets = new SecretsManagerClient({ maxAttempts: 1 });

/** What an AWS IoT certificate id looks like (a physical id that is not one names no certificate). */
const CERTIFICATE_ID = /^[0-9a-f]{64}$/;

/** A secret of the wanted name exists but is scheduled for deletion. */
class SecretPendingDeletion extends Error {
  constructor(secretName: string) {
    super(`secret ${secretName} is scheduled for deletion: wait for Secrets Manager to purge it, or restore it (aws secretsmanager restore-secret) or delete it without recovery (--force-delete-without-recovery), then retry`);
    this.name = 'SecretPendingDeletion';
  }
}

/** CreateSecret's answer while a secret of the same name is still being deleted. */
function isPendingDeletion(error: unknown): boolean {
  return (error as Error)?.name === 'InvalidRequestException' && /scheduled for deletion/i.test((error as Error).message ?? '');
}

/**
 * The secret's name: the prefix plus a hash of the stack, the logical id and the properties.
 * The same request (replayed), an Update with unchanged properties, and the rollback of a
 * replacement all map to the secret (and so the certificate) they created before.
 */
export function secretNameFor(event: Pick<CustomResourceEvent, 'StackId' | 'LogicalResourceId' | 'ResourceProperties'>): string {
  const props = event.ResourceProperties as unknown as GeneratedCertificateProperties;
  const hash = hashParts([event.StackId, event.LogicalResourceId, canonicalJson(userProperties(event.ResourceProperties))]);
  return `${props.SecretNamePrefix}${hash.slice(0, SECRET_NAME_HASH_LENGTH)}`;
}

/**
 * Creates an X.509 certificate whose key pair AWS IoT generates (CreateKeysAndCertificate) and
 * stores the certificate and private key in one Secrets Manager secret. Only identifiers leave the
 * handler (`Data`: certificate id and ARN, secret ARN); the key is never logged.
 *
 * The certificate is created inactive and activated only once its key is stored. If storing or
 * activating fails, the certificate and secret this request made are deleted before the error is
 * reported (the Provider framework never sends the Delete of a failed Create). A secret of the same
 * name still being deleted is waited for. Delete detaches the thing, deactivates and deletes the
 * certificate (found from the secret's tags when the physical id is not a certificate id), and
 * deletes the secret without recovery window; anything already gone is skipped.
 */
export function createHandler(deps: HandlerDeps = {}) {
  const log = createLogger('certificate');
  const retry = { sleep: deps.sleep, random: deps.random, log };

  /** The secret of an earlier request, or undefined; waits while a secret of that name is being deleted. */
  const findExisting = async (secretName: string) => {
    try {
      const res = await withRetries(async () => {
        const r = await secrets.send(new DescribeSecretCommand({ SecretId: secretName }));
        // A deleted secret keeps its name until Secrets Manager purges it (asynchronously, even
        // without a recovery window): creating it again fails until then.
        if (r.DeletedDate) throw new SecretPendingDeletion(secretName);
        return r;
      }, { ...retry, label: 'DescribeSecret', retryable: (e) => isRetryable(e) || e instanceof SecretPendingDeletion });
      const tag = (k: string) => res.Tags?.find((t) => t.Key === k)?.Value;
      const id = tag(TAG_CERTIFICATE_ID);
      const arn = tag(TAG_CERTIFICATE_ARN);
      if (!id || !arn || !res.ARN) return undefined;
      return { id, arn, secretArn: res.ARN };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };

  /** The certificate named by the secret's tags, without waiting for a deletion in progress. */
  const describeTags = async (secretName: string) => {
    try {
      const res = await withRetries(() => secrets.send(new DescribeSecretCommand({ SecretId: secretName })), { ...retry, label: 'DescribeSecret' });
      const id = res.Tags?.find((t) => t.Key === TAG_CERTIFICATE_ID)?.Value;
      return id ? { id } : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };

  const deleteSecret = async (secretName: string) => {
    try {
      await withRetries(() => secrets.send(new DeleteSecretCommand({ SecretId: secretName, ForceDeleteWithoutRecovery: true })), { ...retry, label: 'DeleteSecret' });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  };

  const ensureActive = async (certificateId: string) => {
    const res = await withRetries(() => iot.send(new DescribeCertificateCommand({ certificateId })), { ...retry, label: 'DescribeCertificate' });
    if (res.certificateDescription?.status !== 'ACTIVE') {
      await withRetries(() => iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'ACTIVE' })), { ...retry, label: 'UpdateCertificate' });
    }
  };

  const deleteCertificate = async (certificateId: string, certificateArn: string, thingName: string) => {
    const ignoreGone = async (label: string, fn: () => Promise<unknown>, retryable = isRetryable) => {
      try {
        await withRetries(fn, { ...retry, label, retryable });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    };
    await ignoreGone('DetachThingPrincipal', () => iot.send(new DetachThingPrincipalCommand({ thingName, principal: certificateArn })));
    await ignoreGone('UpdateCertificate', () => iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'INACTIVE' })));
    // DeleteConflictException: a thing detachment has not propagated yet; it clears by itself.
    await ignoreGone('DeleteCertificate', () => iot.send(new DeleteCertificateCommand({ certificateId, forceDelete: true })),
      (e) => isRetryable(e) || (e as Error)?.name === 'DeleteConflictException');
  };

  return withCloudFormationErrors(log, async (event: CustomResourceEvent): Promise<OnEventResponse> => {
    const props = event.ResourceProperties as unknown as GeneratedCertificateProperties;
    if (!props.ThingName) throw new Error('ThingName is required');
    if (!props.SecretNamePrefix) throw new Error('SecretNamePrefix is required');
    const secretName = secretNameFor(event);

    if (event.RequestType === 'Delete') {
      let certificateId = event.PhysicalResourceId ?? '';
      if (!CERTIFICATE_ID.test(certificateId)) {
        // Not a certificate id (a create that failed before answering): the secret's tags name it.
        certificateId = (await describeTags(secretName))?.id ?? '';
      }
      if (CERTIFICATE_ID.test(certificateId)) {
        const [, partition, , region, account] = event.StackId.split(':');
        await deleteCertificate(certificateId, `arn:${partition}:iot:${region}:${account}:cert/${certificateId}`, props.ThingName);
      }
      await deleteSecret(secretName);
      return { PhysicalResourceId: event.PhysicalResourceId };
    }

    // Create, Update (any change makes a new certificate: CloudFormation then deletes the old one),
    // a replayed request, an unchanged Update or a rollback: all first look for what they made before.
    const existing = await findExisting(secretName);
    if (existing) {
      await ensureActive(existing.id);
      return {
        PhysicalResourceId: existing.id,
        Data: { [CERTIFICATE_ATTR_ID]: existing.id, [CERTIFICATE_ATTR_ARN]: existing.arn, [CERTIFICATE_ATTR_SECRET_ARN]: existing.secretArn },
      };
    }

    const created = await withRetries(() => iot.send(new CreateKeysAndCertificateCommand({ setAsActive: false })), { ...retry, label: 'CreateKeysAndCertificate' });
    const certificateId = created.certificateId!;
    const certificateArn = created.certificateArn!;
    let secretArn: string | undefined;
    try {
      const secret = await withRetries(() => secrets.send(new CreateSecretCommand({
        Name: secretName,
        Description: `Certificate and private key of the AWS IoT Greengrass core device ${props.ThingName}`,
        KmsKeyId: props.KmsKeyArn || undefined,
        SecretString: JSON.stringify({
          [SECRET_FIELD_CERTIFICATE]: created.certificatePem,
          [SECRET_FIELD_PRIVATE_KEY]: created.keyPair?.PrivateKey,
        }),
        Tags: [
          { Key: TAG_CERTIFICATE_ID, Value: certificateId },
          { Key: TAG_CERTIFICATE_ARN, Value: certificateArn },
          { Key: TAG_THING_NAME, Value: props.ThingName },
        ],
      })), { ...retry, label: 'CreateSecret', retryable: (e) => isRetryable(e) || isPendingDeletion(e) });
      secretArn = secret.ARN!;
      await withRetries(() => iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'ACTIVE' })), { ...retry, label: 'UpdateCertificate' });
    } catch (error) {
      // The Provider framework never sends the Delete of a failed Create, and a failed Update is
      // rolled back to the previous certificate: remove what this request made rather than leave
      // an orphan certificate and key.
      await deleteCertificate(certificateId, certificateArn, props.ThingName).catch((e) => log.error('cleanup failed', { error: e }));
      if (secretArn) await deleteSecret(secretName).catch((e) => log.error('cleanup failed', { error: e }));
      throw error;
    }
    return {
      PhysicalResourceId: certificateId,
      Data: { [CERTIFICATE_ATTR_ID]: certificateId, [CERTIFICATE_ATTR_ARN]: certificateArn, [CERTIFICATE_ATTR_SECRET_ARN]: secretArn },
    };
  });
}

export const handler = createHandler();
