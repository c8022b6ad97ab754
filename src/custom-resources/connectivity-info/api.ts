/** CloudFormation resource type of a core device's connectivity information. */
export const CONNECTIVITY_INFO_RESOURCE_TYPE = 'Custom::GreengrassV2ConnectivityInfo';

/** One endpoint, as CloudFormation passes it (numbers arrive as strings). */
export interface ConnectivityEndpointProperties {
  readonly Id: string;
  readonly HostAddress: string;
  readonly PortNumber: string;
  readonly Metadata?: string;
}

/** Properties shared by the construct and the handler. */
export interface ConnectivityInfoProperties {
  readonly ThingName: string;
  readonly ConnectivityInfo: ConnectivityEndpointProperties[];
}
