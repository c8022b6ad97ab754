import { CustomResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { SERVICE_ROLE_RESOURCE_TYPE, ServiceRoleAssociationProperties } from './api';
import { ServiceRoleFunction } from './service-role-function';
import { acknowledgeWildcardResources } from '../../private/nag';
import { SharedProvider } from '../../private/provider';

/**
 * Properties of `GreengrassServiceRole`.
 */
export interface GreengrassServiceRoleProps {
  /**
   * The role to associate. It must trust `greengrass.amazonaws.com` and allow what the Greengrass
   * features you use need (for client devices: `iot:DescribeCertificate`; for connectivity
   * information: `iot:GetThingShadow`, `iot:UpdateThingShadow`, `iot:DeleteThingShadow` on
   * `thing/*-gci`).
   *
   * @default - a role trusted by `greengrass.amazonaws.com` only for this account and region
   * (`aws:SourceAccount`, `aws:SourceArn` conditions), allowed `iot:DescribeCertificate` (client
   * devices) and the shadow actions on the `<thing>-gci` connectivity-information shadows
   */
  readonly role?: iam.IRole;

  /**
   * Replace a service role that is already associated with the account in this region (by
   * another stack, or by hand). The replaced role is recorded and associated again when this
   * construct is removed; the handler may then pass any role of the account to Greengrass
   * (`iam:PassRole` on `role/*`, only to `greengrass.amazonaws.com`), since the previous role is
   * known only at deploy time.
   * @default false - the deployment fails, naming the associated role, when it is not this one
   */
  readonly replaceExistingAssociation?: boolean;
}

/**
 * The Greengrass service role of this account and region, associated with
 * AssociateServiceRoleToAccount. Greengrass uses it to verify client devices and manage
 * connectivity information.
 *
 * There is one association per account and region: define this construct in one stack only.
 * It never replaces an association silently: when another role is associated the deployment
 * fails, unless `replaceExistingAssociation` is set (the previous role is then restored when this
 * construct is removed). Removing it changes nothing unless its role is still the associated one.
 */
export class GreengrassServiceRole extends Construct {
  /** The associated role. */
  public readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: GreengrassServiceRoleProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const marker = 'GreengrassV2ServiceRoleMarker';
    if (stack.node.tryFindChild(marker)) {
      throw new Error(`only one GreengrassServiceRole can be defined per stack (${stack.stackName}), and one per account and region: reuse the existing one`);
    }
    new Construct(stack, marker);

    const clientCertificates = `arn:${stack.partition}:iot:${stack.region}:${stack.account}:cert/*`;
    const connectivityShadows = `arn:${stack.partition}:iot:${stack.region}:${stack.account}:thing/*-gci`;
    this.role = props.role ?? new iam.Role(this, 'Role', {
      description: 'AWS IoT Greengrass V2 service role',
      assumedBy: new iam.ServicePrincipal('greengrass.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:greengrass:${stack.region}:${stack.account}:*` },
        },
      }),
      inlinePolicies: {
        ClientDeviceAuth: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({
            actions: ['iot:DescribeCertificate'],
            resources: [clientCertificates],
          })],
        }),
        // Greengrass keeps a core device's connectivity information in the `<thing>-gci` shadow and
        // writes it with this role (UpdateConnectivityInfo, the IP detector).
        ConnectivityInfo: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({
            actions: ['iot:GetThingShadow', 'iot:UpdateThingShadow', 'iot:DeleteThingShadow'],
            resources: [connectivityShadows],
          })],
        }),
      },
    });

    if (!props.role) {
      acknowledgeWildcardResources(this.role, [clientCertificates],
        'Greengrass verifies the certificates of client devices, which are not known to the stack, with iot:DescribeCertificate (read only)');
      acknowledgeWildcardResources(this.role, [connectivityShadows],
        "Greengrass keeps each core device's connectivity information in its <thing>-gci shadow; the service role is one per account and region, "
        + 'for every core device, and may use only those shadows');
    }

    const provider = SharedProvider.getOrCreate(this, {
      id: 'GreengrassV2ServiceRoleProvider',
      onEvent: (s, i, p) => new ServiceRoleFunction(s, i, p),
      readsStack: true,
    });
    provider.grant(new iam.PolicyStatement({
      // These account-level actions have no resource type: they cannot be scoped further.
      actions: ['greengrass:AssociateServiceRoleToAccount', 'greengrass:DisassociateServiceRoleFromAccount', 'greengrass:GetServiceRoleForAccount'],
      resources: ['*'],
    }), 'greengrass:AssociateServiceRoleToAccount, GetServiceRoleForAccount and DisassociateServiceRoleFromAccount are account-level actions '
      + 'with no resource type: IAM allows them only on *');
    provider.grantPassRole(this.role, 'greengrass.amazonaws.com');
    if (props.replaceExistingAssociation) {
      // To associate the replaced role again on delete; its ARN is known only at deploy time.
      provider.grant(new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [`arn:${stack.partition}:iam::${stack.account}:role/*`],
        conditions: { StringEquals: { 'iam:PassedToService': 'greengrass.amazonaws.com' } },
      }), 'replaceExistingAssociation: on delete the handler associates again the role that was associated before, whose ARN it reads '
        + 'at deploy time; iam:PassRole only to greengrass.amazonaws.com');
    }

    const properties: ServiceRoleAssociationProperties = {
      RoleArn: this.role.roleArn,
      ...(props.replaceExistingAssociation ? { ReplaceExisting: 'true' } : {}),
    };
    new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: SERVICE_ROLE_RESOURCE_TYPE,
      properties,
    });
  }
}
