import { CfnComponentVersion } from 'aws-cdk-lib/aws-greengrassv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ComponentDeploymentBindOptions, ComponentDeploymentConfig, IComponent } from '../../src/component/component';

/** A component with fixed name and version that records how it was bound. */
export class FakeComponent implements IComponent {
  public readonly binds: Array<{ scope: Construct; options: ComponentDeploymentBindOptions }> = [];

  constructor(
    public readonly componentName: string,
    public readonly componentVersion: string,
    private readonly dependencies: IComponent[] = []) {}

  public bindToDeployment(scope: Construct, options: ComponentDeploymentBindOptions): ComponentDeploymentConfig {
    this.binds.push({ scope, options });
    return { components: this.dependencies };
  }
}

/**
 * A component version defined in the template, exposing its version as a token the way a
 * `ComponentVersion` does, and granting the device role read access to an artifact object.
 */
export class TokenComponent extends Construct implements IComponent {
  public readonly componentName: string;
  public readonly componentVersion: string;
  public readonly resource: CfnComponentVersion;

  constructor(scope: Construct, id: string, name: string) {
    super(scope, id);
    this.componentName = name;
    this.resource = new CfnComponentVersion(this, 'Resource', {
      inlineRecipe: JSON.stringify({
        RecipeFormatVersion: '2020-01-25',
        ComponentName: name,
        ComponentVersion: '1.0.0',
        Manifests: [{ Platform: { os: 'linux' }, Lifecycle: { run: 'echo hello' } }],
      }),
    });
    this.componentVersion = this.resource.attrComponentVersion;
  }

  public bindToDeployment(_scope: Construct, options: ComponentDeploymentBindOptions): ComponentDeploymentConfig {
    if (!options.deviceRole) {
      throw new Error(`component ${this.componentName} needs a device role`);
    }
    options.deviceRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::artifacts-bucket/' + this.componentName + '/*'],
    }));
    return {};
  }
}
