/** How many of a conversation's latest cids an append checks a resend against. */
export const CID_WINDOW = 256;

const FIRST_CAPACITY = 8;
const NO_HASHES = new Int32Array(0);
const NO_IDS = new Float64Array(0);

/**
 * A conversation's latest cids, as a ring of 32-bit hashes of (role, sender, cid) beside the
 * ids of their messages. Every message with a cid passes through here and stays for the next
 * CID_WINDOW of its conversation: kept as strings in a Map, each one (its key and the map's
 * rehashed tables) lived long enough to be promoted to the old generation, which made the
 * collector's work per message grow with the window. Here a message's entry is two numbers in
 * arrays that are made a few times per conversation, never per message.
 *
 * A hash matches another cid's once in about four billion, so `find` has the caller compare the
 * stored row before a match counts as a resend.
 */
export class CidWindow {
  // Empty until the first cid: an open conversation with none costs only this object.
  private hashes = NO_HASHES;
  private ids = NO_IDS;
  /** Entries held (at most CID_WINDOW) and the slot the next one goes to. */
  private size = 0;
  private next = 0;

  /** Notes a stored message's cid, forgetting the oldest beyond the window. */
  remember(role: string, sender: string, cid: string, messageId: number): void {
    if (this.size === this.hashes.length && this.size < CID_WINDOW) this.grow();
    this.hashes[this.next] = cidHash(role, sender, cid);
    this.ids[this.next] = messageId;
    this.next = (this.next + 1) % this.hashes.length;
    if (this.size < this.hashes.length) this.size++;
  }

  /**
   * The newest message of the window with this cid: `confirm` is asked about each whose hash
   * matches, newest first, and the first answer it gives is returned.
   */
  find<R>(role: string, sender: string, cid: string, confirm: (id: number, role: string, sender: string, cid: string) => R | undefined): R | undefined {
    const hash = cidHash(role, sender, cid);
    const capacity = this.hashes.length;
    for (let back = 1; back <= this.size; back++) {
      const slot = (this.next - back + capacity) % capacity;
      if (this.hashes[slot] !== hash) continue;
      const found = confirm(this.ids[slot] as number, role, sender, cid);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** While not full the ring has not wrapped: its entries are slots 0..size-1, oldest first. */
  private grow(): void {
    const capacity = Math.min(Math.max(this.hashes.length * 2, FIRST_CAPACITY), CID_WINDOW);
    const hashes = new Int32Array(capacity);
    const ids = new Float64Array(capacity);
    hashes.set(this.hashes);
    ids.set(this.ids);
    this.hashes = hashes;
    this.ids = ids;
    this.next = this.size;
  }
}

/** FNV-1a over role, sender and cid, each ended by a NUL (which none of them may contain). */
export function cidHash(role: string, sender: string, cid: string): number {
  let h = 0x811c9dc5;
  h = mix(h, role);
  h = mix(h, sender);
  return mix(h, cid);
}

function mix(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return Math.imul(h, 0x01000193) | 0;
}
