import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Process tests run the real `node index`, so the compiled output must match the source. */
export default function setup(): void {
  const root = path.resolve(__dirname, '..');
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}
