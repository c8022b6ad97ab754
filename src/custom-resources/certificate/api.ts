/** CloudFormation resource type of a certificate whose key pair the library generates. */
export const CERTIFICATE_RESOURCE_TYPE = 'Custom::GreengrassV2GeneratedCertificate';

/** Properties shared by the construct and the handler. No secret ever goes through them. */
export interface GeneratedCertificateProperties {
  /**
   * The thing the certificate is for: the subject's common name, a tag on the secret, and (with
   * `RemovalPolicy` `destroy`) detached on Delete. Absent: a certificate attached to no thing (for
   * example a fleet-provisioning claim certificate).
   */
  readonly ThingName?: string;
  /**
   * Common name of the certificate's subject when there is no `ThingName`.
   */
  readonly CommonName?: string;
  /**
   * Prefix of the secret's name; the handler appends `r<Rotation>`. The name does not depend on
   * the stack, the logical id or the other properties: a replayed request, a rollback, a new
   * library property, a construct moved to another path, and a stack deleted (identities retained)
   * and deployed again all find the secret, and so the certificate, they had.
   */
  readonly SecretNamePrefix: string;
  /** Customer KMS key for the secret. Absent: the account's `aws/secretsmanager` key. */
  readonly KmsKeyArn?: string;
  /**
   * The rotation number, a non-negative integer as a string (absent: `0`). Only a change of it
   * creates a new certificate and key; every other change updates the existing one in place.
   */
  readonly Rotation?: string;
  /**
   * `retain` (absent too): Delete leaves the certificate and the secret as they are.
   * `destroy`: Delete detaches the thing, deactivates and deletes the certificate, and schedules
   * the secret's deletion with `RecoveryWindowInDays`.
   */
  readonly RemovalPolicy?: string;
  /** Recovery window of the secret's deletion, 7 to 30 (days). Absent: 30. */
  readonly RecoveryWindowInDays?: string;
}

/** The values of `RemovalPolicy`. */
export const REMOVAL_RETAIN = 'retain';
export const REMOVAL_DESTROY = 'destroy';

/** The default and the bounds of `RecoveryWindowInDays` (Secrets Manager DeleteSecret). */
export const DEFAULT_RECOVERY_WINDOW_DAYS = 30;
export const MIN_RECOVERY_WINDOW_DAYS = 7;
export const MAX_RECOVERY_WINDOW_DAYS = 30;

/** Attributes returned in `Data`: identifiers only, never key material. */
export const CERTIFICATE_ATTR_ID = 'CertificateId';
export const CERTIFICATE_ATTR_ARN = 'CertificateArn';
export const CERTIFICATE_ATTR_SECRET_ARN = 'SecretArn';

/** JSON keys of the secret's value (`SecretString`). */
export const SECRET_FIELD_CERTIFICATE = 'certificatePem';
export const SECRET_FIELD_PRIVATE_KEY = 'privateKey';

/** Tags on the secret: they name the certificate and the resource that owns it (for a sweep too). */
export const TAG_CERTIFICATE_ID = 'greengrass:certificateId';
export const TAG_CERTIFICATE_ARN = 'greengrass:certificateArn';
export const TAG_THING_NAME = 'greengrass:thingName';
/** Hash of the stack id and logical id of the resource that owns the identity now. */
export const TAG_OWNER = 'greengrass:owner';
/** The stack that created or last adopted the identity (for an orphan sweep). */
export const TAG_STACK_ID = 'greengrass:stackId';
/** Marks every secret the library's certificate handler creates. */
export const TAG_MANAGED_BY = 'greengrass:managedBy';
export const MANAGED_BY_VALUE = 'cdk-greengrass-v2';

/** What the handler appends to `SecretNamePrefix`: `r` and the rotation number. */
export function secretNameSuffix(rotation: string | undefined): string {
  return `r${rotation || '0'}`;
}
