/** CloudFormation resource type that reads the account's AWS IoT endpoints. */
export const IOT_ENDPOINTS_RESOURCE_TYPE = 'Custom::GreengrassV2IotEndpoints';

/** Attributes returned in `Data`. */
export const IOT_ENDPOINTS_ATTR_DATA = 'DataEndpoint';
export const IOT_ENDPOINTS_ATTR_CREDENTIAL = 'CredentialEndpoint';
