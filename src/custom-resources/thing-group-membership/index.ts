import { CustomResource, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { THING_GROUP_MEMBERSHIP_RESOURCE_TYPE, ThingGroupMembershipProperties } from './api';
import { ThingGroupMembershipFunction } from './thing-group-membership-function';
import { iotArn } from '../../private/arns';
import { describeName } from '../../private/describe-name';
import { SharedProvider } from '../../private/provider';
import { applyOnDeletion, keptOrDeleted } from '../../private/removal-policy';

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

  /**
   * What removing this construct (or deleting the stack) does: `DESTROY` removes its things from the
   * group (RemoveThingFromThingGroup); `RETAIN` leaves them in it (no Delete reaches the handler), so
   * that devices keep the deployments of their group. Updates apply either way: a thing removed from
   * the list leaves the group, and a new `thingGroupName` moves the things (the old membership is
   * undone).
   * @default RemovalPolicy.DESTROY
   * @throws if not RETAIN or DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Things in a static thing group (AddThingToThingGroup; RemoveThingFromThingGroup on removal),
 * which CloudFormation cannot express.
 */
export class ThingGroupMembership extends Construct {
  private readonly thingNames: string[] = [];
  private readonly provider: SharedProvider;
  private readonly thingGroupName: string;
  private emptyMessage: () => string;

  constructor(scope: Construct, id: string, props: ThingGroupMembershipProps) {
    super(scope, id);
    const removalPolicy = keptOrDeleted('removalPolicy', props.removalPolicy, RemovalPolicy.DESTROY, 'a thing group membership');
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
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.serviceToken,
      resourceType: THING_GROUP_MEMBERSHIP_RESOURCE_TYPE,
      properties,
    });
    applyOnDeletion(resource, removalPolicy);
    this.emptyMessage = () => `ThingGroupMembership ${this.node.path} of ${describeName('thing group', props.thingGroupName)} has no thing: `
      + 'pass thingNames or call addThing()';
    this.node.addValidation({ validate: () => (this.thingNames.length === 0 ? [this.emptyMessage()] : []) });
    for (const t of props.thingNames ?? []) this.addThing(t);
  }

  /**
   * What to report when no thing was added, for a construct that adds things through a method of its
   * own (a fleet's `addCoreDevice()`): the error names the construct and method the user called.
   * @internal
   */
  public _reportEmptyAs(message: () => string): void {
    this.emptyMessage = message;
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
