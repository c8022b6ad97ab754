/** CloudFormation resource type of the membership of things in one thing group. */
export const THING_GROUP_MEMBERSHIP_RESOURCE_TYPE = 'Custom::GreengrassV2ThingGroupMembership';

/** Properties shared by the construct and the handler. */
export interface ThingGroupMembershipProperties {
  readonly ThingGroupName: string;
  readonly ThingNames: string[];
}
