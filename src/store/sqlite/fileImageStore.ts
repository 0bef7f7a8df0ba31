import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { IMAGE_ID } from '../../protocol/imageFormat.js';
import { ImageIndex } from '../imageIndex.js';
import type { ImageBytes, ImageRecord, ImageStore, ImageUsage, NewImage } from '../imageStore.js';

/**
 * What an image's `.json` holds: its facts, and whether a message refers to it. Files written
 * before `sent` existed have none and count as sent: nothing cheap tells whether a message
 * refers to them, and removing an image a conversation shows is worse than keeping one nobody
 * sent until its conversation's retention ends.
 */
type StoredFacts = ImageRecord & { sent?: boolean };

/** How many files the start-up scan reads at once. */
const SCAN_BATCH = 64;

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}

async function writeAll(file: fs.FileHandle, chunk: Buffer): Promise<void> {
  for (let done = 0; done < chunk.length; ) done += (await file.write(chunk, done, chunk.length - done)).bytesWritten;
}

/**
 * Images as files under one folder (DATA_DIR/images), next to the SQLite database: `ID` holds
 * the bytes and `ID.json` the facts. The path is built only from our random id (checked against
 * IMAGE_ID), never from anything a client named, so no upload can reach outside the folder.
 *
 * One process owns the folder (several nodes use PostgreSQL): it reads every `.json` once at
 * start into an index, so quotas and the clean-up never list the folder again. Reading images
 * does not wait for that scan; uploads, sends and the clean-up do.
 */
export class FileImageStore implements ImageStore {
  private readonly index = new ImageIndex();
  /** The start-up scan; everything that needs the index (or writes) waits for it. */
  private readonly ready: Promise<void>;

  constructor(private readonly dir: string) {
    this.ready = this.scan();
    // A failed scan is reported by open() and by every call that needs the index.
    this.ready.catch(() => {});
  }

  /** A store whose start-up scan is done (or failed, then this rejects). */
  static async open(dir: string): Promise<FileImageStore> {
    const store = new FileImageStore(dir);
    await store.ready;
    return store;
  }

  private file(id: string): string | undefined {
    return IMAGE_ID.test(id) ? path.join(this.dir, id) : undefined;
  }

  /**
   * Indexes the images a previous run left, and removes what a run stopped midway left: temp
   * files, and bytes whose facts were never renamed into place. Nothing writes before this ends,
   * so no temp file found here belongs to an upload in progress.
   */
  private async scan(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const names = await fs.readdir(this.dir);
    const withFacts = new Set(names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)));
    for (let i = 0; i < names.length; i += SCAN_BATCH) {
      await Promise.all(names.slice(i, i + SCAN_BATCH).map((name) => this.scanOne(name, withFacts)));
    }
  }

  private async scanOne(name: string, withFacts: Set<string>): Promise<void> {
    const full = path.join(this.dir, name);
    if (name.includes('.tmp') || (IMAGE_ID.test(name) && !withFacts.has(name))) {
      await fs.rm(full, { force: true });
      return;
    }
    const id = name.slice(0, -'.json'.length);
    if (!name.endsWith('.json') || !IMAGE_ID.test(id)) return;
    let facts: StoredFacts;
    try {
      facts = JSON.parse(await fs.readFile(full, 'utf8')) as StoredFacts;
    } catch (err) {
      // Facts are renamed into place whole, so this is damage from outside: say where it is.
      throw new Error(`unreadable image facts ${full}: ${(err as Error).message}`);
    }
    this.index.add(id, { conversationId: facts.conversationId, bytes: facts.bytes, ts: facts.ts, sent: facts.sent ?? true });
  }

  async put(image: NewImage, data: ImageBytes): Promise<ImageRecord> {
    const file = this.file(image.id);
    if (file === undefined) throw new Error('bad image id');
    await this.ready;
    // Bytes first, facts last, each renamed into place: an image "exists" once its .json does,
    // and then its bytes are complete, even if the process dies mid-upload.
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    let bytesInPlace = false;
    try {
      let bytes = 0;
      const out = await fs.open(tmp, 'wx');
      try {
        for await (const chunk of data) {
          await writeAll(out, chunk);
          bytes += chunk.length;
        }
      } finally {
        await out.close();
      }
      await fs.rename(tmp, file);
      bytesInPlace = true;
      const record: ImageRecord = { ...image, bytes };
      await fs.writeFile(`${tmp}.json`, JSON.stringify({ ...record, sent: false } satisfies StoredFacts));
      await fs.rename(`${tmp}.json`, `${file}.json`);
      this.index.add(image.id, { conversationId: image.conversationId, bytes, ts: image.ts, sent: false });
      return record;
    } catch (err) {
      // Cut off midway (a limit, a client gone, a full disk): nothing of it stays.
      await Promise.all([fs.rm(tmp, { force: true }), fs.rm(`${tmp}.json`, { force: true }), bytesInPlace ? fs.rm(file, { force: true }) : undefined]);
      throw err;
    }
  }

  async get(id: string): Promise<ImageRecord | undefined> {
    const file = this.file(id);
    if (file === undefined) return undefined;
    try {
      const { sent: _sent, ...image } = JSON.parse(await fs.readFile(`${file}.json`, 'utf8')) as StoredFacts;
      return image;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async read(id: string): Promise<{ image: ImageRecord; data: Buffer } | undefined> {
    const image = await this.get(id);
    if (!image) return undefined;
    try {
      return { image, data: await fs.readFile(this.file(id) as string) };
    } catch (err) {
      // Removed by the clean-up between the two reads.
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async markSent(id: string): Promise<boolean> {
    const file = this.file(id);
    if (file === undefined) return false;
    await this.ready;
    const indexed = this.index.get(id);
    if (!indexed) return false;
    if (indexed.sent) return true;
    // Marked in the index before any await: the clean-up, which checks it just before removing,
    // can no longer take this image, whatever happens while the file is rewritten.
    indexed.sent = true;
    const facts = await this.get(id);
    if (!facts) return false;
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp.json`;
    await fs.writeFile(tmp, JSON.stringify({ ...facts, sent: true } satisfies StoredFacts));
    await fs.rename(tmp, `${file}.json`);
    // Its conversation's retention ended meanwhile: the facts must not outlive the bytes.
    if (!this.index.get(id)) await fs.rm(`${file}.json`, { force: true });
    return true;
  }

  async usage(conversationId: string): Promise<{ conversation: ImageUsage; total: ImageUsage }> {
    await this.ready;
    return this.index.usage(conversationId);
  }

  async removeUnsent(before: number, limit: number): Promise<number> {
    await this.ready;
    let removed = 0;
    for (const id of this.index.unsentBefore(before, limit)) {
      // Sent meanwhile (a message was stored while this loop awaited a removal): kept.
      if (this.index.get(id)?.sent !== false) continue;
      await this.remove(id);
      removed++;
    }
    return removed;
  }

  async conversationsWithImagesBefore(before: number, after: string, limit: number): Promise<string[]> {
    await this.ready;
    return this.index.conversationsBefore(before, after, limit);
  }

  async removeConversations(ids: readonly string[]): Promise<number> {
    await this.ready;
    let removed = 0;
    for (const conversationId of ids) {
      for (const id of this.index.idsOf(conversationId)) {
        if (!this.index.get(id)) continue;
        await this.remove(id);
        removed++;
      }
    }
    return removed;
  }

  /** Forgets an image, then removes its facts (so it stops existing) and its bytes. */
  private async remove(id: string): Promise<void> {
    this.index.remove(id);
    const file = this.file(id) as string;
    await fs.rm(`${file}.json`, { force: true });
    await fs.rm(file, { force: true });
  }

  async close(): Promise<void> {
    await this.ready.catch(() => {});
  }
}
