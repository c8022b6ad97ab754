/**
 * IAM actions of the fleet waiter, in one place.
 */

/** Read the deployment (its IoT job ID and ARN): on the deployment's ARN. */
export const READ_DEPLOYMENT = ['greengrass:GetDeployment'];

/** Poll the IoT job and name failing devices: on the account's and region's job ARNs (`job/*`). */
export const READ_JOB = ['iot:DescribeJob', 'iot:ListJobExecutionsForJob', 'iot:DescribeJobExecution'];

/** DescribeJobExecution also authorizes on the thing: on the target thing, or the region's things for a group. */
export const READ_JOB_EXECUTION_THING = ['iot:DescribeJobExecution'];

/**
 * CancelDeployment: on the deployment's ARN; Greengrass then cancels the IoT job on the caller's
 * behalf. Its dependent actions, as the Service Authorization Reference lists them
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsiotgreengrassv2.html).
 */
export const CANCEL_DEPLOYMENT = ['greengrass:CancelDeployment'];
export const CANCEL_DEPLOYMENT_IOT = [
  'iot:CancelJob', 'iot:DeleteThingShadow', 'iot:DescribeJob', 'iot:DescribeThing', 'iot:DescribeThingGroup', 'iot:GetThingShadow',
  'iot:UpdateJob', 'iot:UpdateThingShadow',
];

/**
 * ListDeployments and CreateDeployment have no resource-level permissions in Greengrass V2 (`*`);
 * CreateDeployment needs the IoT job and shadow calls Greengrass makes on the caller's behalf, on
 * the target and the region's jobs.
 */
export const REMOVE_COMPONENTS = ['greengrass:ListDeployments', 'greengrass:CreateDeployment'];
export const REMOVE_COMPONENTS_IOT = [
  'iot:CreateJob', 'iot:CancelJob', 'iot:DescribeJob', 'iot:UpdateJob', 'iot:DescribeThing', 'iot:DescribeThingGroup',
  'iot:GetThingShadow', 'iot:UpdateThingShadow', 'iot:DeleteThingShadow',
];
