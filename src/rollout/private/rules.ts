/** One abort criterion, validated. */
export interface AbortRule {
  readonly failureType: 'FAILED' | 'REJECTED' | 'TIMED_OUT' | 'ALL';
  readonly thresholdPercentage: number;
  readonly minNumberOfExecutedThings: number;
}

/** The exponential rate, validated: exactly one of the two criteria is set. */
export interface ExponentialRule {
  readonly baseRatePerMinute: number;
  readonly incrementFactor: number;
  readonly notifiedThings?: number;
  readonly succeededThings?: number;
}

/** The rules of an IoT job that the simulator applies. */
export interface RolloutRules {
  readonly maximumPerMinute: number;
  readonly exponential?: ExponentialRule;
  readonly abort: AbortRule[];
  readonly timeoutMinutes?: number;
}
