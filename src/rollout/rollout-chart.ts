import { renderRolloutSvg } from './private/svg-chart';
import { RolloutSimulation } from './rollout-simulator';

/**
 * Options of a rollout chart.
 */
export interface RolloutChartOptions {
  /**
   * The chart's title.
   *
   * @default 'Simulated rollout'
   */
  readonly title?: string;

  /**
   * Width in pixels.
   *
   * @default 800
   */
  readonly width?: number;

  /**
   * Height in pixels.
   *
   * @default 420
   */
  readonly height?: number;
}

/**
 * Charts of simulated rollouts.
 */
export class RolloutChart {
  /**
   * Renders a simulated rollout as an SVG document: the rollout curve (devices notified), devices
   * succeeded, in progress and failed over time, and the moment the job was aborted.
   */
  public static renderSvg(simulation: RolloutSimulation, options: RolloutChartOptions = {}): string {
    const width = options.width ?? 800;
    const height = options.height ?? 420;
    for (const [name, v, min] of [['width', width, 320], ['height', height, 200]] as const) {
      if (!Number.isInteger(v) || v < min || v > 4000) {
        throw new Error(`chart ${name} must be an integer between ${min} and 4000 pixels, got ${v}`);
      }
    }
    return renderRolloutSvg(simulation, { title: options.title ?? 'Simulated rollout', width, height });
  }

  private constructor() {}
}
