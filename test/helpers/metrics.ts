import type { TestServer } from './server.js';

/** kefu_rejections_total by its code label, as the server's /metrics shows it. */
export async function rejections(server: TestServer): Promise<Map<string, number>> {
  const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/^kefu_rejections_total\{code="([^"]*)"\} (\d+)$/gm)) counts.set(m[1] as string, Number(m[2]));
  return counts;
}
