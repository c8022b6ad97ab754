import { Duration, Token } from 'aws-cdk-lib';

/**
 * A condition under which the nucleus skips a lifecycle step (`Skipif`).
 */
export class SkipIf {
  /**
   * Skip when an executable is on the PATH (`onpath <executable>`).
   */
  public static onPath(executable: string): SkipIf {
    return new SkipIf('onpath', executable);
  }

  /**
   * Skip when a file exists (`exists <file>`).
   */
  public static exists(file: string): SkipIf {
    return new SkipIf('exists', file);
  }

  /**
   * The expression as written in the recipe.
   */
  public readonly expression: string;

  private constructor(kind: string, value: string) {
    if (!Token.isUnresolved(value) && value.trim().length === 0) {
      throw new Error(`skipIf ${kind} needs a non-empty ${kind === 'onpath' ? 'executable' : 'file'}, got '${value}'`);
    }
    this.expression = `${kind} ${value}`;
  }
}

/**
 * Options of a lifecycle step.
 */
export interface LifecycleStepOptions {
  /**
   * Run the script as root (or administrator on Windows).
   *
   * @default false
   */
  readonly requiresPrivilege?: boolean;

  /**
   * How long the script may run before the nucleus stops it; whole seconds.
   *
   * @default - the nucleus default for the step: install 120 s, startup 120 s, shutdown 15 s, recover 60 s,
   * bootstrap 120 s, run unlimited
   */
  readonly timeout?: Duration;

  /**
   * Skip the step under a condition.
   *
   * @default - never skipped
   */
  readonly skipIf?: SkipIf;

  /**
   * Environment variables for this step only.
   *
   * @default - none
   */
  readonly setenv?: { [name: string]: string };

  /**
   * For a bootstrap step: run it again when a deployment rolls back.
   *
   * @default - not set (false)
   */
  readonly bootstrapOnRollback?: boolean;
}

/**
 * One lifecycle step: a script and how to run it.
 */
export class LifecycleStep {
  /**
   * A step that runs a script in the shell of the device (`sh` on Linux, `cmd` on Windows).
   */
  public static script(script: string, options: LifecycleStepOptions = {}): LifecycleStep {
    return new LifecycleStep(script, options);
  }

  /** The script the step runs. */
  public readonly command: string;
  /** The step's options. */
  public readonly options: LifecycleStepOptions;

  /** The timeout checked by the constructor, and its whole seconds. */
  private readonly checkedTimeout?: { readonly timeout: Duration; readonly seconds: number };

  private constructor(script: string, options: LifecycleStepOptions) {
    if (!Token.isUnresolved(script) && script.trim().length === 0) {
      throw new Error('lifecycle step script is empty: pass the command to run');
    }
    if (options.timeout !== undefined) {
      const seconds = options.timeout.toSeconds({ integral: false });
      if (!Number.isInteger(seconds) || seconds < 1) {
        throw new Error(`lifecycle step timeout ${options.timeout.toHumanString()} must be a whole number of seconds of at least 1: pass for example Duration.seconds(120)`);
      }
      this.checkedTimeout = { timeout: options.timeout, seconds };
    }
    this.command = script;
    this.options = options;
  }

  /**
   * The step as written in a recipe.
   * @internal
   */
  public _render(step: string): Record<string, unknown> {
    if (this.options.bootstrapOnRollback !== undefined && step !== 'bootstrap') {
      throw new Error(`lifecycle.${step} sets bootstrapOnRollback, which only a bootstrap step has: remove it or move the script to lifecycle.bootstrap`);
    }
    const out: Record<string, unknown> = { Script: this.command };
    if (this.options.requiresPrivilege !== undefined) out.RequiresPrivilege = this.options.requiresPrivilege;
    if (this.options.skipIf !== undefined) out.Skipif = this.options.skipIf.expression;
    if (this.options.timeout !== undefined) {
      // A whole number of seconds, as checked by the constructor (converted again only if the options changed since).
      out.Timeout = this.options.timeout === this.checkedTimeout?.timeout ? this.checkedTimeout.seconds : this.options.timeout.toSeconds();
    }
    if (this.options.setenv !== undefined) out.Setenv = { ...this.options.setenv };
    if (this.options.bootstrapOnRollback !== undefined) out.BootstrapOnRollback = this.options.bootstrapOnRollback;
    return out;
  }
}

/**
 * The lifecycle of a component on one platform.
 */
export interface Lifecycle {
  /**
   * Environment variables for every step.
   *
   * @default - none
   */
  readonly setenv?: { [name: string]: string };

  /**
   * Runs when the component is installed, before it starts, and after every change of the component.
   *
   * @default - no install step
   */
  readonly install?: LifecycleStep;

  /**
   * Runs the component's process; the component is RUNNING while it runs. Exclusive with `startup`.
   *
   * @default - no run step
   */
  readonly run?: LifecycleStep;

  /**
   * Starts a background process; the component is RUNNING when the script exits with 0.
   * Exclusive with `run`.
   *
   * @default - no startup step
   */
  readonly startup?: LifecycleStep;

  /**
   * Runs when the component stops.
   *
   * @default - no shutdown step
   */
  readonly shutdown?: LifecycleStep;

  /**
   * Runs when the component enters the ERRORED state.
   *
   * @default - no recover step
   */
  readonly recover?: LifecycleStep;

  /**
   * Runs before install when the component needs the nucleus or the device to restart.
   *
   * @default - no bootstrap step
   */
  readonly bootstrap?: LifecycleStep;
}
