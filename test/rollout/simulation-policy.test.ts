import { App, Duration, Stack } from 'aws-cdk-lib';
import { CfnDeployment } from 'aws-cdk-lib/aws-greengrassv2';
import {
  AbortCriterion, AbortFailureType, Deployment, DeploymentTarget, RateIncreaseCriteria, Rollout,
} from '../../src';
import { ExecutionDuration, RolloutSimulator, SimulationPolicy } from '../../src/rollout';

describe('SimulationPolicy', () => {
  test('reads the rules of a Deployment construct', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '111122223333', region: 'eu-west-1' } });
    const deployment = new Deployment(stack, 'D', {
      target: DeploymentTarget.fromThingGroupName(stack, 'fleet'),
      rollout: Rollout.exponential({
        baseRatePerMinute: 5,
        incrementFactor: 2,
        rateIncreaseCriteria: RateIncreaseCriteria.notifiedThings(10),
        maximumPerMinute: 40,
      }),
      abortCriteria: [AbortCriterion.of({ failureType: AbortFailureType.ALL, thresholdPercentage: 10, minNumberOfExecutedThings: 20 })],
      inProgressTimeout: Duration.minutes(15),
    });
    const policy = SimulationPolicy.fromDeployment(deployment);
    expect([0, 10, 20, 30, 1000].map((n) => policy.ratePerMinute(n, 0))).toEqual([5, 10, 20, 40, 40]);
    const sim = RolloutSimulator.simulateDeployment(deployment, {
      size: 500,
      failureProbability: 1,
      executionDuration: ExecutionDuration.fixed(Duration.seconds(0)),
    });
    // 5 + 5 + 10 = 20 executed (all failed) at the end of minute 2.
    expect(sim.abort).toMatchObject({ minute: 2, executedThings: 20, failureType: 'ALL' });
  });

  test('grows the rate at every further multiple of the criterion, as the IoT Jobs developer guide\'s table shows', () => {
    // base 50, factor 2, every 1000 notified things, at most 1000 per minute: 50 until 1000 notified, then
    // 100 until 2000, 200 until 3000, 400 until 4000, then 800, then capped at 1000.
    const policy = SimulationPolicy.fromJobConfiguration({
      jobExecutionsRolloutConfig: {
        exponentialRate: { baseRatePerMinute: 50, incrementFactor: 2, rateIncreaseCriteria: { numberOfNotifiedThings: 1000 } },
        maximumPerMinute: 1000,
      },
    });
    expect([0, 999, 1000, 1999, 2000, 3000, 4000, 5000, 50000].map((n) => policy.ratePerMinute(n, 0)))
      .toEqual([50, 50, 100, 100, 200, 400, 800, 1000, 1000]);
  });

  test('of() takes the same value objects as a Deployment', () => {
    const policy = SimulationPolicy.of({ rollout: Rollout.maximumRate(25) });
    expect(policy.ratePerMinute(1e6, 1e6)).toBe(25);
    expect(SimulationPolicy.of({}).ratePerMinute(0, 0)).toBe(1000);
  });

  test('reads a CfnDeployment and CloudFormation-cased keys', () => {
    const stack = new Stack();
    const cfn = new CfnDeployment(stack, 'D', {
      targetArn: 'arn:aws:iot:eu-west-1:111122223333:thinggroup/g',
      iotJobConfiguration: {
        jobExecutionsRolloutConfig: {
          exponentialRate: {
            baseRatePerMinute: 2,
            incrementFactor: 3,
            rateIncreaseCriteria: { NumberOfSucceededThings: 4 },
          },
        },
      },
    });
    const policy = SimulationPolicy.fromDeployment(cfn);
    expect([policy.ratePerMinute(100, 3), policy.ratePerMinute(0, 4), policy.ratePerMinute(0, 8)]).toEqual([2, 6, 18]);
  });

  test.each([
    [{ jobExecutionsRolloutConfig: { maximumPerMinute: 0 } }, 'jobExecutionsRolloutConfig.maximumPerMinute must be an integer between 1 and 1000, got 0'],
    [{
      jobExecutionsRolloutConfig: {
        exponentialRate: {
          baseRatePerMinute: 1,
          incrementFactor: 1.55,
          rateIncreaseCriteria: { numberOfNotifiedThings: 1 },
        },
      },
    },
    'jobExecutionsRolloutConfig.exponentialRate.incrementFactor supports one digit after the decimal point, got 1.55: round it (for example 1.5)'],
    [{ jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 1, incrementFactor: 2, rateIncreaseCriteria: {} } } },
      'jobExecutionsRolloutConfig.exponentialRate.rateIncreaseCriteria needs exactly one of numberOfNotifiedThings and numberOfSucceededThings, got {}'],
    [{ abortConfig: { criteriaList: [{ failureType: 'BROKEN', action: 'CANCEL', thresholdPercentage: 1, minNumberOfExecutedThings: 1 }] } },
      'abortConfig.criteriaList[0].failureType must be one of FAILED, REJECTED, TIMED_OUT, ALL, got "BROKEN"'],
    [{ timeoutConfig: { inProgressTimeoutInMinutes: 20000 } }, 'timeoutConfig.inProgressTimeoutInMinutes must be an integer between 1 and 10080, got 20000'],
  ])('fails when the job configuration is %j', (config, message) => {
    expect(() => SimulationPolicy.fromJobConfiguration(config as any)).toThrow(message);
  });

  test('fails when a value is a token', () => {
    const stack = new Stack();
    const cfn = new CfnDeployment(stack, 'D', {
      targetArn: 'arn:aws:iot:eu-west-1:111122223333:thinggroup/g',
      iotJobConfiguration: { timeoutConfig: { inProgressTimeoutInMinutes: stack.resolve({ Ref: 'X' }) } },
    });
    expect(() => SimulationPolicy.fromDeployment(cfn)).toThrow('timeoutConfig.inProgressTimeoutInMinutes must be a literal number to simulate, got {"Ref":"X"}: write the number, not a token');
  });

  test('fails when the construct holds no deployment', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => SimulationPolicy.fromDeployment(stack)).toThrow("SimulationPolicy.fromDeployment needs a construct with exactly one CfnDeployment, got 0 under 'S': pass the Deployment itself");
  });
});
