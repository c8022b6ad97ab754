import { Construct } from 'constructs';
import * as semver from 'semver';
import { ComponentDeploymentBindOptions, ComponentDeploymentConfig, IComponent } from './component';
import { PUBLIC_COMPONENT_VERSIONS } from './private/component-public-catalog';
import { COMPONENT_NAME_PATTERN } from './private/recipe-validate';

/**
 * An AWS-provided public component (for example `aws.greengrass.Nucleus`), referred to by name and a
 * version requirement.
 *
 * A deployment installs one exact version: a requirement such as `^2.1.0` resolves at synth time to
 * the highest matching version in the catalog of released versions the library ships
 * (`PublicComponent.knownVersions`); an exact version is used as given, listed or not, so versions
 * released after this library work too.
 */
export class PublicComponent implements IComponent {
  /** `aws.greengrass.Nucleus`. */
  public static nucleus(versionRequirement?: string): PublicComponent {
    return PublicComponent.of('aws.greengrass.Nucleus', versionRequirement);
  }

  /** `aws.greengrass.StreamManager`. */
  public static streamManager(versionRequirement?: string): PublicComponent {
    return PublicComponent.of('aws.greengrass.StreamManager', versionRequirement);
  }

  /** `aws.greengrass.TokenExchangeService`. */
  public static tokenExchangeService(versionRequirement?: string): PublicComponent {
    return PublicComponent.of('aws.greengrass.TokenExchangeService', versionRequirement);
  }

  /** `aws.greengrass.SecretManager`. */
  public static secretManager(versionRequirement?: string): PublicComponent {
    return PublicComponent.of('aws.greengrass.SecretManager', versionRequirement);
  }

  /** `aws.greengrass.LogManager`. */
  public static logManager(versionRequirement?: string): PublicComponent {
    return PublicComponent.of('aws.greengrass.LogManager', versionRequirement);
  }

  /** `aws.greengrass.ShadowManager`. */
  public static shadowManager(versionRequirement?: string): PublicComponent {
    return PublicComponent.of('aws.greengrass.ShadowManager', versionRequirement);
  }

  /** `aws.greengrass.Cli` (for development devices only). */
  public static cli(versionRequirement?: string): PublicComponent {
    return PublicComponent.of('aws.greengrass.Cli', versionRequirement);
  }

  /** `aws.greengrass.DockerApplicationManager`. */
  public static dockerApplicationManager(versionRequirement?: string): PublicComponent {
    return PublicComponent.of('aws.greengrass.DockerApplicationManager', versionRequirement);
  }

  /** `aws.greengrass.clientdevices.Auth`. */
  public static clientDeviceAuth(versionRequirement?: string): PublicComponent {
    return PublicComponent.of('aws.greengrass.clientdevices.Auth', versionRequirement);
  }

  /** `aws.greengrass.clientdevices.mqtt.Moquette` (MQTT 3.1.1 broker). */
  public static moquetteBroker(versionRequirement?: string): PublicComponent {
    return PublicComponent.of('aws.greengrass.clientdevices.mqtt.Moquette', versionRequirement);
  }

  /** `aws.greengrass.clientdevices.mqtt.EMQX` (MQTT 5 broker). */
  public static emqxBroker(versionRequirement?: string): PublicComponent {
    return PublicComponent.of('aws.greengrass.clientdevices.mqtt.EMQX', versionRequirement);
  }

  /** `aws.greengrass.clientdevices.mqtt.Bridge`. */
  public static mqttBridge(versionRequirement?: string): PublicComponent {
    return PublicComponent.of('aws.greengrass.clientdevices.mqtt.Bridge', versionRequirement);
  }

  /** `aws.greengrass.clientdevices.IPDetector`. */
  public static ipDetector(versionRequirement?: string): PublicComponent {
    return PublicComponent.of('aws.greengrass.clientdevices.IPDetector', versionRequirement);
  }

  /**
   * `aws.greengrass.SystemsManagerAgent` (Linux core devices; set its `SSMRegistrationRole` configuration).
   */
  public static systemsManagerAgent(versionRequirement?: string): PublicComponent {
    return PublicComponent.of('aws.greengrass.SystemsManagerAgent', versionRequirement);
  }

  /** `aws.greengrass.SecureTunneling` (AWS IoT secure tunneling to the core device). */
  public static secureTunneling(versionRequirement?: string): PublicComponent {
    return PublicComponent.of('aws.greengrass.SecureTunneling', versionRequirement);
  }

  /**
   * Any public component by name.
   *
   * @param componentName for example `aws.greengrass.LogManager`
   * @param versionRequirement an exact version (`2.3.7`) or an npm-style range (`^2.3.0`, `>=2.1.0 <3.0.0`);
   * default: the highest known version
   */
  public static of(componentName: string, versionRequirement?: string): PublicComponent {
    if (!COMPONENT_NAME_PATTERN.test(componentName)) {
      throw new Error(`public component name '${componentName}' is invalid: use 1-128 characters of [a-zA-Z0-9-_.], for example 'aws.greengrass.LogManager'`);
    }
    const known = PublicComponent.knownVersions(componentName);
    if (versionRequirement !== undefined && semver.valid(versionRequirement) === versionRequirement) {
      return new PublicComponent(componentName, versionRequirement);
    }
    const range = versionRequirement ?? '*';
    if (semver.validRange(range) === null) {
      throw new Error(`version requirement '${range}' of public component '${componentName}' is not a semver range: use an exact version such as '2.1.0' or a range such as '^2.1.0'`);
    }
    if (known.length === 0) {
      throw new Error(`the library knows no released version of '${componentName}': pass an exact version, for example PublicComponent.of('${componentName}', '2.0.0')`);
    }
    const best = semver.maxSatisfying(known, range);
    if (best === null) {
      throw new Error(`no known version of '${componentName}' satisfies '${range}' (known: ${known.join(', ')}): pass an exact version to use one released after this library`);
    }
    return new PublicComponent(componentName, best);
  }

  /**
   * The released versions of a public component known to this library, lowest first.
   */
  public static knownVersions(componentName: string): string[] {
    const list = PUBLIC_COMPONENT_VERSIONS[componentName] ?? [];
    return [...list].sort(semver.compare);
  }

  /** The component's name. */
  public readonly componentName: string;
  /** The exact version a deployment installs. */
  public readonly componentVersion: string;

  private constructor(componentName: string, componentVersion: string) {
    this.componentName = componentName;
    this.componentVersion = componentVersion;
  }

  /**
   * Public components need nothing from the deployment.
   */
  public bindToDeployment(_scope: Construct, _options: ComponentDeploymentBindOptions): ComponentDeploymentConfig {
    return {};
  }
}
