import { Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Options of `CoreDeviceCertificate.generated()`.
 */
export interface GeneratedCertificateOptions {
  /**
   * Customer KMS key that encrypts the secret holding the private key.
   * @default - the account's `aws/secretsmanager` key
   */
  readonly encryptionKey?: kms.IKey;
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
   * AWS IoT generates the key pair and the certificate at deploy time; the certificate and the
   * private key are stored in a Secrets Manager secret (`certificateSecret`), never in the template,
   * stack outputs or logs.
   */
  public static generated(options: GeneratedCertificateOptions = {}): CoreDeviceCertificate {
    return new GeneratedKeysCertificate(options.encryptionKey);
  }

  /** The certificate signing request, for `fromCsr`. */
  public abstract readonly csrPem?: string;

  /** The customer KMS key for the secret, for `generated`. */
  public abstract readonly encryptionKey?: kms.IKey;

  /** Whether AWS IoT generates the keys. */
  public abstract readonly keysGenerated: boolean;
}

class CsrCertificate extends CoreDeviceCertificate {
  public readonly encryptionKey?: kms.IKey = undefined;
  public readonly keysGenerated = false;
  constructor(public readonly csrPem: string) {
    super();
  }
}

class GeneratedKeysCertificate extends CoreDeviceCertificate {
  public readonly csrPem?: string = undefined;
  public readonly keysGenerated = true;
  constructor(public readonly encryptionKey?: kms.IKey) {
    super();
  }
}
