import { setFlagsFromString } from 'node:v8';

/** V8's own switch; `node --allocation-site-pretenuring index` keeps it on. */
const PRETENURING_FLAG = 'allocation-site-pretenuring';

/**
 * Turns off V8's allocation-site pretenuring for this process, unless the command line set it.
 *
 * Why: V8 allocates objects straight into the old generation when, for a while, nearly all
 * objects from one allocation site lived long. While a thousand pairs connect, kefu's sockets sit
 * idle after their greeting frames, and V8 pretenured sites in node's stream write path (its trace
 * showed sites tenured then, and node's clearBuffer, doWrite and writevGeneric deoptimised for
 * it). From then on each send's bookkeeping is born old, dies at that socket's next send, and
 * keeps the young buffers it points at alive through scavenges until a full collection. At
 * 5,000 msg/s kefu promoted 1,250 KB/s instead of 70 and ran three full collections per 8 s
 * instead of one; turning pretenuring off cut its CPU per message by 8% (bench --paired --full,
 * CHANGELOG.md 0.4.4). What kefu keeps long (rooms, connections) is made once, and its
 * history lives outside the JS heap, so there is little for pretenuring to win back.
 *
 * Process-wide and set once, before the server allocates much; later calls change nothing.
 */
export function tuneGarbageCollector(execArgv: readonly string[] = process.execArgv): void {
  // V8 reads `_` and `-` in flag names alike: --allocation_site_pretenuring is the same flag.
  if (execArgv.some((arg) => arg.replaceAll('_', '-').includes(PRETENURING_FLAG))) return;
  setFlagsFromString(`--no-${PRETENURING_FLAG}`);
}
