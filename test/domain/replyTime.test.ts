import { describe, expect, it } from 'vitest';
import { ExpectedReplyTime, median } from '../../src/domain/replyTime.js';
import { MemoryConversationStore } from '../../src/store/memory/conversationStore.js';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([300, 10, 20])).toBe(20);
    expect(median([40, 10, 20, 30])).toBe(25);
    expect(median([])).toBeNull();
  });
});

describe('ExpectedReplyTime', () => {
  it('is the median first response of recent conversations, reused until the cache runs out', async () => {
    let now = 1_000_000;
    const store = new MemoryConversationStore(undefined, () => now);
    const replied = async (id: string, startedAt: number, replyAfterMs: number) => {
      await store.startConversation({ id, agent: 'a', customer: 'c', startedAt, resumeHash: id });
      await store.appendMessage({ conversationId: id, sender: 'a', role: 'kefu', content: 'hi', ts: startedAt + replyAfterMs });
    };
    await replied('old', 0, 999_000); // outside the window
    await replied('x', 900_000, 60_000);
    await replied('y', 910_000, 120_000);
    await replied('z', 920_000, 3_600_000);
    const expected = new ExpectedReplyTime(store, { windowMs: 500_000, sample: 50, cacheMs: 30_000 }, () => now);
    expect(await expected.medianMs()).toBe(120_000);
    await replied('w', 930_000, 0);
    expect(await expected.medianMs()).toBe(120_000);
    now += 30_000;
    expect(await expected.medianMs()).toBe(90_000);
  });

  it('has nothing to say without replied conversations', async () => {
    expect(await new ExpectedReplyTime(new MemoryConversationStore()).medianMs()).toBeNull();
  });
});
