import { Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Options of `CoreDeviceCertificate.generated()`.
 */
export interface GeneratedCertificateOptions {
  /**
   * Customer managed KMS key that encrypts the secret holding the private key. Changing it
   * re-encrypts the stored key in place (Secrets Manager UpdateSecret): the certificate stays.
   * @default - the stack's device-key KMS key, created once per stack (rotation on, retained on
   * deletion), so that `secretsmanager:GetSecretValue` alone never reads a device key
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The rotation number of the certificate: increase it (for example from 0 to 1) to replace the
   * certificate and key. It is the only change that does: a new KMS key, a new library version, or
   * a construct moved to another path keep the certificate. What happens to the previous
   * certificate follows the device's `removalPolicy` (README, "What each change does to a device").
   * @default 0
   */
  readonly rotation?: number;
}

/**
 * Where a core device's X.509 certificate comes from.
 */
export abstract class CoreDeviceCertificate {
  /**
   * AWS IoT signs a certificate signing request that you made on the device: the private key never
   * leaves the device (`AWS::IoT::Certificate`).
   *
   * @param csrPem the PEM-encoded certificate signing request
   */
  public static fromCsr(csrPem: string): CoreDeviceCertificate {
    if (!Token.isUnresolved(csrPem) && !/-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(csrPem)) {
      throw new Error('csrPem is not a PEM certificate signing request: it must contain \'-----BEGIN CERTIFICATE REQUEST-----\' (openssl req -new -key device.key -out device.csr)');
    }
    if (!Token.isUnresolved(csrPem) && /PRIVATE KEY-----/.test(csrPem)) {
      throw new Error('csrPem contains a private key: pass only the certificate signing request, and keep the key on the device');
    }
    return new CsrCertificate(csrPem);
  }

  /**
   * A key pair and CSR generated at deploy time by the library's handler, signed by AWS IoT
   * (CreateCertificateFromCsr); the certificate and the private key are stored in a Secrets
   * Manager secret (`certificateSecret`), never in the template, stack outputs or logs.
   *
   * @throws if `rotation` is not a whole number from 0
   */
  public static generated(options: GeneratedCertificateOptions = {}): CoreDeviceCertificate {
    const rotation = options.rotation ?? 0;
    if (!Token.isUnresolved(rotation) && (!Number.isInteger(rotation) || rotation < 0 || rotation > 999_999_999)) {
      throw new Error(`rotation is ${rotation}: use a whole number from 0 (increase it by one to rotate the certificate)`);
    }
    return new GeneratedKeysCertificate(options.encryptionKey, rotation);
  }

  /** The certificate signing request, for `fromCsr`. */
  public abstract readonly csrPem?: string;

  /** The customer KMS key for the secret, for `generated`. */
  public abstract readonly encryptionKey?: kms.IKey;

  /** Whether the keys are generated at deploy time (`generated`). */
  public abstract readonly keysGenerated: boolean;

  /** The rotation number, for `generated`. */
  public abstract readonly rotation?: number;
}

class CsrCertificate extends CoreDeviceCertificate {
  public readonly encryptionKey?: kms.IKey = undefined;
  public readonly rotation?: number = undefined;
  public readonly keysGenerated = false;
  constructor(public readonly csrPem: string) {
    super();
  }
}

class GeneratedKeysCertificate extends CoreDeviceCertificate {
  public readonly csrPem?: string = undefined;
  public readonly keysGenerated = true;
  constructor(public readonly encryptionKey: kms.IKey | undefined, public readonly rotation: number) {
    super();
  }
}
