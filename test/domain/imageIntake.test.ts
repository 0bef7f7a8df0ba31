import { describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_LIMITS, IMAGE_OVERHEAD_BYTES, ImageIntake, type ImageLimits } from '../../src/domain/imageIntake.js';
import { MemoryConversationStore } from '../../src/store/memory/conversationStore.js';
import { MemoryImageStore } from '../../src/store/memory/imageStore.js';
import { DISGUISED, PNG, pngOfSize } from '../helpers/images.js';

async function intakeWith(limits: Partial<ImageLimits> = {}) {
  const store = new MemoryConversationStore();
  await store.startConversation({ id: 'c', agent: 'alice', customer: 'bob', startedAt: 1, resumeHash: 'h' });
  const images = new MemoryImageStore();
  return { intake: new ImageIntake(store, images, { ...DEFAULT_IMAGE_LIMITS, ...limits }, () => 1000), images };
}

/** A body that records how far it was read: `pulled` counts the chunks handed out. */
function watchedBody(chunks: Buffer[]): { body: AsyncGenerator<Buffer>; pulled: () => number } {
  let pulled = 0;
  async function* body(): AsyncGenerator<Buffer> {
    for (const chunk of chunks) {
      pulled++;
      yield chunk;
    }
  }
  return { body: body(), pulled: () => pulled };
}

describe('ImageIntake', () => {
  it('stops reading a body once its first bytes show it is no image', async () => {
    const { intake } = await intakeWith();
    const watched = watchedBody([DISGUISED.html, Buffer.alloc(1024 * 1024), Buffer.alloc(1024 * 1024)]);
    expect(await intake.take('c', 'yonghu', watched.body)).toBe('not_an_image');
    expect(watched.pulled()).toBe(1);
  });

  it('stops reading a body once its header claims too many pixels', async () => {
    const { intake } = await intakeWith({ maxPixels: 100 });
    const header = Buffer.from(PNG.subarray(0, 24));
    header.writeUInt32BE(11, 16);
    header.writeUInt32BE(10, 20);
    const watched = watchedBody([header, Buffer.alloc(1024 * 1024)]);
    expect(await intake.take('c', 'yonghu', watched.body)).toBe('too_many_pixels');
    expect(watched.pulled()).toBe(1);
  });

  it('reads no byte of an upload into a conversation that is not open', async () => {
    const { intake } = await intakeWith();
    const watched = watchedBody([PNG]);
    expect(await intake.take('nope', 'kefu', watched.body)).toBe('no_conversation');
    expect(watched.pulled()).toBe(0);
  });

  it('counts each image 4 KiB beyond its bytes toward a quota, so a quota also bounds how many images there are', async () => {
    const { intake, images } = await intakeWith({ conversationQuotaBytes: 3 * (IMAGE_OVERHEAD_BYTES + PNG.length) });
    for (let i = 0; i < 3; i++) expect(await intake.take('c', 'yonghu', [PNG])).toMatchObject({ bytes: PNG.length });
    expect(await intake.take('c', 'yonghu', [PNG])).toBe('conversation_quota');
    expect((await images.usage('c')).conversation.images).toBe(3);
  });

  it('names the limit that cut an upload off: the size limit, or the quota with less room', async () => {
    const small = await intakeWith({ maxBytes: 1000, conversationQuotaBytes: 100_000 });
    expect(await small.intake.take('c', 'yonghu', [pngOfSize(1001)])).toBe('too_large');
    const tight = await intakeWith({ maxBytes: 100_000, conversationQuotaBytes: IMAGE_OVERHEAD_BYTES + 1000 });
    expect(await tight.intake.take('c', 'yonghu', [pngOfSize(1001)])).toBe('conversation_quota');
    const full = await intakeWith({ maxBytes: 100_000, totalQuotaBytes: IMAGE_OVERHEAD_BYTES + 1000 });
    expect(await full.intake.take('c', 'yonghu', [pngOfSize(1001)])).toBe('server_quota');
    expect(await full.intake.take('c', 'yonghu', [pngOfSize(1000)])).toMatchObject({ bytes: 1000 });
  });
});
