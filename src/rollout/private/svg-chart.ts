import type { RolloutMinute, RolloutSimulation } from '../rollout-simulator';

/** The series drawn on a rollout chart. */
const SERIES: Array<{ key: string; label: string; color: string; value: (m: RolloutMinute) => number }> = [
  { key: 'notified', label: 'notified', color: '#1f77b4', value: (m) => m.notified },
  { key: 'succeeded', label: 'succeeded', color: '#2ca02c', value: (m) => m.succeeded },
  { key: 'in-progress', label: 'in progress', color: '#ff7f0e', value: (m) => m.inProgress },
  { key: 'failures', label: 'failed + rejected + timed out', color: '#d62728', value: (m) => m.failed + m.rejected + m.timedOut },
  { key: 'canceled', label: 'canceled', color: '#7f7f7f', value: (m) => m.canceled },
];

export interface SvgChartOptions {
  readonly title: string;
  readonly width: number;
  readonly height: number;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A round axis maximum at or above `value` (1, 2, 2.5 or 5 times a power of ten). */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(value)));
  for (const f of [1, 2, 2.5, 5, 10]) {
    if (f * p >= value) return f * p;
  }
  return 10 * p;
}

function formatCount(n: number): string {
  if (n >= 1_000_000) return `${+(n / 1_000_000).toFixed(2)}M`;
  if (n >= 10_000) return `${+(n / 1000).toFixed(1)}k`;
  return String(+n.toFixed(2));
}

/**
 * Renders a simulated rollout as a standalone SVG document: the cumulative rollout curve, the
 * executions in progress, the failures, and a marker at the abort moment.
 */
export function renderRolloutSvg(sim: RolloutSimulation, options: SvgChartOptions): string {
  const { width, height } = options;
  const margin = { left: 70, right: 20, top: 56, bottom: 86 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const timeline = sim.timeline;
  const lastMinute = Math.max(1, timeline.length - 1);
  const xMax = niceMax(lastMinute);
  const yMax = niceMax(Math.max(1, ...timeline.map((m) => m.notified)));
  const x = (minute: number) => margin.left + (minute / xMax) * plotW;
  const y = (count: number) => margin.top + plotH - (count / yMax) * plotH;
  const step = Math.max(1, Math.ceil(timeline.length / 600));
  const sampled = timeline.filter((_, i) => i % step === 0 || i === timeline.length - 1);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${margin.left}" y="22" font-size="16" font-weight="bold">${escapeXml(options.title)}</text>`);
  const c = sim.finalCounts;
  out.push(`<text x="${margin.left}" y="40" fill="#444">${escapeXml(`${sim.fleetSize} devices: ${c.succeeded} succeeded, ${c.failed + c.rejected + c.timedOut} failed/rejected/timed out, ${c.canceled} canceled, ${c.queued} queued after ${sim.durationMinutes} min`)}</text>`);

  // Axes, grid and ticks.
  out.push('<g class="axes" stroke="#999" stroke-width="1">');
  out.push(`<line x1="${margin.left}" y1="${margin.top + plotH}" x2="${margin.left + plotW}" y2="${margin.top + plotH}"/>`);
  out.push(`<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${margin.top + plotH}"/>`);
  out.push('</g>');
  out.push('<g class="ticks" fill="#444">');
  for (let i = 0; i <= 5; i++) {
    const yv = (yMax * i) / 5;
    const xv = (xMax * i) / 5;
    out.push(`<line x1="${margin.left}" y1="${y(yv).toFixed(1)}" x2="${margin.left + plotW}" y2="${y(yv).toFixed(1)}" stroke="#eee"/>`);
    out.push(`<text x="${margin.left - 6}" y="${(y(yv) + 4).toFixed(1)}" text-anchor="end">${formatCount(yv)}</text>`);
    out.push(`<text x="${x(xv).toFixed(1)}" y="${margin.top + plotH + 16}" text-anchor="middle">${formatCount(xv)}</text>`);
  }
  out.push(`<text x="${margin.left + plotW / 2}" y="${margin.top + plotH + 34}" text-anchor="middle">minutes since the job started</text>`);
  out.push(`<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">devices</text>`);
  out.push('</g>');

  // Series.
  for (const s of SERIES) {
    if (s.key === 'canceled' && c.canceled === 0) continue;
    const points = sampled.map((m) => `${x(m.minute).toFixed(1)},${y(s.value(m)).toFixed(1)}`).join(' ');
    out.push(`<polyline class="series-${s.key}" fill="none" stroke="${s.color}" stroke-width="2" points="${points}"/>`);
  }

  // Abort marker.
  if (sim.abort) {
    const ax = x(sim.abort.minute).toFixed(1);
    out.push(`<g class="abort"><line x1="${ax}" y1="${margin.top}" x2="${ax}" y2="${margin.top + plotH}" stroke="#d62728" stroke-width="2" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${+ax + 4}" y="${margin.top + 14}" fill="#d62728">${escapeXml(`aborted at minute ${sim.abort.minute}: ${sim.abort.failureType} ${sim.abort.observedPercentage} % ≥ ${sim.abort.thresholdPercentage} %`)}</text></g>`);
  }

  // Legend.
  let lx = margin.left;
  const ly = height - 22;
  out.push('<g class="legend">');
  for (const s of SERIES) {
    if (s.key === 'canceled' && c.canceled === 0) continue;
    out.push(`<rect x="${lx}" y="${ly - 9}" width="14" height="4" fill="${s.color}"/><text x="${lx + 18}" y="${ly}">${escapeXml(s.label)}</text>`);
    lx += 26 + s.label.length * 7;
  }
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n') + '\n';
}
