import { checkDecimals, checkInteger, isUnresolvedNumber, MAX_INT32 } from './private/deployment-validate';

/**
 * When an exponential rollout raises its rate: after a number of devices were notified
 * of the deployment, or after a number of devices completed it successfully.
 */
export class RateIncreaseCriteria {
  /**
   * Raise the rate each time this many more devices were notified of the deployment.
   *
   * @param count number of notified devices, an integer of at least 1
   */
  public static notifiedThings(count: number): RateIncreaseCriteria {
    checkInteger('rate increase criteria: numberOfNotifiedThings', count, 1, MAX_INT32,
      'pass the number of notified devices after which the rollout rate increases, for example RateIncreaseCriteria.notifiedThings(10)');
    return new RateIncreaseCriteria(count, undefined);
  }

  /**
   * Raise the rate each time this many more devices completed the deployment successfully.
   *
   * @param count number of succeeded devices, an integer of at least 1
   */
  public static succeededThings(count: number): RateIncreaseCriteria {
    checkInteger('rate increase criteria: numberOfSucceededThings', count, 1, MAX_INT32,
      'pass the number of succeeded devices after which the rollout rate increases, for example RateIncreaseCriteria.succeededThings(10)');
    return new RateIncreaseCriteria(undefined, count);
  }

  /**
   * The number of notified devices that raises the rate.
   *
   * @default - the rate rises on succeeded devices instead
   */
  public readonly numberOfNotifiedThings?: number;

  /**
   * The number of succeeded devices that raises the rate.
   *
   * @default - the rate rises on notified devices instead
   */
  public readonly numberOfSucceededThings?: number;

  private constructor(notified: number | undefined, succeeded: number | undefined) {
    this.numberOfNotifiedThings = notified;
    this.numberOfSucceededThings = succeeded;
  }
}

/**
 * Options of an exponential rollout.
 */
export interface ExponentialRolloutOptions {
  /**
   * How many devices are notified per minute when the deployment starts (1 to 1000).
   */
  readonly baseRatePerMinute: number;

  /**
   * The factor by which the rate grows each time the criteria are met (1.1 to 5.0, at most
   * one digit after the decimal point).
   */
  readonly incrementFactor: number;

  /**
   * When the rate grows.
   */
  readonly rateIncreaseCriteria: RateIncreaseCriteria;

  /**
   * The highest number of devices notified per minute (1 to 1000).
   *
   * @default - no maximum beyond the IoT jobs service limit
   */
  readonly maximumPerMinute?: number;
}

/**
 * How fast a deployment reaches the devices of its target: the rollout configuration of
 * the IoT job behind the deployment.
 */
export class Rollout {
  /**
   * Start at a base rate and multiply it by a factor each time a number of devices were
   * notified or succeeded, up to an optional maximum.
   */
  public static exponential(options: ExponentialRolloutOptions): Rollout {
    checkInteger('rollout: baseRatePerMinute', options.baseRatePerMinute, 1, 1000,
      'the base rate is the number of devices notified per minute when the deployment starts');
    checkRange('rollout: incrementFactor', options.incrementFactor, 1.1, 5,
      'the rate is multiplied by this factor each time the rate increase criteria are met');
    checkDecimals('rollout: incrementFactor', options.incrementFactor, 1,
      'round it to one decimal, for example 1.5');
    if (!(options.rateIncreaseCriteria instanceof RateIncreaseCriteria)) {
      throw new Error('rollout: rateIncreaseCriteria is required: use RateIncreaseCriteria.notifiedThings(n) or RateIncreaseCriteria.succeededThings(n)');
    }
    if (options.maximumPerMinute !== undefined) {
      checkMaximum(options.maximumPerMinute);
    }
    return new Rollout(options.baseRatePerMinute, options.incrementFactor, options.rateIncreaseCriteria, options.maximumPerMinute);
  }

  /**
   * Notify at most this many devices per minute, at a constant rate.
   *
   * @param maximumPerMinute devices notified per minute (1 to 1000)
   */
  public static maximumRate(maximumPerMinute: number): Rollout {
    checkMaximum(maximumPerMinute);
    return new Rollout(undefined, undefined, undefined, maximumPerMinute);
  }

  /**
   * Devices notified per minute when the deployment starts.
   *
   * @default - no exponential rate
   */
  public readonly baseRatePerMinute?: number;

  /**
   * Factor applied to the rate each time the criteria are met.
   *
   * @default - no exponential rate
   */
  public readonly incrementFactor?: number;

  /**
   * When the rate grows.
   *
   * @default - no exponential rate
   */
  public readonly rateIncreaseCriteria?: RateIncreaseCriteria;

  /**
   * The highest number of devices notified per minute.
   *
   * @default - no maximum beyond the IoT jobs service limit
   */
  public readonly maximumPerMinute?: number;

  private constructor(base?: number, factor?: number, criteria?: RateIncreaseCriteria, maximum?: number) {
    this.baseRatePerMinute = base;
    this.incrementFactor = factor;
    this.rateIncreaseCriteria = criteria;
    this.maximumPerMinute = maximum;
  }
}

/**
 * The kind of device failure an abort criterion counts.
 */
export enum AbortFailureType {
  /** Devices where the deployment failed. */
  FAILED = 'FAILED',
  /** Devices that rejected the deployment. */
  REJECTED = 'REJECTED',
  /** Devices that did not finish the deployment within the in-progress timeout. */
  TIMED_OUT = 'TIMED_OUT',
  /** Any of the above. */
  ALL = 'ALL',
}

/**
 * Options of an abort criterion.
 */
export interface AbortCriterionOptions {
  /**
   * The kind of failure counted.
   */
  readonly failureType: AbortFailureType;

  /**
   * The percentage of devices with that failure that cancels the deployment: from 0 (the
   * first failure) to 100, at most two digits after the decimal point.
   */
  readonly thresholdPercentage: number;

  /**
   * How many devices must have received the deployment before the criterion applies
   * (at least 1).
   */
  readonly minNumberOfExecutedThings: number;
}

/**
 * When to cancel a deployment that fails on too many devices. The action is always
 * `CANCEL`, the only one the service supports.
 */
export class AbortCriterion {
  /**
   * Cancel the deployment once `thresholdPercentage` percent of the devices that received
   * it (at least `minNumberOfExecutedThings` of them) failed with `failureType`.
   */
  public static of(options: AbortCriterionOptions): AbortCriterion {
    if (!Object.values(AbortFailureType).includes(options.failureType)) {
      throw new Error(`abort criterion: failureType must be one of ${Object.values(AbortFailureType).join(', ')}, got '${options.failureType}': use AbortFailureType.FAILED, for example`);
    }
    const pct = options.thresholdPercentage;
    if (!isUnresolvedNumber(pct) && !(pct >= 0 && pct <= 100)) {
      throw new Error(`abort criterion: thresholdPercentage must be from 0 to 100, got ${pct}: it is the percentage of failed devices that cancels the deployment (0 cancels at the first failure)`);
    }
    checkDecimals('abort criterion: thresholdPercentage', pct, 2, 'round it to two decimals, for example 10.99');
    checkInteger('abort criterion: minNumberOfExecutedThings', options.minNumberOfExecutedThings, 1, MAX_INT32,
      'it is the number of devices that must have received the deployment before it can be cancelled');
    return new AbortCriterion(options.failureType, pct, options.minNumberOfExecutedThings);
  }

  /** The kind of failure counted. */
  public readonly failureType: AbortFailureType;

  /** The percentage of devices with that failure that cancels the deployment. */
  public readonly thresholdPercentage: number;

  /** How many devices must have received the deployment before the criterion applies. */
  public readonly minNumberOfExecutedThings: number;

  private constructor(failureType: AbortFailureType, thresholdPercentage: number, minNumberOfExecutedThings: number) {
    this.failureType = failureType;
    this.thresholdPercentage = thresholdPercentage;
    this.minNumberOfExecutedThings = minNumberOfExecutedThings;
  }
}

function checkRange(prop: string, value: number, min: number, max: number, what: string): void {
  if (isUnresolvedNumber(value)) {
    return;
  }
  if (!(value >= min && value <= max)) {
    throw new Error(`${prop} must be from ${min} to ${max}, got ${value}: ${what}`);
  }
}

function checkMaximum(maximumPerMinute: number): void {
  checkInteger('rollout: maximumPerMinute', maximumPerMinute, 1, 1000,
    'it is the highest number of devices notified per minute');
}
