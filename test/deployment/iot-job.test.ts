import { Token } from 'aws-cdk-lib';
import { AbortCriterion, AbortFailureType, RateIncreaseCriteria, Rollout } from '../../src';

const criteria = RateIncreaseCriteria.notifiedThings(10);

describe('RateIncreaseCriteria', () => {
  test.each([1, 10, 2147483647])('accepts %p notified or succeeded things', (count) => {
    expect(RateIncreaseCriteria.notifiedThings(count).numberOfNotifiedThings).toBe(count);
    expect(RateIncreaseCriteria.notifiedThings(count).numberOfSucceededThings).toBeUndefined();
    expect(RateIncreaseCriteria.succeededThings(count).numberOfSucceededThings).toBe(count);
    expect(RateIncreaseCriteria.succeededThings(count).numberOfNotifiedThings).toBeUndefined();
  });

  test.each([0, -1, 1.5, 2147483648])('fails when the number of things is %p', (count) => {
    expect(() => RateIncreaseCriteria.notifiedThings(count)).toThrow(
      `rate increase criteria: numberOfNotifiedThings must be an integer from 1 to 2147483647, got ${count}: pass the number of notified devices after which the rollout rate increases, for example RateIncreaseCriteria.notifiedThings(10)`);
    expect(() => RateIncreaseCriteria.succeededThings(count)).toThrow(
      `rate increase criteria: numberOfSucceededThings must be an integer from 1 to 2147483647, got ${count}: pass the number of succeeded devices after which the rollout rate increases, for example RateIncreaseCriteria.succeededThings(10)`);
  });
});

describe('Rollout.exponential', () => {
  test.each([
    [1, 1.1, undefined],
    [1000, 5, 1000],
    [50, 2.5, 1],
    [10, 5.0, 200],
  ])('accepts base rate %p, factor %p, maximum %p', (baseRatePerMinute, incrementFactor, maximumPerMinute) => {
    const rollout = Rollout.exponential({ baseRatePerMinute, incrementFactor, rateIncreaseCriteria: criteria, maximumPerMinute });
    expect(rollout.baseRatePerMinute).toBe(baseRatePerMinute);
    expect(rollout.incrementFactor).toBe(incrementFactor);
    expect(rollout.maximumPerMinute).toBe(maximumPerMinute);
    expect(rollout.rateIncreaseCriteria).toBe(criteria);
  });

  test.each([0, 1001, 2.5, -5])('fails when baseRatePerMinute is %p', (baseRatePerMinute) => {
    expect(() => Rollout.exponential({ baseRatePerMinute, incrementFactor: 2, rateIncreaseCriteria: criteria })).toThrow(
      `rollout: baseRatePerMinute must be an integer from 1 to 1000, got ${baseRatePerMinute}: the base rate is the number of devices notified per minute when the deployment starts`);
  });

  test.each([1, 1.09, 5.1, 0, NaN])('fails when incrementFactor is %p (out of range)', (incrementFactor) => {
    expect(() => Rollout.exponential({ baseRatePerMinute: 10, incrementFactor, rateIncreaseCriteria: criteria })).toThrow(
      `rollout: incrementFactor must be from 1.1 to 5, got ${incrementFactor}: the rate is multiplied by this factor each time the rate increase criteria are met`);
  });

  test.each([1.55, 2.01, 4.999])('fails when incrementFactor %p has more than one decimal', (incrementFactor) => {
    expect(() => Rollout.exponential({ baseRatePerMinute: 10, incrementFactor, rateIncreaseCriteria: criteria })).toThrow(
      `rollout: incrementFactor supports at most one digit after the decimal point, got ${incrementFactor}: round it to one decimal, for example 1.5`);
  });

  test.each([0, 1001, 10.5])('fails when maximumPerMinute is %p', (maximumPerMinute) => {
    expect(() => Rollout.exponential({ baseRatePerMinute: 10, incrementFactor: 2, rateIncreaseCriteria: criteria, maximumPerMinute })).toThrow(
      `rollout: maximumPerMinute must be an integer from 1 to 1000, got ${maximumPerMinute}: it is the highest number of devices notified per minute`);
  });

  test('fails when rateIncreaseCriteria is missing', () => {
    expect(() => Rollout.exponential({ baseRatePerMinute: 10, incrementFactor: 2, rateIncreaseCriteria: undefined as any })).toThrow(
      'rollout: rateIncreaseCriteria is required: use RateIncreaseCriteria.notifiedThings(n) or RateIncreaseCriteria.succeededThings(n)');
  });

  test('skips validation for tokens', () => {
    const token = Token.asNumber({ Ref: 'Rate' });
    const rollout = Rollout.exponential({
      baseRatePerMinute: token, incrementFactor: token, rateIncreaseCriteria: criteria, maximumPerMinute: token,
    });
    expect(rollout.baseRatePerMinute).toBe(token);
    expect(RateIncreaseCriteria.succeededThings(token).numberOfSucceededThings).toBe(token);
  });
});

describe('Rollout.maximumRate', () => {
  test.each([1, 1000])('accepts %p per minute', (max) => {
    const rollout = Rollout.maximumRate(max);
    expect(rollout.maximumPerMinute).toBe(max);
    expect(rollout.baseRatePerMinute).toBeUndefined();
  });

  test.each([0, 1001, 1.5])('fails when the maximum is %p', (max) => {
    expect(() => Rollout.maximumRate(max)).toThrow(
      `rollout: maximumPerMinute must be an integer from 1 to 1000, got ${max}: it is the highest number of devices notified per minute`);
  });
});

describe('AbortCriterion.of', () => {
  test.each([
    [AbortFailureType.FAILED, 0.01, 1],
    [AbortFailureType.REJECTED, 100, 2147483647],
    [AbortFailureType.TIMED_OUT, 10.99, 5],
    [AbortFailureType.ALL, 10.9, 100],
  ])('accepts %p at %p percent after %p things', (failureType, thresholdPercentage, minNumberOfExecutedThings) => {
    const c = AbortCriterion.of({ failureType, thresholdPercentage, minNumberOfExecutedThings });
    expect([c.failureType, c.thresholdPercentage, c.minNumberOfExecutedThings])
      .toEqual([failureType, thresholdPercentage, minNumberOfExecutedThings]);
  });

  test.each([-1, -0.01, 100.01, 101, NaN])('fails when thresholdPercentage is %p', (thresholdPercentage) => {
    expect(() => AbortCriterion.of({ failureType: AbortFailureType.FAILED, thresholdPercentage, minNumberOfExecutedThings: 1 })).toThrow(
      `abort criterion: thresholdPercentage must be from 0 to 100, got ${thresholdPercentage}: it is the percentage of failed devices that cancels the deployment (0 cancels at the first failure)`);
  });

  test.each([0, 0.01, 100])('accepts thresholdPercentage %p (the API has no minimum; CloudFormation allows 0)', (thresholdPercentage) => {
    const criterion = AbortCriterion.of({ failureType: AbortFailureType.FAILED, thresholdPercentage, minNumberOfExecutedThings: 1 });
    expect(criterion.thresholdPercentage).toBe(thresholdPercentage);
  });

  test.each([10.999, 0.001, 33.333])('fails when thresholdPercentage %p has more than two decimals', (thresholdPercentage) => {
    expect(() => AbortCriterion.of({ failureType: AbortFailureType.FAILED, thresholdPercentage, minNumberOfExecutedThings: 1 })).toThrow(
      `abort criterion: thresholdPercentage supports at most 2 digits after the decimal point, got ${thresholdPercentage}: round it to two decimals, for example 10.99`);
  });

  test.each([0, -3, 2.5, 2147483648])('fails when minNumberOfExecutedThings is %p', (minNumberOfExecutedThings) => {
    expect(() => AbortCriterion.of({ failureType: AbortFailureType.ALL, thresholdPercentage: 10, minNumberOfExecutedThings })).toThrow(
      `abort criterion: minNumberOfExecutedThings must be an integer from 1 to 2147483647, got ${minNumberOfExecutedThings}: it is the number of devices that must have received the deployment before it can be cancelled`);
  });

  test('fails when failureType is not a known type', () => {
    expect(() => AbortCriterion.of({ failureType: 'CRASHED' as AbortFailureType, thresholdPercentage: 10, minNumberOfExecutedThings: 1 })).toThrow(
      "abort criterion: failureType must be one of FAILED, REJECTED, TIMED_OUT, ALL, got 'CRASHED': use AbortFailureType.FAILED, for example");
  });

  test('skips validation for tokens', () => {
    const token = Token.asNumber({ Ref: 'Threshold' });
    const criterion = AbortCriterion.of({ failureType: AbortFailureType.ALL, thresholdPercentage: token, minNumberOfExecutedThings: token });
    expect(criterion.thresholdPercentage).toBe(token);
  });
});
