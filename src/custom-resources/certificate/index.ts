import { CustomResource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  CERTIFICATE_ATTR_ARN, CERTIFICATE_ATTR_ID, CERTIFICATE_ATTR_SECRET_ARN, CERTIFICATE_RESOURCE_TYPE, GeneratedCertificateProperties,
} from './api';
import { CertificateFunction } from './certificate-function';
import { iotArn } from '../private/arns';
import { SharedProvider } from '../private/provider';

/** Properties of `GeneratedCertificate`. */
export interface GeneratedCertificateProps {
  /** The thing (usually its `Ref`, so that the certificate is made after it). */
  readonly thingName: string;
  /**
   * The thing name as written, when known at synth time: it names the secret (`greengrass/<name>/...`)
   * and scopes the handler's access to it.
   * @default - `thingName`
   */
  readonly secretNameBase?: string;
  readonly encryptionKey?: kms.IKey;
}

/**
 * An X.509 certificate whose keys AWS IoT generates, with its private key stored in a Secrets
 * Manager secret. Internal: `CoreDevice` creates it for `CoreDeviceCertificate.generated()`.
 * Only identifiers go through CloudFormation.
 */
export class GeneratedCertificate extends Construct {
  public readonly certificateId: string;
  public readonly certificateArn: string;
  public readonly secret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: GeneratedCertificateProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const base = props.secretNameBase ?? props.thingName;
    // Secret names allow [A-Za-z0-9/_+=.@-]: the ':' thing names may contain becomes '.', which
    // thing names never contain (so two things never share a prefix).
    const prefix = `greengrass/${Token.isUnresolved(base) ? base : base.replace(/:/g, '.')}/certificate-`;
    const provider = SharedProvider.getOrCreate(this, {
      id: 'GreengrassV2CertificateProvider',
      onEvent: (s, i, p) => new CertificateFunction(s, i, p),
    });
    provider.grant(new iam.PolicyStatement({
      // CreateKeysAndCertificate has no resource type.
      actions: ['iot:CreateKeysAndCertificate'],
      resources: ['*'],
    }));
    provider.grant(new iam.PolicyStatement({
      // The certificate id is known only once created.
      actions: ['iot:DescribeCertificate', 'iot:UpdateCertificate', 'iot:DeleteCertificate'],
      resources: [iotArn(this, 'cert/*')],
    }));
    provider.grant(new iam.PolicyStatement({
      actions: ['iot:DetachThingPrincipal'],
      resources: [iotArn(this, `thing/${props.thingName}`)],
    }));
    provider.grant(new iam.PolicyStatement({
      actions: ['secretsmanager:CreateSecret', 'secretsmanager:DescribeSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:TagResource'],
      resources: [`arn:${stack.partition}:secretsmanager:${stack.region}:${stack.account}:secret:${prefix}*`],
    }));
    if (props.encryptionKey) {
      props.encryptionKey.grant(provider.onEventFunction, 'kms:GenerateDataKey', 'kms:Decrypt');
    }

    const properties: GeneratedCertificateProperties = {
      ThingName: props.thingName,
      SecretNamePrefix: prefix,
      ...(props.encryptionKey ? { KmsKeyArn: props.encryptionKey.keyArn } : {}),
    };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: CERTIFICATE_RESOURCE_TYPE,
      properties,
    });
    this.certificateId = resource.getAttString(CERTIFICATE_ATTR_ID);
    this.certificateArn = resource.getAttString(CERTIFICATE_ATTR_ARN);
    this.secret = secretsmanager.Secret.fromSecretAttributes(this, 'Secret', {
      secretCompleteArn: resource.getAttString(CERTIFICATE_ATTR_SECRET_ARN),
      encryptionKey: props.encryptionKey,
    });
  }
}
