import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Process tests run the real `node index`, so the compiled output must match the source. Every
 * temporary folder the run makes (SQLite files, images, spawned servers' data) goes under one
 * folder of this run, removed at the end: a suite run many times a day must not fill the disk.
 */
export default function setup(): () => void {
  const root = path.resolve(__dirname, '..');
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-run-'));
  // os.tmpdir() reads TMPDIR: test workers and the processes they spawn inherit it.
  process.env.TMPDIR = runDir;
  return () => fs.rmSync(runDir, { recursive: true, force: true });
}
