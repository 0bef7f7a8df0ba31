/**
 * Whether a text from a client holds U+0000. It is valid JSON (`\u0000`) and harmless in memory
 * and in SQLite, but no PostgreSQL text column can hold it: the insert fails, and fails again on
 * every resend. So every text a client can get stored is refused at the edge when it holds one,
 * whichever store is configured, so a client sees one behaviour.
 */
export function hasNul(text: string): boolean {
  return text.includes('\u0000');
}
