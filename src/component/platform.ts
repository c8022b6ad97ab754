import { PLATFORM_KEYS } from './private/recipe-keys';
import { platformProblems } from './private/recipe-validate';

/**
 * Operating systems as the Greengrass nucleus reports them (`os` platform attribute).
 */
export class PlatformOs {
  /** Linux. */
  public static readonly LINUX = 'linux';
  /** Windows. */
  public static readonly WINDOWS = 'windows';
  /** macOS. */
  public static readonly DARWIN = 'darwin';
  /** Any operating system. */
  public static readonly ALL = '*';

  private constructor() {}
}

/**
 * Processor architectures as the Greengrass nucleus reports them (`architecture` platform attribute).
 *
 * The nucleus reports 64-bit ARM as `aarch64` and 64-bit x86 as `amd64` on every operating system;
 * `Platform.of` turns `arm64` and `x86_64` into those names.
 */
export class Architecture {
  /** 64-bit x86 (reported as `amd64`). */
  public static readonly AMD64 = 'amd64';
  /** 64-bit ARM (reported as `aarch64`, also for devices whose OS calls it `arm64`). */
  public static readonly AARCH64 = 'aarch64';
  /** 32-bit ARM (`arm`; see `architectureDetail` for `armv6l`, `armv7l`, `armv8`). */
  public static readonly ARM = 'arm';
  /** 32-bit x86. */
  public static readonly X86 = 'x86';

  private constructor() {}
}

/**
 * A platform a manifest applies to.
 */
export interface PlatformOptions {
  /**
   * The operating system: `linux`, `windows`, `darwin`, `*`, or a regular expression between slashes
   * such as `/darwin|linux/` (see `Platform.anyOf`).
   *
   * @default - any operating system
   */
  readonly os?: string;

  /**
   * The processor architecture (see `Architecture`); `arm64` is written `aarch64` and `x86_64` is
   * written `amd64`, as the nucleus reports them. May be a regular expression between slashes.
   *
   * @default - any architecture
   */
  readonly architecture?: string;

  /**
   * The architecture detail (`architecture.detail`), for example `armv7l`.
   *
   * @default - any
   */
  readonly architectureDetail?: string;

  /**
   * Custom platform attributes defined in the nucleus configuration (`platformOverride`).
   *
   * @default - none
   */
  readonly attributes?: { [key: string]: string };
}

const ARCHITECTURE_ALIASES: Record<string, string> = { arm64: 'aarch64', x86_64: 'amd64' };
/**
 * The platform a manifest applies to: attributes the nucleus matches against the core device.
 */
export class Platform {
  /**
   * Any device (`os: "*"`).
   */
  public static all(): Platform {
    return new Platform({ os: '*' });
  }

  /**
   * Linux devices, optionally of one architecture.
   */
  public static linux(architecture?: string): Platform {
    return Platform.of({ os: PlatformOs.LINUX, architecture });
  }

  /**
   * Windows devices, optionally of one architecture.
   */
  public static windows(architecture?: string): Platform {
    return Platform.of({ os: PlatformOs.WINDOWS, architecture });
  }

  /**
   * macOS devices, optionally of one architecture.
   */
  public static darwin(architecture?: string): Platform {
    return Platform.of({ os: PlatformOs.DARWIN, architecture });
  }

  /**
   * A platform from its attributes.
   */
  public static of(options: PlatformOptions): Platform {
    const attributes: Record<string, string> = {};
    if (options.os !== undefined) attributes.os = options.os;
    if (options.architecture !== undefined) {
      attributes.architecture = ARCHITECTURE_ALIASES[options.architecture] ?? options.architecture;
    }
    if (options.architectureDetail !== undefined) attributes['architecture.detail'] = options.architectureDetail;
    for (const [key, value] of Object.entries(options.attributes ?? {})) {
      const known = PLATFORM_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
      if (known) {
        throw new Error(`platform attributes key '${key}' is a standard attribute: pass it as '${known === 'architecture.detail' ? 'architectureDetail' : known}' instead`);
      }
      attributes[key] = value;
    }
    return new Platform(attributes);
  }

  /**
   * A regular expression matching any of the values, for `os` or `architecture`:
   * `Platform.anyOf(['darwin', 'linux'])` is `/darwin|linux/`.
   */
  public static anyOf(values: string[]): string {
    if (values.length === 0) {
      throw new Error('Platform.anyOf needs at least one value: pass for example [\'darwin\', \'linux\']');
    }
    return `/${values.map((v) => v.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')}/`;
  }

  /**
   * The platform's attributes as written in the recipe.
   */
  public readonly attributes: { [key: string]: string };

  private constructor(attributes: { [key: string]: string }) {
    const problems = platformProblems(attributes, 'platform');
    if (problems.length > 0) {
      throw new Error(problems.join('; '));
    }
    this.attributes = attributes;
  }
}
