import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tuning = path.resolve(__dirname, '..', 'dist', 'gcTuning.js');

/**
 * A child node that (optionally) calls tuneGarbageCollector, then makes 300,000 objects at one
 * allocation site and keeps them all: the pattern V8 pretenures. Returns how many pretenuring
 * decisions V8 traced for it.
 */
async function pretenuringDecisions(options: { tune: boolean; nodeFlags?: string[] }): Promise<number> {
  const script = `
    if (${options.tune}) require(${JSON.stringify(tuning)}).tuneGarbageCollector();
    const kept = [];
    function make(i) { return { i, next: null }; }
    for (let i = 0; i < 300000; i++) kept.push(make(i));
    process.stdout.write('kept ' + kept.length + '\\n');
  `;
  const { stdout } = await run(process.execPath, [...(options.nodeFlags ?? []), '--trace-pretenuring', '--trace-pretenuring-statistics', '-e', script]);
  expect(stdout).toContain('kept 300000');
  return stdout.split('\n').filter((line) => line.includes('pretenuring: AllocationSite(')).length;
}

describe('tuneGarbageCollector', () => {
  it('gets V8 to pretenure a site whose objects all live long, without the tuning (what the other tests rely on)', async () => {
    expect(await pretenuringDecisions({ tune: false })).toBeGreaterThan(0);
  });

  it('turns allocation-site pretenuring off for the process', async () => {
    expect(await pretenuringDecisions({ tune: true })).toBe(0);
  });

  it('leaves pretenuring on when the command line asks for it, spelt with - or _', async () => {
    expect(await pretenuringDecisions({ tune: true, nodeFlags: ['--allocation-site-pretenuring'] })).toBeGreaterThan(0);
    expect(await pretenuringDecisions({ tune: true, nodeFlags: ['--allocation_site_pretenuring'] })).toBeGreaterThan(0);
  });
});
