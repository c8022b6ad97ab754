// Rollout simulator speed, and the fleet waiter's API calls per poll for growing fleets.
import { DescribeJobCommand, IoTClient } from '@aws-sdk/client-iot';
import { Duration } from 'aws-cdk-lib';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../src/deployment/completion/completion-is-complete.lambda';
import { ExecutionDuration, RolloutSimulator, SimulationEngine, SimulationPolicy } from '../src/rollout';

const policy = SimulationPolicy.fromJobConfiguration({
  jobExecutionsRolloutConfig: {
    exponentialRate: { baseRatePerMinute: 50, incrementFactor: 2, rateIncreaseCriteria: { numberOfNotifiedThings: 1000 } },
    maximumPerMinute: 1000,
  },
  abortConfig: { criteriaList: [{ failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 10, minNumberOfExecutedThings: 100 }] },
  timeoutConfig: { inProgressTimeoutInMinutes: 15 },
});

function fleet(size: number) {
  return { size, failureProbability: 0.01, offlineFraction: 0.02, executionDuration: ExecutionDuration.exponential(Duration.minutes(3)), seed: 1 };
}

export async function run(): Promise<void> {
  RolloutSimulator.simulate(policy, fleet(10_000), { engine: SimulationEngine.AGGREGATE }); // warm-up
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    RolloutSimulator.simulate(policy, fleet(1_000_000), { engine: SimulationEngine.AGGREGATE });
    runs.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  console.log(`rollout simulator: 1000000 devices in ${Math.min(...runs).toFixed(3)} s (best of 3; ${runs.map((r) => r.toFixed(3)).join(', ')})`);

  const iot = mockClient(IoTClient);
  const handler = createHandler({ sleep: async () => {}, now: () => 0 });
  for (const size of [10, 10_000, 1_000_000]) {
    // The job's counts half-way through the simulated rollout.
    const sim = RolloutSimulator.simulate(policy, fleet(size), { engine: SimulationEngine.AGGREGATE });
    const m = sim.countsAt(Math.floor(sim.durationMinutes / 2));
    iot.reset();
    iot.on(DescribeJobCommand).resolves({
      job: {
        jobId: 'job-1',
        status: 'IN_PROGRESS',
        jobProcessDetails: {
          numberOfSucceededThings: m.succeeded,
          numberOfFailedThings: m.failed,
          numberOfRejectedThings: m.rejected,
          numberOfTimedOutThings: m.timedOut,
          numberOfQueuedThings: m.queued,
          numberOfInProgressThings: m.inProgress,
          processingTargets: m.notified < size ? ['arn:aws:iot:eu-west-1:111122223333:thinggroup/fleet'] : [],
        },
      },
    });
    const polls = 5;
    const log = console.log;
    console.log = () => {}; // the handler's JSON log lines
    for (let i = 0; i < polls; i++) {
      await handler({
        StackId: 's',
        RequestId: 'r',
        LogicalResourceId: 'Completion',
        RequestType: 'Create',
        PhysicalResourceId: 'dep-1',
        ResourceProperties: {
          DeploymentId: 'dep-1',
          TargetArn: 'arn:aws:iot:eu-west-1:111122223333:thinggroup/fleet',
          Mode: 'WAIT',
          TimeoutSeconds: '3000',
          Threshold: 'PERCENTAGE',
          ThresholdValue: '95',
          OfflineDevices: 'WAIT',
          FailingDevicesToName: '3',
          OnDelete: 'CANCEL',
          EmptyDeploymentName: 'x',
        },
        Data: { IotJobId: 'job-1', StartedAt: '0' },
      }).catch(() => undefined);
    }
    console.log = log;
    console.log(`deployment waiter: ${iot.calls().length / polls} API calls per poll for ${size} devices`);
  }
  iot.restore();
}
