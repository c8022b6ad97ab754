import { Duration } from 'aws-cdk-lib';
import { ExecutionDuration, RolloutChart, RolloutSimulator, SimulationPolicy } from '../../src/rollout';

const policy = SimulationPolicy.fromJobConfiguration({
  jobExecutionsRolloutConfig: { maximumPerMinute: 10 },
  abortConfig: { criteriaList: [{ failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 20, minNumberOfExecutedThings: 30 }] },
});

describe('RolloutChart', () => {
  test('draws the rollout curve, successes, failures and the abort moment', () => {
    const sim = RolloutSimulator.simulate(policy, {
      size: 200,
      failureProbability: 0.5,
      offlineFraction: 0.2,
      executionDuration: ExecutionDuration.fixed(Duration.seconds(30)),
      seed: 5,
    });
    expect(sim.abort?.minute).toBe(3);
    const svg = RolloutChart.renderSvg(sim, { title: 'Fleet <A> & B' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="420"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('Fleet &lt;A&gt; &amp; B');
    for (const series of ['notified', 'succeeded', 'in-progress', 'failures', 'canceled']) {
      expect(svg).toMatch(new RegExp(`<polyline class="series-${series}" [^>]*points="[0-9., ]+"`));
    }
    // One point per simulated minute on each curve.
    const notified = /class="series-notified"[^>]*points="([^"]+)"/.exec(svg)![1].split(' ');
    expect(notified).toHaveLength(sim.durationMinutes);
    expect(svg).toContain(`aborted at minute 3: FAILED ${sim.abort!.observedPercentage} % ≥ 20 %`);
    expect(svg).toMatch(/<line x1="([0-9.]+)" y1="56" x2="\1" y2="334" stroke="#d62728"/);
  });

  test('has no abort marker nor canceled curve when the rollout was not aborted', () => {
    const sim = RolloutSimulator.simulate(policy, { size: 50 });
    const svg = RolloutChart.renderSvg(sim, { width: 640, height: 300 });
    expect(svg).toContain('width="640" height="300"');
    expect(svg).not.toContain('class="abort"');
    expect(svg).not.toContain('series-canceled');
    expect(svg).toContain('50 devices: 50 succeeded');
  });

  test('thins long timelines to at most about 600 points', () => {
    const sim = RolloutSimulator.simulate(SimulationPolicy.fromJobConfiguration({ jobExecutionsRolloutConfig: { maximumPerMinute: 1 } }),
      { size: 2000 });
    const points = /class="series-notified"[^>]*points="([^"]+)"/.exec(RolloutChart.renderSvg(sim))![1].split(' ');
    expect(points.length).toBeLessThanOrEqual(601);
    expect(points.length).toBeGreaterThan(300);
  });

  test('fails when the size is too small', () => {
    const sim = RolloutSimulator.simulate(policy, { size: 5 });
    expect(() => RolloutChart.renderSvg(sim, { width: 100 })).toThrow('chart width must be an integer between 320 and 4000 pixels, got 100');
  });
});
