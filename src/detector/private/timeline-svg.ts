/** Renders detector histories as an SVG timeline (one renderer for this format). No CDK import. */

export interface TimelineSnapshot {
  readonly timeInMillis: number;
  readonly stateName?: string;
  readonly variables: Record<string, any>;
}

export interface TimelineDetector {
  readonly detectorModelName: string;
  readonly keyValue?: string;
  readonly snapshots: TimelineSnapshot[];
}

export interface TimelineOptions {
  readonly title: string;
  readonly width: number;
  readonly endTimeInMillis: number;
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const LANE = 22;
const LABEL_W = 170;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function formatTime(ms: number, spanMs: number): string {
  const s = ms / 1000;
  if (spanMs >= 2 * 3600_000) return `${+(s / 3600).toFixed(2)} h`;
  if (spanMs >= 120_000) return `${+(s / 60).toFixed(1)} min`;
  return `${+s.toFixed(1)} s`;
}

const fmt = (n: number) => String(+n.toFixed(1));

/**
 * One block per detector: a band of its states over time, then one lane per variable (a step line for
 * numbers and Booleans, the value's text at each change for strings).
 */
export function renderTimelineSvg(detectors: TimelineDetector[], options: TimelineOptions): string {
  const { width } = options;
  const all = detectors.flatMap((d) => d.snapshots.map((s) => s.timeInMillis));
  const t0 = all.length ? Math.min(...all) : 0;
  const t1 = Math.max(options.endTimeInMillis, t0 + 1000, ...all);
  const span = t1 - t0;
  const plotX = LABEL_W;
  const plotW = width - LABEL_W - 20;
  const x = (t: number) => plotX + ((t - t0) / span) * plotW;
  const states = new Map<string, string>();
  const body: string[] = [];
  let y = 50;
  for (const d of detectors) {
    const name = d.keyValue !== undefined ? `${d.detectorModelName} / ${d.keyValue}` : d.detectorModelName;
    body.push(`<g class="detector" data-model="${escapeXml(d.detectorModelName)}"${d.keyValue !== undefined ? ` data-key="${escapeXml(d.keyValue)}"` : ''}>`);
    body.push(`<text x="8" y="${y + 14}" font-weight="bold">${escapeXml(name)}</text>`);
    y += 22;
    body.push(`<text x="16" y="${y + 15}">state</text>`);
    d.snapshots.forEach((s, i) => {
      if (s.stateName === undefined || (i > 0 && d.snapshots[i - 1].stateName === s.stateName)) return;
      let j = i + 1;
      while (j < d.snapshots.length && d.snapshots[j].stateName === s.stateName) j++;
      const end = j < d.snapshots.length ? d.snapshots[j].timeInMillis : t1;
      if (!states.has(s.stateName)) states.set(s.stateName, PALETTE[states.size % PALETTE.length]);
      const x1 = x(s.timeInMillis);
      const w = Math.max(1, x(end) - x1);
      body.push(`<rect class="state" data-state="${escapeXml(s.stateName)}" x="${fmt(x1)}" y="${y}" width="${fmt(w)}" height="${LANE - 4}" fill="${states.get(s.stateName)}" fill-opacity="0.8"><title>${escapeXml(s.stateName)} from ${formatTime(s.timeInMillis - t0, span)}</title></rect>`);
      if (w > 40) body.push(`<text x="${fmt(x1 + 3)}" y="${y + 13}" fill="#fff" font-size="11">${escapeXml(s.stateName)}</text>`);
    });
    y += LANE;
    const names = [...new Set(d.snapshots.flatMap((s) => Object.keys(s.variables)))].sort();
    for (const v of names) {
      body.push(`<text x="16" y="${y + 15}">${escapeXml(v)}</text>`);
      const values = d.snapshots.map((s) => s.variables[v]);
      const numeric = values.every((val) => val === undefined || typeof val === 'number' || typeof val === 'boolean');
      if (numeric) {
        const nums = values.filter((val) => val !== undefined).map(Number);
        const lo = Math.min(...nums);
        const hi = Math.max(...nums);
        const yv = (n: number) => y + LANE - 4 - (hi === lo ? 0.5 : (n - lo) / (hi - lo)) * (LANE - 6);
        const points: string[] = [];
        d.snapshots.forEach((s, i) => {
          const val = s.variables[v];
          if (val === undefined) return;
          const end = i + 1 < d.snapshots.length ? d.snapshots[i + 1].timeInMillis : t1;
          points.push(`${fmt(x(s.timeInMillis))},${fmt(yv(Number(val)))}`, `${fmt(x(end))},${fmt(yv(Number(val)))}`);
        });
        body.push(`<polyline class="variable" data-variable="${escapeXml(v)}" fill="none" stroke="#333" stroke-width="1.5" points="${points.join(' ')}"/>`);
        body.push(`<text x="${plotX + plotW + 2}" y="${y + 8}" font-size="9">${escapeXml(String(hi))}</text>`);
        body.push(`<text x="${plotX + plotW + 2}" y="${y + LANE - 2}" font-size="9">${escapeXml(String(lo))}</text>`);
      } else {
        let last: unknown = Symbol('none');
        d.snapshots.forEach((s) => {
          const val = s.variables[v];
          if (val === last) return;
          last = val;
          body.push(`<text class="variable-change" data-variable="${escapeXml(v)}" x="${fmt(x(s.timeInMillis))}" y="${y + 15}" font-size="11">${escapeXml(val === undefined ? '—' : String(val))}</text>`);
        });
      }
      y += LANE;
    }
    body.push('</g>');
    y += 10;
  }
  const axisY = y + 4;
  const ticks: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const t = t0 + (span * i) / 4;
    ticks.push(`<line x1="${fmt(x(t))}" y1="46" x2="${fmt(x(t))}" y2="${axisY}" stroke="#ddd"/>`);
    ticks.push(`<text x="${fmt(x(t))}" y="${axisY + 14}" text-anchor="middle" font-size="11">${formatTime(t - t0, span)}</text>`);
  }
  const height = axisY + 26;
  const legend = [...states.entries()].map(([s, c], i) =>
    `<rect x="${LABEL_W + i * 120}" y="${height - 2}" width="10" height="10" fill="${c}"/><text x="${LABEL_W + i * 120 + 14}" y="${height + 7}" font-size="11">${escapeXml(s)}</text>`);
  const total = height + (states.size ? 16 : 0);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${total}" fill="#fff"/>`,
    `<text x="8" y="24" font-size="16" font-weight="bold">${escapeXml(options.title)}</text>`,
    `<text x="8" y="40" font-size="11" fill="#555">${detectors.length} detector${detectors.length === 1 ? '' : 's'}, ${formatTime(span, span)} simulated</text>`,
    ...ticks,
    ...body,
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}
