'use strict';
// A small SVG of the run: saturation throughput and fixed-load p50/p99 per kind, drawn by hand
// so the bench needs no chart library.

const COLORS = { raw: '#64748b', socketio: '#f59e0b', kefu: '#4f46e5', 'kefu-memory': '#059669' };
const LABELS = { raw: 'raw ws', socketio: 'Socket.IO', kefu: 'kefu (SQLite)', 'kefu-memory': 'kefu (memory)' };

function esc(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

/**
 * The top of a panel's scale: the largest value, unless one stands far above the rest (SQLite's
 * p99 can be 50x the others), in which case the scale fits the rest and that bar is cut off.
 */
function scaleTop(values) {
  const sorted = values.filter((v) => v > 0).sort((a, b) => b - a);
  if (sorted.length === 0) return 1;
  const [top, second] = sorted;
  return second !== undefined && top > 5 * second ? second * 1.3 : top;
}

/** One panel of grouped bars: groups along x, one bar per kind, each with its value above it. */
function panel(x0, y0, w, h, title, groups, unit, digits) {
  const kinds = Object.keys(COLORS).filter((k) => groups.some((g) => g.values[k] != null));
  const max = scaleTop(groups.flatMap((g) => kinds.map((k) => g.values[k] || 0)));
  const gw = w / groups.length;
  const bw = Math.min(28, (gw - 20) / kinds.length);
  const plot = h - 16;
  let out = `<text x="${x0}" y="${y0 - 12}" font-size="14" font-weight="600">${esc(title)}</text>`;
  out += `<line x1="${x0}" y1="${y0 + h}" x2="${x0 + w}" y2="${y0 + h}" stroke="#cbd5e1"/>`;
  groups.forEach((g, gi) => {
    const gx = x0 + gi * gw + (gw - bw * kinds.length) / 2;
    kinds.forEach((k, ki) => {
      const v = g.values[k];
      if (v == null) return;
      const cut = v > max;
      const bh = (Math.min(v, max) / max) * plot;
      const x = gx + ki * bw;
      const top = y0 + h - bh;
      const text = digits === 0 ? `${Math.round(v / 1000)}k` : v.toFixed(digits);
      out += `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(bw - 3).toFixed(1)}" height="${bh.toFixed(1)}" fill="${COLORS[k]}"><title>${esc(LABELS[k])}: ${v.toFixed(digits)} ${unit}</title></rect>`;
      // A bar past the scale gets a white notch near its top: it is longer than drawn.
      if (cut) out += `<rect x="${x.toFixed(1)}" y="${(top + 10).toFixed(1)}" width="${(bw - 3).toFixed(1)}" height="3" fill="#ffffff"/>`;
      out += `<text x="${(x + (bw - 3) / 2).toFixed(1)}" y="${(top - 3).toFixed(1)}" font-size="9" text-anchor="middle" fill="#334155">${esc(text)}</text>`;
    });
    out += `<text x="${(x0 + gi * gw + gw / 2).toFixed(1)}" y="${y0 + h + 16}" font-size="12" text-anchor="middle" fill="#475569">${esc(g.label)}</text>`;
  });
  return out;
}

function renderChart(report) {
  const r = report.results;
  const kinds = Object.keys(COLORS);
  const pick = (id, field) => Object.fromEntries(kinds.map((k) => [k, r[id]?.kinds[k]?.median[field] ?? null]));
  const sat = ['sat1', 'sat100', 'sat1000'].filter((id) => r[id]).map((id) => ({ label: r[id].title.replace('saturation, ', ''), values: pick(id, 'perSec') }));
  const lat = r.fixed
    ? [
        { label: 'p50', values: pick('fixed', 'p50') },
        { label: 'p99', values: pick('fixed', 'p99') },
      ]
    : [];
  const W = 900;
  const H = 360;
  let body = '';
  if (sat.length) body += panel(40, 60, 460, 220, 'Saturation throughput (messages delivered/s)', sat, 'msg/s', 0);
  if (lat.length) body += panel(560, 60, 300, 220, `Latency at fixed load (ms)`, lat, 'ms', 1);
  const legend = kinds
    .map(
      (k, i) =>
        `<rect x="${40 + i * 160}" y="${H - 30}" width="12" height="12" fill="${COLORS[k]}"/><text x="${58 + i * 160}" y="${H - 20}" font-size="12">${esc(LABELS[k])}</text>`,
    )
    .join('');
  const caption = `${report.date.slice(0, 10)} · ${report.machine.cores} cores · node ${report.machine.node} · medians of ${report.rounds} interleaved rounds${report.fixedRounds && report.fixedRounds !== report.rounds ? ` (${report.fixedRounds} at fixed load)` : ''} · ${report.command}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" fill="#0f172a">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="40" y="24" font-size="12" fill="#64748b">${esc(caption)}</text>
${body}
${legend}
</svg>
`;
}

module.exports = { renderChart };
