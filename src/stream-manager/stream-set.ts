import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { StreamDefinition } from './stream-definition';
import { ComponentDeploymentBindOptions, ComponentDeploymentConfig, IComponent } from '../component/component';
import { PublicComponent } from '../component/public-component';
import { claimStreams } from './private/stream-claims';

/**
 * Properties of a set of streams.
 */
export interface StreamSetProps {
  /**
   * The streams. Names unique within the set; every status stream that an export names must be
   * in the set.
   */
  readonly streams: StreamDefinition[];
}

/**
 * Options for granting a stream set's exports.
 */
export interface StreamSetGrantOptions {
  /**
   * The role that the devices the streams are deployed to assume through the token exchange
   * service.
   *
   * @default - unknown: granting fails with an error, since the exports would stall on the devices
   */
  readonly deviceRole?: iam.IRole;
}

/**
 * Options for a component that creates a stream set's streams itself.
 */
export interface StreamSetComponentOptions {
  /**
   * The Stream Manager component deployed along with the component.
   *
   * @default PublicComponent.streamManager() - the latest version known to this library
   */
  readonly streamManager?: PublicComponent;
}

/**
 * The streams of one device, validated together: unique names, and every status stream that an
 * S3 export names defined in the set (it is created before the stream that reports to it).
 *
 * A `StreamProvisioner` deploys a set. To create the streams in your own component instead, put
 * `toConfiguration()` in its configuration (recipe default configuration or deployment merge),
 * deploy `forComponent(yourComponent)`, and have the component read the key `streams` over
 * Greengrass IPC (`GetConfiguration`) and pass each entry to `MessageStreamDefinition.from_dict`
 * (Python) or `MessageStreamDefinition.fromMap` (JavaScript).
 */
export class StreamSet {
  /**
   * The key under which the definitions are kept in a component's configuration.
   */
  public static readonly CONFIGURATION_KEY = 'streams';

  /**
   * The streams, in the order they are created on the device: status streams before the
   * streams that report to them, otherwise as given.
   */
  public readonly streams: StreamDefinition[];

  constructor(props: StreamSetProps) {
    if (props.streams.length === 0) {
      throw new Error('streams of a StreamSet must list at least one StreamDefinition, got none; add the streams the device needs');
    }
    const byName = new Map<string, StreamDefinition>();
    for (const stream of props.streams) {
      if (byName.has(stream.streamName)) {
        throw new Error(`stream name '${stream.streamName}' is defined twice in this set; stream names must be unique on a device: rename one of them`);
      }
      byName.set(stream.streamName, stream);
    }
    for (const stream of props.streams) {
      for (const statusName of stream.statusStreamNames()) {
        if (!byName.has(statusName)) {
          throw new Error(`stream '${stream.streamName}' reports to status stream '${statusName}', which is not in this set; add the StreamDefinition '${statusName}' to the same set (Stream Manager needs it to exist first)`);
        }
      }
    }
    this.streams = orderStatusStreamsFirst(props.streams, byName);
  }

  /**
   * The definitions in the Stream Manager wire format (`MessageStreamDefinition.asMap()`), in
   * creation order: the value of the `streams` configuration key.
   */
  public toWireFormat(): any[] {
    return this.streams.map(s => s.toWireFormat());
  }

  /**
   * The component configuration that holds the definitions: `{ streams: [...] }`.
   * Use it as (part of) a recipe's default configuration or a deployment's configuration merge.
   */
  public toConfiguration(): { [key: string]: any } {
    return { [StreamSet.CONFIGURATION_KEY]: this.toWireFormat() };
  }

  /**
   * Wraps your own component that creates these streams itself (from its configuration key
   * `streams`, see `toConfiguration()`): when a deployment includes the returned component, it
   * grants the devices' role what the exports need, fails when that role is unknown, and brings
   * Stream Manager along; then it binds your component as usual.
   *
   * Add the returned component to the deployment instead of yours, and put the definitions into
   * your component's configuration: `deployment.addComponent(set.forComponent(mine),
   * { configurationMerge: set.toConfiguration() })`, or `defaultConfiguration` of its recipe.
   */
  public forComponent(component: IComponent, options: StreamSetComponentOptions = {}): IComponent {
    return new StreamSetComponent(this, component, options.streamManager ?? PublicComponent.streamManager());
  }

  /**
   * Grants the devices' role what every export of the set needs.
   *
   * @throws when `options.deviceRole` is undefined: a stream whose exports cannot be granted
   * would stall silently on the devices
   */
  public grant(scope: Construct, options: StreamSetGrantOptions): void {
    if (!options.deviceRole) {
      const names = this.streams.filter(s => s.exports.length > 0).map(s => `'${s.streamName}'`);
      if (names.length === 0) {
        return;
      }
      throw new Error(`streams ${names.join(', ')} export to the cloud but the devices' role is unknown (deviceRole is undefined), so their exports cannot be granted and would stall on the devices; deploy them to a core device or fleet defined with this library, or give the deployment target a deviceRole`);
    }
    for (const stream of this.streams) {
      for (const e of stream.exports) {
        e.bind(scope, { deviceRole: options.deviceRole });
      }
    }
  }
}

/** A component that creates a stream set's streams: grants the exports and adds Stream Manager. */
class StreamSetComponent implements IComponent {
  public readonly componentName: string;
  public readonly componentVersion: string;

  constructor(private readonly set: StreamSet, private readonly inner: IComponent, private readonly streamManager: PublicComponent) {
    this.componentName = inner.componentName;
    this.componentVersion = inner.componentVersion;
  }

  public bindToDeployment(scope: Construct, options: ComponentDeploymentBindOptions): ComponentDeploymentConfig {
    claimStreams(scope, `component '${this.componentName}'`, this.set.toWireFormat());
    this.set.grant(scope, options);
    const own = this.inner.bindToDeployment(scope, options);
    return { components: [this.streamManager, ...(own.components ?? [])] };
  }
}

/** Depth-first order: every status stream before the streams that report to it. */
function orderStatusStreamsFirst(streams: StreamDefinition[], byName: Map<string, StreamDefinition>): StreamDefinition[] {
  const ordered: StreamDefinition[] = [];
  const done = new Set<string>();
  const visiting: string[] = [];
  const visit = (stream: StreamDefinition) => {
    if (done.has(stream.streamName)) {
      return;
    }
    if (visiting.includes(stream.streamName)) {
      const cycle = [...visiting.slice(visiting.indexOf(stream.streamName)), stream.streamName];
      throw new Error(`status streams form a cycle (${cycle.map(n => `'${n}'`).join(' -> ')}); a status stream cannot report, directly or not, to a stream that reports to it: give one of them a separate status stream`);
    }
    visiting.push(stream.streamName);
    for (const statusName of stream.statusStreamNames()) {
      visit(byName.get(statusName)!);
    }
    visiting.pop();
    done.add(stream.streamName);
    ordered.push(stream);
  };
  streams.forEach(visit);
  return ordered;
}
