import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { IMAGE_ID } from '../protocol/imageFormat.js';
import type { ImageRecord, ImageStore } from './imageStore.js';

/**
 * Images as files under one folder (DATA_DIR/images), next to the SQLite database: `ID` holds
 * the bytes and `ID.json` the facts. The path is built only from our random id (checked against
 * IMAGE_ID), never from anything a client named, so no upload can reach outside the folder.
 */
export class FileImageStore implements ImageStore {
  constructor(private readonly dir: string) {}

  private file(id: string): string | undefined {
    return IMAGE_ID.test(id) ? path.join(this.dir, id) : undefined;
  }

  async put(image: ImageRecord, data: Buffer): Promise<void> {
    const file = this.file(image.id);
    if (file === undefined) throw new Error('bad image id');
    await fs.mkdir(this.dir, { recursive: true });
    // Bytes first, facts last, each renamed into place: an image "exists" once its .json does,
    // and then its bytes are complete, even if the process dies mid-upload.
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
    await fs.writeFile(`${tmp}.json`, JSON.stringify(image));
    await fs.rename(`${tmp}.json`, `${file}.json`);
  }

  async get(id: string): Promise<ImageRecord | undefined> {
    const file = this.file(id);
    if (file === undefined) return undefined;
    try {
      return JSON.parse(await fs.readFile(`${file}.json`, 'utf8')) as ImageRecord;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async read(id: string): Promise<{ image: ImageRecord; data: Buffer } | undefined> {
    const image = await this.get(id);
    if (!image) return undefined;
    return { image, data: await fs.readFile(this.file(id) as string) };
  }

  async close(): Promise<void> {}
}
