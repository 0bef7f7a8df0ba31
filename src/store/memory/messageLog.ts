import type { ImageRef } from '../../protocol/imageFormat.js';
import type { NewMessage, StoredMessage } from '../conversationStore.js';
import type { RecordArena } from './recordArena.js';
import type { TextArena } from './textArena.js';

type Role = StoredMessage['role'];
type Sender = { name: string; role: Role };

/** Numbers kept per message, in this order, side by side in a block of doubles. */
const POSITION = 0;
const BYTES = 1;
const ID = 2;
const TS = 3;
const AUTHOR = 4;
const FIELDS = 5;

/** Messages in a conversation's first block of records; each next block holds twice as many, up to LAST_BLOCK. */
const FIRST_BLOCK = 4;
const LAST_BLOCK = 1024;
/** Blocks up to the first of LAST_BLOCK messages (4, 8, ..., 1024), and the messages they hold. */
const GROWING_BLOCKS = Math.log2(LAST_BLOCK / FIRST_BLOCK) + 1;
const IN_GROWING_BLOCKS = FIRST_BLOCK * (2 ** GROWING_BLOCKS - 1);

/** The tail slab of a log with no messages yet; its block ends where it starts, so the first message takes a block. */
const EMPTY = new Float64Array(0);

/**
 * One conversation's messages without an object per message: the texts in the store's
 * TextArena, the numbers of each message side by side in blocks of the store's RecordArena
 * (both outside the JS heap, never traced or copied by the garbage collector), the sender as
 * an index into the few names the conversation has. With an object per message instead, every
 * message was copied out of the young generation and marked again in every full collection:
 * with 1M messages held a full GC took 343 ms, against 4 ms this way (CHANGELOG.md,
 * 0.4.2). What is rare (client ids, images) is kept in maps made on first use.
 *
 * Texts go through UTF-8, as in SQLite and PostgreSQL: a lone surrogate comes back as U+FFFD.
 */
export class MessageLog {
  /**
   * Positions in the RecordArena of the blocks of records, oldest first: FIRST_BLOCK messages,
   * twice as many each next, then LAST_BLOCK each.
   */
  private readonly blocks: number[] = [];
  /** The slab of the block the next message goes into (empty until the first message), where in it, and the block's end. */
  private tail: Float64Array = EMPTY;
  private tailAt = 0;
  private tailEnd = 0;
  private count = 0;
  private readonly senders: Sender[] = [];
  /** seq -> the sender's client id, for messages sent with one. */
  private cids: Map<number, string> | undefined;
  /** cidKey -> seq: a resend is found, never stored twice. */
  private seqByCid: Map<string, number> | undefined;
  private images: Map<number, ImageRef> | undefined;

  constructor(
    readonly conversationId: string,
    private readonly texts: TextArena,
    private readonly records: RecordArena,
  ) {}

  /** Number of messages, which is also the last seq. */
  get length(): number {
    return this.count;
  }

  /** The message this sender already stored under `cid`, if any (a cid is one sender's). */
  findByCid(role: Role, sender: string, cid: string): StoredMessage | undefined {
    const seq = this.seqByCid?.get(cidKey(role, sender, cid));
    return seq === undefined ? undefined : this.read(seq - 1);
  }

  /** Stores a message with the next seq and the given id; returns it as stored. */
  append(m: NewMessage, id: number): StoredMessage {
    const position = this.texts.write(m.content);
    if (this.tailAt === this.tailEnd) this.nextBlock();
    const r = this.tailAt;
    const tail = this.tail;
    tail[r + POSITION] = position;
    tail[r + BYTES] = this.texts.lastLength;
    tail[r + ID] = id;
    tail[r + TS] = m.ts;
    tail[r + AUTHOR] = this.senderIndex(m.sender, m.role);
    this.tailAt = r + FIELDS;
    const seq = ++this.count;
    if (m.cid !== undefined) {
      this.cids ??= new Map();
      this.cids.set(seq, m.cid);
      this.seqByCid ??= new Map();
      this.seqByCid.set(cidKey(m.role, m.sender, m.cid), seq);
    }
    if (m.image !== undefined) {
      this.images ??= new Map();
      this.images.set(seq, { ...m.image });
    }
    // Built from the caller's own values, not read back: equal, with no decoding or map lookups
    // on every message's path. Same field order as read(), so both make one object shape.
    return {
      id,
      conversationId: this.conversationId,
      seq,
      sender: m.sender,
      role: m.role,
      content: m.content,
      ts: m.ts,
      cid: m.cid ?? null,
      image: m.image === undefined ? null : { ...m.image },
    };
  }

  /** Messages with seq > afterSeq, oldest first, at most `limit`. */
  after(afterSeq: number, limit: number): StoredMessage[] {
    const from = Math.max(0, afterSeq);
    const to = Math.min(this.length, from + Math.max(0, limit));
    const out: StoredMessage[] = [];
    for (let i = from; i < to; i++) out.push(this.read(i));
    return out;
  }

  private read(i: number): StoredMessage {
    // The block holding message i (k) and the index of its first message, from the block sizes
    // alone, so a long conversation's last messages cost no walk over its blocks.
    let k: number;
    let first: number;
    if (i < IN_GROWING_BLOCKS) {
      k = 31 - Math.clz32(Math.floor(i / FIRST_BLOCK) + 1);
      first = FIRST_BLOCK * (2 ** k - 1);
    } else {
      k = GROWING_BLOCKS + Math.floor((i - IN_GROWING_BLOCKS) / LAST_BLOCK);
      first = IN_GROWING_BLOCKS + (k - GROWING_BLOCKS) * LAST_BLOCK;
    }
    const position = this.blocks[k] as number;
    const block = this.records.slabOf(position);
    const r = this.records.offsetOf(position) + (i - first) * FIELDS;
    const seq = i + 1;
    const sender = this.senders[block[r + AUTHOR] as number] as Sender;
    const image = this.images?.get(seq);
    return {
      id: block[r + ID] as number,
      conversationId: this.conversationId,
      seq,
      sender: sender.name,
      role: sender.role,
      content: this.texts.read(block[r + POSITION] as number, block[r + BYTES] as number),
      ts: block[r + TS] as number,
      cid: this.cids?.get(seq) ?? null,
      image: image === undefined ? null : { ...image },
    };
  }

  private nextBlock(): void {
    // Block k holds FIRST_BLOCK * 2^k messages, at most LAST_BLOCK: the sizes read() counts on.
    const k = this.blocks.length;
    const messages = k < GROWING_BLOCKS ? FIRST_BLOCK * 2 ** k : LAST_BLOCK;
    const position = this.records.block(messages * FIELDS);
    this.tail = this.records.slabOf(position);
    this.tailAt = this.records.offsetOf(position);
    this.tailEnd = this.tailAt + messages * FIELDS;
    this.blocks.push(position);
  }

  /** A conversation has a handful of senders (its customer, its agents): a scan finds them. */
  private senderIndex(name: string, role: Role): number {
    const senders = this.senders;
    for (let k = 0; k < senders.length; k++) {
      const s = senders[k] as Sender;
      if (s.name === name && s.role === role) return k;
    }
    senders.push({ name, role });
    return senders.length - 1;
  }
}

/** Names hold no NUL (the name rule refuses controls), so NUL separates the parts unambiguously. */
function cidKey(role: Role, sender: string, cid: string): string {
  return `${role}\u0000${sender}\u0000${cid}`;
}
