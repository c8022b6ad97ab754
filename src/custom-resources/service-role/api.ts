/** CloudFormation resource type of the Greengrass service-role association. */
export const SERVICE_ROLE_RESOURCE_TYPE = 'Custom::GreengrassV2ServiceRoleAssociation';

/** Properties shared by the construct and the handler. */
export interface ServiceRoleAssociationProperties {
  /** ARN of the role to associate with Greengrass in this account and region. */
  readonly RoleArn: string;
  /**
   * `'true'`: replace a role another stack or person associated (it is recorded and restored on
   * Delete). Absent: fail when another role is associated.
   */
  readonly ReplaceExisting?: string;
}

/**
 * Separator in the physical id between our role and the role that was associated before
 * (`<roleArn>|<previousRoleArn>`): IAM role ARNs never contain `|`.
 */
export const PREVIOUS_ROLE_SEPARATOR = '|';

/** Attributes returned in `Data`. */
export const SERVICE_ROLE_ATTR_ROLE_ARN = 'RoleArn';
/** The role that was associated before this resource replaced it (empty: none). */
export const SERVICE_ROLE_ATTR_PREVIOUS_ROLE_ARN = 'PreviousRoleArn';
