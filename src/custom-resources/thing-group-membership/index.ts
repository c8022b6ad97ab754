import { CustomResource, Lazy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { THING_GROUP_MEMBERSHIP_RESOURCE_TYPE, ThingGroupMembershipProperties } from './api';
import { ThingGroupMembershipFunction } from './thing-group-membership-function';
import { iotArn } from '../../private/arns';
import { SharedProvider } from '../../private/provider';

/**
 * Properties of `ThingGroupMembership`.
 */
export interface ThingGroupMembershipProps {
  /** Name of the (static) thing group. */
  readonly thingGroupName: string;

  /**
   * Thing names to add to the group. More can be added with `addThing()`.
   * @default - none
   */
  readonly thingNames?: string[];
}

/**
 * Things in a static thing group (AddThingToThingGroup; RemoveThingFromThingGroup on removal),
 * which CloudFormation cannot express.
 */
export class ThingGroupMembership extends Construct {
  private readonly thingNames: string[] = [];
  private readonly provider: SharedProvider;
  private readonly thingGroupName: string;

  constructor(scope: Construct, id: string, props: ThingGroupMembershipProps) {
    super(scope, id);
    this.thingGroupName = props.thingGroupName;
    this.provider = SharedProvider.getOrCreate(this, {
      id: 'GreengrassV2ThingGroupMembershipProvider',
      onEvent: (s, i, p) => new ThingGroupMembershipFunction(s, i, p),
      readsStack: true,
    });
    const properties: ThingGroupMembershipProperties = {
      ThingGroupName: props.thingGroupName,
      ThingNames: Lazy.list({ produce: () => this.thingNames }) as string[],
    };
    new CustomResource(this, 'Resource', {
      serviceToken: this.provider.serviceToken,
      resourceType: THING_GROUP_MEMBERSHIP_RESOURCE_TYPE,
      properties,
    });
    this.node.addValidation({
      validate: () => this.thingNames.length === 0
        ? [`thing group membership of '${props.thingGroupName}' has no thing: pass thingNames or call addThing()`]
        : [],
    });
    for (const t of props.thingNames ?? []) this.addThing(t);
  }

  /**
   * Adds a thing to the group, and grants the handler exactly that thing and group.
   */
  public addThing(thingName: string): void {
    if (this.thingNames.includes(thingName)) return;
    this.thingNames.push(thingName);
    this.provider.grant(new iam.PolicyStatement({
      actions: ['iot:AddThingToThingGroup', 'iot:RemoveThingFromThingGroup'],
      resources: [iotArn(this, `thinggroup/${this.thingGroupName}`), iotArn(this, `thing/${thingName}`)],
    }));
  }
}
