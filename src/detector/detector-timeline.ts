import { renderTimelineSvg } from './private/timeline-svg';
import { DetectorSimulator } from './simulator';

/**
 * Options of a simulation timeline.
 */
export interface DetectorTimelineOptions {
  /**
   * The title.
   *
   * @default 'Detector simulation'
   */
  readonly title?: string;

  /**
   * Width in pixels (320-4000).
   *
   * @default 800
   */
  readonly width?: number;

  /**
   * Only the detectors of this model.
   *
   * @default - every model
   */
  readonly detectorModelName?: string;

  /**
   * Only the detectors with these key values.
   *
   * @default - every detector
   */
  readonly keyValues?: string[];
}

/**
 * Timelines of simulated detectors.
 */
export class DetectorTimeline {
  /**
   * Renders a simulation as an SVG document: for each detector, its state over time and a lane per
   * variable (a step line for numbers and Booleans, the value at each change for strings), up to the
   * simulator's current time.
   */
  public static renderSvg(simulator: DetectorSimulator, options: DetectorTimelineOptions = {}): string {
    const width = options.width ?? 800;
    if (!Number.isInteger(width) || width < 320 || width > 4000) {
      throw new Error(`timeline width must be an integer between 320 and 4000 pixels, got ${width}`);
    }
    const detectors = simulator.histories().filter((h) =>
      (options.detectorModelName === undefined || h.detectorModelName === options.detectorModelName)
      && (options.keyValues === undefined || (h.keyValue !== undefined && options.keyValues.includes(h.keyValue))));
    return renderTimelineSvg(detectors, {
      title: options.title ?? 'Detector simulation',
      width,
      endTimeInMillis: simulator.currentTime.getTime(),
    });
  }

  private constructor() {}
}
