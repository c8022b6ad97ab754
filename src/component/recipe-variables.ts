import { COMPONENT_NAME_PATTERN as COMPONENT_NAME } from './private/recipe-validate';

function prefix(componentName: string | undefined, what: string): string {
  if (componentName === undefined) return '';
  if (!COMPONENT_NAME.test(componentName)) {
    throw new Error(`recipe variable ${what}: component name '${componentName}' is invalid: pass 1-128 characters of [a-zA-Z0-9-_.]`);
  }
  return `${componentName}:`;
}

/**
 * Recipe variables the nucleus replaces in lifecycle scripts and configuration
 * (for example `{artifacts:path}`). Pass `componentName` to read another component's value; it must
 * be a dependency of this component.
 */
export class RecipeVariables {
  /**
   * `{artifacts:path}`: the folder of the component's artifacts (read-only on the device).
   */
  public static artifactsPath(componentName?: string): string {
    return `{${prefix(componentName, 'artifacts:path')}artifacts:path}`;
  }

  /**
   * `{artifacts:decompressedPath}`: the folder where ZIP artifacts are unpacked.
   */
  public static artifactsDecompressedPath(componentName?: string): string {
    return `{${prefix(componentName, 'artifacts:decompressedPath')}artifacts:decompressedPath}`;
  }

  /**
   * `{work:path}`: the component's writable working folder.
   */
  public static workPath(componentName?: string): string {
    return `{${prefix(componentName, 'work:path')}work:path}`;
  }

  /**
   * `{configuration:/a/b}`: a configuration value, by JSON pointer.
   */
  public static configuration(jsonPointer: string, componentName?: string): string {
    if (!/^(\/([^~/]|~[01])*)+$/.test(jsonPointer)) {
      throw new Error(`recipe variable configuration: '${jsonPointer}' is not a JSON pointer: pass for example '/Topic' or '/Parameters/name'`);
    }
    return `{${prefix(componentName, 'configuration')}configuration:${jsonPointer}}`;
  }

  /**
   * `{iot:thingName}`: the core device's thing name.
   */
  public static thingName(): string {
    return '{iot:thingName}';
  }

  /**
   * `{kernel:rootPath}`: the nucleus root folder (for example `/greengrass/v2`).
   */
  public static rootPath(): string {
    return '{kernel:rootPath}';
  }

  private constructor() {}
}
