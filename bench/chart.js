'use strict';
// A small SVG of the run: saturation throughput and fixed-load p50/p99 per kind, drawn by hand
// so the bench needs no chart library.

const COLORS = { raw: '#64748b', socketio: '#f59e0b', kefu: '#4f46e5', 'kefu-sqlite': '#059669' };
const LABELS = { raw: 'raw ws', socketio: 'Socket.IO', kefu: 'kefu (memory)', 'kefu-sqlite': 'kefu (SQLite)' };

function esc(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

/** One panel of grouped bars: groups along x, one bar per kind. */
function panel(x0, y0, w, h, title, groups, unit) {
  const kinds = Object.keys(COLORS).filter((k) => groups.some((g) => g.values[k] != null));
  const max = Math.max(...groups.flatMap((g) => kinds.map((k) => g.values[k] || 0))) || 1;
  const gw = w / groups.length;
  const bw = Math.min(28, (gw - 20) / kinds.length);
  let out = `<text x="${x0}" y="${y0 - 12}" font-size="14" font-weight="600">${esc(title)}</text>`;
  out += `<line x1="${x0}" y1="${y0 + h}" x2="${x0 + w}" y2="${y0 + h}" stroke="#cbd5e1"/>`;
  groups.forEach((g, gi) => {
    const gx = x0 + gi * gw + (gw - bw * kinds.length) / 2;
    kinds.forEach((k, ki) => {
      const v = g.values[k];
      if (v == null) return;
      const bh = (v / max) * (h - 16);
      const x = gx + ki * bw;
      out += `<rect x="${x.toFixed(1)}" y="${(y0 + h - bh).toFixed(1)}" width="${(bw - 3).toFixed(1)}" height="${bh.toFixed(1)}" fill="${COLORS[k]}"><title>${esc(LABELS[k])}: ${Math.round(v)} ${unit}</title></rect>`;
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
  const lat = r.fixed ? [{ label: 'p50', values: pick('fixed', 'p50') }, { label: 'p99', values: pick('fixed', 'p99') }] : [];
  const W = 900;
  const H = 360;
  let body = '';
  if (sat.length) body += panel(40, 60, 460, 220, 'Saturation throughput (messages delivered/s)', sat, 'msg/s');
  if (lat.length) body += panel(560, 60, 300, 220, `Latency at fixed load (ms)`, lat, 'ms');
  const legend = kinds
    .map((k, i) => `<rect x="${40 + i * 160}" y="${H - 30}" width="12" height="12" fill="${COLORS[k]}"/><text x="${58 + i * 160}" y="${H - 20}" font-size="12">${esc(LABELS[k])}</text>`)
    .join('');
  const caption = `${report.date.slice(0, 10)} · ${report.machine.cores} cores · node ${report.machine.node} · medians of ${report.rounds} interleaved rounds · ${report.command}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" fill="#0f172a">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="40" y="24" font-size="12" fill="#64748b">${esc(caption)}</text>
${body}
${legend}
</svg>
`;
}

module.exports = { renderChart };
