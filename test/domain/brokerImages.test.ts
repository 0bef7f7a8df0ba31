import { describe, expect, it } from 'vitest';
import { MemoryRoomRegistry } from '../../src/cluster/memoryRoomRegistry.js';
import { Broker } from '../../src/domain/broker.js';
import type { Participant } from '../../src/domain/participant.js';
import type { ImageRecord } from '../../src/store/imageStore.js';
import { MemoryImageStore } from '../../src/store/memory/imageStore.js';
import { openMemoryStores } from '../../src/store/memory/stores.js';
import { DISGUISED, PNG } from '../helpers/images.js';

async function seatedPair() {
  const stores = openMemoryStores();
  const images = new MemoryImageStore();
  const broker = new Broker(
    new MemoryRoomRegistry(),
    stores,
    { ticketTtlMs: 60_000, graceMs: 60_000, queueMaxLength: 10, queueMaxWaitMs: 600_000, replayLimit: 1000, now: () => 5000 },
    { images },
  );
  const a = await broker.admitAgent('a1', 'alice');
  const offer = await broker.requestRoom('bob');
  if (!a.ok || !offer.room) throw new Error('not seated');
  const c = await broker.admitCustomer('c1', 'bob', offer.ticket);
  if (!c.ok) throw new Error('not seated');
  const first = c.deliveries[0]?.event;
  const conversationId = first?.kind === 'agent_assigned' ? first.conversationId : '';
  return { broker, images, store: stores.conversations, agent: a.participant as Participant, customer: c.participant, conversationId };
}

describe('Broker: images', () => {
  it('stores an upload only when its bytes are an image, and only into an open conversation', async () => {
    const { broker, images, conversationId } = await seatedPair();
    expect(await broker.uploadImage(conversationId, 'yonghu', DISGUISED.svg)).toBe('not_an_image');
    expect(await broker.uploadImage('no-such-conversation', 'kefu', PNG)).toBe('no_conversation');
    const image = (await broker.uploadImage(conversationId, 'yonghu', PNG)) as ImageRecord;
    expect(image).toMatchObject({ conversationId, role: 'yonghu', mime: 'image/png', bytes: PNG.length, width: 1, height: 1, ts: 5000 });
    expect((await images.read(image.id))?.data.length).toBe(PNG.length);
  });

  it('sends an image message to both sides, stored with [图片] as its text', async () => {
    const { broker, store, customer, conversationId } = await seatedPair();
    const image = (await broker.uploadImage(conversationId, 'yonghu', PNG)) as ImageRecord;
    const out = await broker.sendImage(customer, image.id, 'k1');
    expect(out).toEqual([
      {
        to: ['c1', 'a1'],
        event: expect.objectContaining({
          kind: 'message',
          content: '[图片]',
          seq: 1,
          cid: 'k1',
          image: { id: image.id, mime: 'image/png', bytes: PNG.length, width: 1, height: 1 },
        }),
      },
    ]);
    expect((await store.messagesAfter(conversationId, 0, 10))[0]?.image?.id).toBe(image.id);
  });

  it('refuses an image of another conversation, or an unknown one, as bad_image', async () => {
    const { broker, customer, agent } = await seatedPair();
    await broker.admitAgent('a2', 'dave');
    const offer = await broker.requestRoom('carol');
    if (!offer.room) throw new Error('no room');
    const carol = await broker.admitCustomer('c2', 'carol', offer.ticket);
    const first = carol.ok ? carol.deliveries[0]?.event : undefined;
    const carolsConversation = first?.kind === 'agent_assigned' ? first.conversationId : '';
    const image = (await broker.uploadImage(carolsConversation, 'yonghu', PNG)) as ImageRecord;
    for (const who of [customer, agent]) {
      expect(await broker.sendImage(who, image.id, 'x')).toEqual([{ to: [who.session], event: { kind: 'refused', error: 'bad_image', cid: 'x' } }]);
    }
    expect(await broker.sendImage(customer, 'A'.repeat(22))).toEqual([{ to: ['c1'], event: { kind: 'refused', error: 'bad_image' } }]);
  });
});
