/** CloudFormation resource type of the Greengrass service-role association. */
export const SERVICE_ROLE_RESOURCE_TYPE = 'Custom::GreengrassV2ServiceRoleAssociation';

/** Properties shared by the construct and the handler. */
export interface ServiceRoleAssociationProperties {
  /** ARN of the role to associate with Greengrass in this account and region. */
  readonly RoleArn: string;
}

/** Attributes returned in `Data`. */
export const SERVICE_ROLE_ATTR_ROLE_ARN = 'RoleArn';
