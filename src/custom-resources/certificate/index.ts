import { CustomResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';
import {
  CERTIFICATE_ATTR_ARN, CERTIFICATE_ATTR_ID, CERTIFICATE_ATTR_SECRET_ARN, CERTIFICATE_RESOURCE_TYPE, DEFAULT_RECOVERY_WINDOW_DAYS,
  GeneratedCertificateProperties, MAX_RECOVERY_WINDOW_DAYS, MIN_RECOVERY_WINDOW_DAYS, REMOVAL_DESTROY, REMOVAL_RETAIN,
} from './api';
import { CertificateFunction } from './certificate-function';
import { iotArn } from '../../private/arns';
import { acknowledgeWildcardResources } from '../../private/nag';
import { SharedProvider } from '../../private/provider';
import { keptOrDeleted } from '../../private/removal-policy';

/** Properties of `GeneratedCertificate`. */
export interface GeneratedCertificateProps {
  /**
   * The thing the certificate is for (usually its `Ref`, so that the certificate is made after it):
   * the subject's common name, a tag on the secret, and detached on Delete with `DESTROY`.
   * @default - a certificate attached to no thing (for example a fleet-provisioning claim
   * certificate): `secretNameBase` and `commonName` are then required
   */
  readonly thingName?: string;
  /**
   * Names the secret (`greengrass/<secretNameBase>/certificate-r<rotation>`) and scopes the handler's
   * access to it: the thing name as written, when known at synth time.
   * @default - `thingName`
   */
  readonly secretNameBase?: string;
  /**
   * Common name of the certificate's subject, for a certificate attached to no thing.
   * @default - `thingName`
   */
  readonly commonName?: string;
  /**
   * KMS key that encrypts the secret. Changing it re-encrypts the stored key in place.
   * @default - the stack's device-key KMS key (`GreengrassV2DeviceKeysKey`), created once per stack
   * (rotation on, kept on deletion)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Rotation number: increase it to replace the certificate and key (the only change that does).
   * @default 0
   */
  readonly rotation?: number;
  /**
   * What removing the certificate from the stack (or rotating it) does to the old certificate and
   * its key: `RETAIN` leaves both as they are; `DESTROY` detaches the thing, deactivates and
   * deletes the certificate and schedules the secret's deletion after `keyRecoveryWindow`.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * With `DESTROY`: how long Secrets Manager keeps the deleted key secret restorable, 7 to 30 days.
   * @default Duration.days(30)
   */
  readonly keyRecoveryWindow?: Duration;
}

/** Validates a removal policy for a device identity (only RETAIN and DESTROY mean something). */
export function identityRemovalPolicy(prop: string, policy: RemovalPolicy | undefined): RemovalPolicy {
  return keptOrDeleted(prop, policy, RemovalPolicy.RETAIN, 'a device identity');
}

/** Validates the recovery window of a deleted key secret and returns it in days. */
export function keyRecoveryWindowDays(prop: string, window: Duration | undefined): number {
  if (window === undefined) return DEFAULT_RECOVERY_WINDOW_DAYS;
  const days = window.toDays({ integral: false });
  if (Token.isUnresolved(days)) {
    throw new Error(`${prop} is a value known only at deploy time: it is checked at synth time (7 to 30 days), pass a literal Duration such as Duration.days(30)`);
  }
  if (!Number.isInteger(days) || days < MIN_RECOVERY_WINDOW_DAYS || days > MAX_RECOVERY_WINDOW_DAYS) {
    throw new Error(`${prop} is ${days} days: use a whole number of days from ${MIN_RECOVERY_WINDOW_DAYS} to ${MAX_RECOVERY_WINDOW_DAYS} (Secrets Manager's recovery window)`);
  }
  return days;
}

const DEVICE_KEYS_KEY_ID = 'GreengrassV2DeviceKeysKey';

/** The stack's one certificate provider (the construct id its logical ids derive from). */
export const CERTIFICATE_PROVIDER_ID = 'GreengrassV2CertificateProvider';
/** The provider's policy that may deactivate and delete certificates (only with DESTROY). */
export const CERTIFICATE_DESTROY_POLICY_ID = 'DestroyPolicy';

/**
 * The stack's customer managed KMS key for device private keys, created the first time: a secret
 * encrypted with it is readable only by principals allowed `kms:Decrypt` on this key as well as
 * `secretsmanager:GetSecretValue` (the AWS managed `aws/secretsmanager` key lets every principal
 * with `GetSecretValue` read). Rotation enabled; kept when the stack is deleted, since retained
 * secrets need it.
 */
export function deviceKeysKey(scope: IConstruct): kms.Key {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(DEVICE_KEYS_KEY_ID);
  if (existing) return existing as kms.Key;
  return new kms.Key(stack, DEVICE_KEYS_KEY_ID, {
    description: 'cdk-greengrass-v2: encrypts the Secrets Manager secrets holding Greengrass device private keys',
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/**
 * An X.509 certificate signed by AWS IoT from a key pair and CSR the handler generates, with its
 * certificate and private key stored in a Secrets Manager secret. Only identifiers go through
 * CloudFormation. `CoreDevice` creates it for `CoreDeviceCertificate.generated()`; without
 * `thingName` it is a certificate attached to no thing (a claim certificate).
 *
 * Replaced only when `rotation` changes. With `RETAIN` (the default) CloudFormation never sends a
 * Delete (DeletionPolicy and UpdateReplacePolicy `Retain`). Every certificate of a stack uses the
 * same provider, so changing `removalPolicy` later is an ordinary update. Its handler's role may
 * deactivate and delete certificates only through a separate IAM policy that is in the stack only
 * while one of its certificates uses `DESTROY`; those certificates depend on that policy.
 */
export class GeneratedCertificate extends Construct {
  /** The certificate's id (a deploy-time value). */
  public readonly certificateId: string;
  /** The certificate's ARN (a deploy-time value). */
  public readonly certificateArn: string;
  /**
   * The secret holding the certificate and the private key (JSON keys `certificatePem`,
   * `privateKey`), encrypted with `encryptionKey`: grant read to whoever installs the device.
   */
  public readonly secret: secretsmanager.ISecret;
  /** The KMS key that encrypts the secret. */
  public readonly encryptionKey: kms.IKey;
  /** The removal policy of the identity. */
  public readonly removalPolicy: RemovalPolicy;

  constructor(scope: Construct, id: string, props: GeneratedCertificateProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const base = props.secretNameBase ?? props.thingName;
    if (base === undefined) {
      throw new Error('secretNameBase is missing: a certificate attached to no thing (no thingName) needs it to name its secret, for example secretNameBase: \'line-2-claim\'');
    }
    if (props.thingName === undefined && props.commonName === undefined) {
      throw new Error('commonName is missing: a certificate attached to no thing (no thingName) needs it for its subject, for example commonName: \'line-2-claim\'');
    }
    // Secret names allow [A-Za-z0-9/_+=.@-] ('/' left out: it would nest one base under another).
    if (props.secretNameBase !== undefined && !Token.isUnresolved(props.secretNameBase) && !/^[A-Za-z0-9:_+=.@-]{1,128}$/.test(props.secretNameBase)) {
      throw new Error(`secretNameBase '${props.secretNameBase}' is invalid: it names the secret greengrass/<secretNameBase>/certificate-r<rotation>; use 1-128 characters of [A-Za-z0-9:_+=.@-]`);
    }
    if (props.commonName !== undefined && !Token.isUnresolved(props.commonName) && (props.commonName.length < 1 || props.commonName.length > 64)) {
      throw new Error(`commonName is ${props.commonName.length} characters: an X.509 subject's common name has 1 to 64`);
    }
    const rotation = props.rotation ?? 0;
    if (!Token.isUnresolved(rotation) && (!Number.isInteger(rotation) || rotation < 0 || rotation > 999_999_999)) {
      throw new Error(`rotation is ${rotation}: use a whole number from 0 (increase it by one to rotate the certificate)`);
    }
    this.removalPolicy = identityRemovalPolicy('removalPolicy', props.removalPolicy);
    const destroy = this.removalPolicy === RemovalPolicy.DESTROY;
    const recoveryDays = keyRecoveryWindowDays('keyRecoveryWindow', props.keyRecoveryWindow);
    if (!destroy && props.keyRecoveryWindow !== undefined) {
      throw new Error('keyRecoveryWindow is set but removalPolicy is RETAIN: the key secret is never deleted; set removalPolicy: RemovalPolicy.DESTROY or remove keyRecoveryWindow');
    }
    this.encryptionKey = props.encryptionKey ?? deviceKeysKey(this);

    // Secret names allow [A-Za-z0-9/_+=.@-]: the ':' thing names may contain becomes '.', which
    // thing names never contain (so two things never share a prefix).
    const prefix = `greengrass/${Token.isUnresolved(base) ? base : base.replace(/:/g, '.')}/certificate-`;
    const secretArns = `arn:${stack.partition}:secretsmanager:${stack.region}:${stack.account}:secret:${prefix}*`;
    // One provider for every certificate of the stack, whatever its removal policy: CloudFormation
    // refuses to change a custom resource's ServiceToken, so a provider chosen by a prop the user
    // may change later would make that change fail.
    const secretReason = Token.isUnresolved(prefix)
      ? "only this certificate's key secrets (Secrets Manager appends a random suffix to secret ARNs)"
      : `only the key secrets ${prefix}<n> of the ${props.thingName !== undefined ? `core device ${base}` : 'claim certificate'} `
        + '(Secrets Manager appends a random suffix to secret ARNs)';
    const provider = SharedProvider.getOrCreate(this, {
      id: CERTIFICATE_PROVIDER_ID,
      onEvent: (s, i, p) => new CertificateFunction(s, i, p),
    });
    provider.grant(new iam.PolicyStatement({
      // CreateCertificateFromCsr has no resource type; ListSecrets neither (it reads metadata
      // only, to find the secrets of certificates made by earlier versions of the library).
      actions: ['iot:CreateCertificateFromCsr', 'secretsmanager:ListSecrets'],
      resources: ['*'],
    }), 'iot:CreateCertificateFromCsr and secretsmanager:ListSecrets (metadata only) have no resource type: IAM allows them only on *');
    provider.grant(new iam.PolicyStatement({
      // No GetSecretValue: the handler never reads a stored key back.
      actions: ['secretsmanager:CreateSecret', 'secretsmanager:DescribeSecret', 'secretsmanager:TagResource', 'secretsmanager:UpdateSecret'],
      resources: [secretArns],
    }), secretReason);
    // Store with the wanted key; re-encrypt from the previous key (known only at deploy time) only
    // through Secrets Manager, for these secrets.
    this.encryptionKey.grant(provider.onEventFunction, 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt');
    provider.grant(new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:SecretARN': secretArns },
      },
    }), 'kms:Decrypt re-encrypts a key secret stored with a previous KMS key, known only at deploy time; limited by kms:ViaService '
      + "(Secrets Manager) and kms:EncryptionContext:SecretARN (these devices' certificate secrets)");
    // The right to deactivate and delete certificates is a policy of its own, in the stack only while
    // one of its certificates uses DESTROY.
    const destroyPolicy = destroy ? provider.optionalPolicy(CERTIFICATE_DESTROY_POLICY_ID) : undefined;
    if (destroyPolicy) {
      destroyPolicy.addStatements(new iam.PolicyStatement({
        // Certificate ARNs are hashes known only once created and certificates take no tags: IAM
        // cannot limit these to the certificates this library made (hence a policy only DESTROY brings).
        actions: ['iot:UpdateCertificate', 'iot:DeleteCertificate'],
        resources: [iotArn(this, 'cert/*')],
      }));
      acknowledgeWildcardResources(destroyPolicy, [iotArn(this, 'cert/*')], 'removalPolicy DESTROY: certificate ids are hashes known only once '
        + 'created and certificates take no tags, so IAM cannot name them; this policy exists only while a certificate of the stack uses DESTROY');
      destroyPolicy.addStatements(new iam.PolicyStatement({ actions: ['secretsmanager:DeleteSecret'], resources: [secretArns] }));
      acknowledgeWildcardResources(destroyPolicy, [secretArns], secretReason);
      if (props.thingName !== undefined) {
        destroyPolicy.addStatements(new iam.PolicyStatement({ actions: ['iot:DetachThingPrincipal'], resources: [iotArn(this, `thing/${props.thingName}`)] }));
      }
    }

    const properties: GeneratedCertificateProperties = {
      ...(props.thingName !== undefined ? { ThingName: props.thingName } : {}),
      ...(props.thingName === undefined ? { CommonName: props.commonName } : {}),
      SecretNamePrefix: prefix,
      KmsKeyArn: this.encryptionKey.keyArn,
      Rotation: String(rotation),
      RemovalPolicy: destroy ? REMOVAL_DESTROY : REMOVAL_RETAIN,
      ...(destroy ? { RecoveryWindowInDays: String(recoveryDays) } : {}),
    };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: CERTIFICATE_RESOURCE_TYPE,
      properties,
      // RETAIN: CloudFormation sends no Delete at all, neither on removal nor on rotation.
      removalPolicy: this.removalPolicy,
    });
    // Created after the destroy permissions and deleted before them (on removal, rotation and stack
    // deletion), also when the same deployment adds or removes the policy.
    if (destroyPolicy) resource.node.addDependency(destroyPolicy);
    this.certificateId = resource.getAttString(CERTIFICATE_ATTR_ID);
    this.certificateArn = resource.getAttString(CERTIFICATE_ATTR_ARN);
    this.secret = secretsmanager.Secret.fromSecretAttributes(this, 'Secret', {
      secretCompleteArn: resource.getAttString(CERTIFICATE_ATTR_SECRET_ARN),
      encryptionKey: this.encryptionKey,
    });
  }
}
