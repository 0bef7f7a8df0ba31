import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '../src');

/**
 * The layers of src/, bottom first: a file may import from its own layer and the layers below,
 * never from one above. The protocol (the wire contract) knows nothing of how it is stored or
 * served; the backends know the protocol's records; the domain knows its backends' interfaces;
 * the transport turns the domain's deliveries into frames; the top wires it all.
 */
const LAYERS: ReadonlyArray<{ name: string; holds: (file: string) => boolean }> = [
  { name: 'protocol', holds: (f) => f.startsWith('protocol/') },
  { name: 'store and cluster', holds: (f) => f.startsWith('store/') || f.startsWith('cluster/') },
  { name: 'domain', holds: (f) => f.startsWith('domain/') },
  // Metrics are counted by the transport (edge, gateway, HTTP app) and read the registry's stats.
  { name: 'transport', holds: (f) => f.startsWith('transport/') || f === 'metrics.ts' || f === 'hotPathMetrics.ts' },
  // faqFile reads the FAQ file for the domain's bot (it may import domain/faq).
  {
    name: 'top',
    holds: (f) =>
      ['server.ts', 'main.ts', 'backends.ts', 'config.ts', 'configOptions.ts', 'configShape.ts', 'createAdmin.ts', 'logger.ts', 'faqFile.ts'].includes(f),
  },
];

/** Imports known to point up, each to be removed when its cause goes (none today). */
const KNOWN_EXCEPTIONS: ReadonlyArray<{ from: string; to: string }> = [];

/** Every .ts file under src/, as a path relative to src/ with forward slashes. */
function sourceFiles(dir = SRC): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts')) out.push(path.relative(SRC, full).split(path.sep).join('/'));
  }
  return out.sort();
}

// `import ... from '...'`, `export ... from '...'` (types too) and `import('...')`.
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

/** The src/ files a file imports (relative imports only: packages are not layers). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(SRC, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec === undefined || !spec.startsWith('.')) continue;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts');
    out.push(target);
  }
  return out;
}

function layerOf(file: string): number {
  return LAYERS.findIndex((l) => l.holds(file));
}

const files = sourceFiles();
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('architecture', () => {
  it('finds the source files and their imports', () => {
    expect(files).toContain('domain/broker.ts');
    expect(graph.get('domain/broker.ts')).toContain('domain/roster.ts');
  });

  it('places every file of src/ in a layer', () => {
    expect(files.filter((f) => layerOf(f) === -1)).toEqual([]);
  });

  it('resolves every relative import to a file of src/', () => {
    const missing = [...graph].flatMap(([from, targets]) => targets.filter((t) => !graph.has(t)).map((t) => `${from} -> ${t}`));
    expect(missing).toEqual([]);
  });

  it('has no import that points up the layers (protocol < store, cluster < domain < transport < top)', () => {
    const upward: string[] = [];
    for (const [from, targets] of graph) {
      for (const to of targets) {
        if (layerOf(to) <= layerOf(from)) continue;
        if (KNOWN_EXCEPTIONS.some((e) => e.from === from && e.to === to)) continue;
        upward.push(`${from} (${LAYERS[layerOf(from)]?.name}) -> ${to} (${LAYERS[layerOf(to)]?.name})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('lists no known exception that is gone, so each is removed with its cause', () => {
    const stale = KNOWN_EXCEPTIONS.filter((e) => !graph.get(e.from)?.includes(e.to));
    expect(stale).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'visiting');
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
