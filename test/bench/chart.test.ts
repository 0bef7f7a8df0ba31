import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The bench is plain CommonJS JavaScript, run with node; the chart is the one part worth a test.
const { renderChart } = createRequire(__filename)(path.resolve(__dirname, '..', '..', 'bench', 'chart.js')) as { renderChart: (report: unknown) => string };

/** A run's report with the given fixed-load p99 per kind (the other figures are fixed). */
function report(p99: Record<string, number>): unknown {
  const kinds = (field: 'perSec' | 'p50' | 'p99', values: Record<string, number>) =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { median: { [field]: v } }]));
  return {
    date: '2026-12-02T16:45:47.968Z',
    machine: { cores: 2, node: 'v20.20.2' },
    rounds: 5,
    fixedRounds: 9,
    command: 'npm run bench',
    results: {
      sat1: { title: 'saturation, 1 pair', kinds: kinds('perSec', { raw: 49827, kefu: 51630 }) },
      fixed: {
        title: 'fixed load',
        kinds: Object.fromEntries(Object.entries(p99).map(([k, v]) => [k, { median: { p50: 1.5, p99: v } }])),
      },
    },
  };
}

/** The bars of the chart as drawn: their titles (kind and value) and heights. */
function bars(svg: string): Array<{ title: string; height: number }> {
  return [...svg.matchAll(/height="([\d.]+)" fill="#[0-9a-f]{6}"><title>([^<]*)<\/title>/g)].map((m) => ({ title: m[2] as string, height: Number(m[1]) }));
}

describe('bench chart', () => {
  it('labels every bar with its value and says how many rounds the medians are of', () => {
    const svg = renderChart(report({ raw: 5.5, kefu: 3.7 }));
    expect(svg).toContain('medians of 5 interleaved rounds (9 at fixed load)');
    expect(svg).toContain('>50k</text>');
    expect(svg).toContain('>52k</text>');
    expect(svg).toContain('>3.7</text>');
    expect(bars(svg)).toContainEqual({ title: 'kefu (SQLite): 3.7 ms', height: expect.any(Number) });
  });

  it('fits the scale to the rest when one bar stands far above them, and marks that bar as cut', () => {
    const even = renderChart(report({ raw: 5.5, kefu: 3.7, 'kefu-memory': 10 }));
    const outlier = renderChart(report({ raw: 5.5, kefu: 3.7, 'kefu-memory': 302.5 }));
    const height = (svg: string, title: string) => bars(svg).find((b) => b.title === title)?.height ?? 0;
    // Without the outlier's scale the others stay readable: raw's p99 bar is as tall as the panel allows, nearly.
    expect(height(outlier, 'raw ws: 5.5 ms')).toBeGreaterThan(150);
    expect(height(outlier, 'kefu (memory): 302.5 ms')).toBeCloseTo(204, 0);
    expect(outlier).toContain('>302.5</text>');
    expect(outlier).toContain('height="3" fill="#ffffff"');
    expect(even).not.toContain('height="3" fill="#ffffff"');
    expect(height(even, 'raw ws: 5.5 ms')).toBeLessThan(height(even, 'kefu (memory): 10.0 ms'));
  });
});
