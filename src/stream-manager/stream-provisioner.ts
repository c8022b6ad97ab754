import * as path from 'path';
import { Names } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { StreamDefinition } from './stream-definition';
import { StreamSet } from './stream-set';
import { Artifact } from '../component/artifact';
import { ComponentDeploymentBindOptions, ComponentDeploymentConfig, IComponent } from '../component/component';
import { ComponentVersion } from '../component/component-version';
import { LifecycleStep } from '../component/lifecycle';
import { Platform, PlatformOs } from '../component/platform';
import { PublicComponent } from '../component/public-component';
import { DependencyType, Recipe } from '../component/recipe';
import { RecipeVariables } from '../component/recipe-variables';
import { claimStreams } from './private/stream-claims';

/** The device-side program: `resources/stream-provisioner/stream_provisioner.py` in this package. */
const PROVISIONER_SCRIPT = path.join(__dirname, '..', '..', 'resources', 'stream-provisioner', 'stream_provisioner.py');

/**
 * Properties of a `StreamProvisioner`.
 */
export interface StreamProvisionerProps {
  /**
   * The streams to create on the devices. Names unique; every status stream that an export
   * names must be in the list.
   */
  readonly streams: StreamDefinition[];

  /**
   * The provisioning component's name (unique in the account and region).
   *
   * @default - derived from the construct's path
   */
  readonly componentName?: string;

  /**
   * The Stream Manager component the deployment adds along with the provisioner.
   *
   * @default PublicComponent.streamManager() - the latest version known to this library
   */
  readonly streamManager?: PublicComponent;

  /**
   * The pip requirement of the Stream Manager SDK for Python that the Install step installs into
   * the component's virtual environment (the devices need `python3` with `venv` and access to
   * PyPI or a mirror).
   *
   * @default 'stream_manager>=1.1.1,<2'
   */
  readonly sdkRequirement?: string;

  /**
   * The pip requirement of the AWS IoT Device SDK for Python that the Install step installs into
   * the component's virtual environment: the program reads its configuration with it, over
   * Greengrass IPC (`GetConfiguration`, IPC client V2).
   *
   * @default 'awsiotsdk>=1.15.0,<2'
   */
  readonly ipcSdkRequirement?: string;
}

/**
 * A component that creates the Stream Manager streams of a device, and grants the devices' role
 * what their exports need.
 *
 * It is a Greengrass component version (`ComponentVersion`) whose configuration holds the stream
 * definitions under the key `streams`, in the Stream Manager wire format, and whose artifact is a
 * Python program that, on the device, reads that key over Greengrass IPC (`GetConfiguration`),
 * then creates each stream or updates it when its definition
 * changed (idempotently), status streams first, logging each failure and exiting with an error if
 * any stream failed. It depends on `aws.greengrass.StreamManager`, which a deployment that includes
 * the provisioner adds too. Linux devices.
 *
 * A deployment whose target's device role is unknown fails at synthesis: exports that cannot be
 * granted would stall silently on the devices.
 */
export class StreamProvisioner extends Construct implements IComponent {
  /** The component's name. */
  public readonly componentName: string;

  /** The component's version. */
  public readonly componentVersion: string;

  /** The component version resource. */
  public readonly component: ComponentVersion;

  /** The streams, validated together, in creation order. */
  public readonly streamSet: StreamSet;

  /** The Stream Manager component deployed with the provisioner. */
  public readonly streamManager: PublicComponent;

  constructor(scope: Construct, id: string, props: StreamProvisionerProps) {
    super(scope, id);
    this.streamSet = new StreamSet({ streams: props.streams });
    this.streamManager = props.streamManager ?? PublicComponent.streamManager();
    const componentName = props.componentName ?? Names.uniqueResourceName(this, { maxLength: 120, separator: '-' });
    const script = Artifact.fromAsset(PROVISIONER_SCRIPT);
    const venv = `${RecipeVariables.workPath()}/venv`;

    const recipe = Recipe.of({
      componentName,
      componentVersion: '1.0.0',
      description: 'Creates or updates the Stream Manager streams defined in its configuration (key "streams").',
      publisher: 'cdk-greengrass-v2',
      defaultConfiguration: {
        [StreamSet.CONFIGURATION_KEY]: this.streamSet.toWireFormat(),
        sdkRequirement: props.sdkRequirement ?? 'stream_manager>=1.1.1,<2',
        ipcSdkRequirement: props.ipcSdkRequirement ?? 'awsiotsdk>=1.15.0,<2',
      },
      dependencies: {
        [this.streamManager.componentName]: { versionRequirement: '^2.0.0', dependencyType: DependencyType.HARD },
      },
      manifests: [{
        platform: Platform.of({ os: PlatformOs.LINUX }),
        artifacts: [script],
        lifecycle: {
          install: LifecycleStep.script(`python3 -m venv ${venv} && ${venv}/bin/python -m pip install --quiet `
            + `"${RecipeVariables.configuration('/sdkRequirement')}" "${RecipeVariables.configuration('/ipcSdkRequirement')}"`),
          run: LifecycleStep.script(`${venv}/bin/python -u ${script.path}`),
        },
      }],
    });

    this.component = new ComponentVersion(this, 'Component', { recipe });
    this.componentName = this.component.componentName;
    this.componentVersion = this.component.componentVersion;
  }

  /**
   * Grants the devices' role what the streams' exports and the component's artifact need, and
   * brings Stream Manager along.
   *
   * @throws when the deployment knows no device role
   */
  public bindToDeployment(scope: Construct, options: ComponentDeploymentBindOptions): ComponentDeploymentConfig {
    if (!options.deviceRole) {
      throw new Error(`StreamProvisioner '${this.node.path}' is deployed to a target whose device role is unknown (deviceRole is undefined): its streams' exports cannot be granted and would stall on the devices, and the devices could not download the provisioner; deploy to a CoreDevice or fleet defined with this library, or pass deviceRole to the Deployment's target`);
    }
    claimStreams(scope, `StreamProvisioner '${this.node.path}'`, this.streamSet.toWireFormat());
    this.streamSet.grant(scope, options);
    const own = this.component.bindToDeployment(scope, options);
    return { components: [this.streamManager, ...(own.components ?? [])] };
  }
}
