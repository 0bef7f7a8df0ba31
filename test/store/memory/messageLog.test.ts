import { describe, expect, it } from 'vitest';
import { MessageLog } from '../../../src/store/memory/messageLog.js';
import { RecordArena } from '../../../src/store/memory/recordArena.js';
import { TextArena } from '../../../src/store/memory/textArena.js';
import type { NewMessage } from '../../../src/store/conversationStore.js';

const CONVERSATION = 'conv-1';

function message(content: string, extra: Partial<NewMessage> = {}): NewMessage {
  return { conversationId: CONVERSATION, sender: 'bob', role: 'yonghu', content, ts: 1_700_000_000_000, ...extra };
}

describe('MessageLog', () => {
  it('reads back a thousand messages in order, each with its seq, id, time and sender', () => {
    const log = new MessageLog(CONVERSATION, new TextArena(), new RecordArena());
    const texts: string[] = [];
    for (let i = 0; i < 1000; i++) {
      // ASCII, CJK (3 bytes each in UTF-8) and astral emoji (a surrogate pair, 4 bytes), mixed.
      const text = i % 3 === 0 ? `message ${i}` : i % 3 === 1 ? `第${i}条消息` : `${i} 😀🎉`;
      texts.push(text);
      const role = i % 2 === 0 ? 'yonghu' : 'kefu';
      const stored = log.append(message(text, { sender: role === 'yonghu' ? 'bob' : 'alice', role, ts: 1000 + i }), 500 + i);
      expect(stored).toMatchObject({ seq: i + 1, id: 500 + i, content: text });
    }
    expect(log.length).toBe(1000);
    const all = log.after(0, 1000);
    expect(all.map((m) => m.content)).toEqual(texts);
    expect(all[999]).toEqual({
      id: 1499,
      conversationId: CONVERSATION,
      seq: 1000,
      sender: 'alice',
      role: 'kefu',
      content: texts[999],
      ts: 1999,
      cid: null,
      image: null,
    });
    expect(all[998]).toMatchObject({ sender: 'bob', role: 'yonghu', ts: 1998 });
  });

  it('reads back conversations that write in turn into the same arenas, across every block and slab boundary', () => {
    // Small slabs (the largest block, 1,024 messages, is 5,120 doubles), so blocks start in many slabs.
    const texts = new TextArena(16 * 1024);
    const records = new RecordArena(8 * 1024);
    const logs = ['a', 'b', 'c'].map((id) => new MessageLog(id, texts, records));
    // 5,000 messages each: past the doubling blocks (4 to 1,024 messages) and several full ones.
    const count = 5000;
    for (let i = 0; i < count; i++) {
      for (const [k, log] of logs.entries())
        log.append({ ...message(`${log.conversationId}${i}`), conversationId: log.conversationId, ts: i * 10 + k }, i * 3 + k);
    }
    logs.forEach((log, k) => {
      expect(log.length).toBe(count);
      const all = log.after(0, count);
      expect(all).toHaveLength(count);
      for (const [i, m] of all.entries())
        expect(m).toEqual({
          id: i * 3 + k,
          conversationId: log.conversationId,
          seq: i + 1,
          sender: 'bob',
          role: 'yonghu',
          content: `${log.conversationId}${i}`,
          ts: i * 10 + k,
          cid: null,
          image: null,
        });
      // Windows that start just before, at and after a block's first message.
      for (const start of [3, 4, 5, 11, 12, 2043, 2044, 3067, 3068, 4999]) {
        expect(log.after(start, 3).map((m) => m.seq)).toEqual([start + 1, start + 2, start + 3].filter((seq) => seq <= count));
      }
    });
  });

  it('keeps a long message between two short ones', () => {
    const log = new MessageLog(CONVERSATION, new TextArena(), new RecordArena());
    log.append(message('short'), 1);
    const long = '长'.repeat(4000); // 12,000 bytes in UTF-8
    log.append(message(long), 2);
    log.append(message('after'), 3);
    expect(log.after(0, 10).map((m) => m.content)).toEqual(['short', long, 'after']);
  });

  it('finds a resend by the client id its role sent, and keeps the two roles\u2019 ids apart', () => {
    const log = new MessageLog(CONVERSATION, new TextArena(), new RecordArena());
    const first = log.append(message('hello', { cid: 'c1' }), 1);
    log.append(message('hi', { cid: 'c1', sender: 'alice', role: 'kefu' }), 2);
    expect(log.findByCid('yonghu', first.sender, 'c1')).toEqual(first);
    expect(log.findByCid('kefu', 'alice', 'c1')).toMatchObject({ seq: 2, content: 'hi', cid: 'c1' });
    expect(log.findByCid('yonghu', first.sender, 'c2')).toBeUndefined();
    expect(log.after(0, 10).map((m) => m.cid)).toEqual(['c1', 'c1']);
  });

  it('keeps an image reference as its own copy, and gives out copies', () => {
    const log = new MessageLog(CONVERSATION, new TextArena(), new RecordArena());
    const image = { id: 'AAAAAAAAAAAAAAAAAAAAAA', mime: 'image/png' as const, bytes: 68, width: 1, height: 1 };
    log.append(message('[图片]', { image }), 1);
    image.bytes = 0;
    const [read] = log.after(0, 1);
    expect(read?.image).toEqual({ id: 'AAAAAAAAAAAAAAAAAAAAAA', mime: 'image/png', bytes: 68, width: 1, height: 1 });
    if (read?.image) read.image.bytes = 1;
    expect(log.after(0, 1)[0]?.image?.bytes).toBe(68);
  });

  it('keeps each message\u2019s own sender when the conversation changes hands', () => {
    const log = new MessageLog(CONVERSATION, new TextArena(), new RecordArena());
    log.append(message('from alice', { sender: 'alice', role: 'kefu' }), 1);
    log.append(message('from carol', { sender: 'carol', role: 'kefu' }), 2);
    log.append(message('from bob'), 3);
    log.append(message('alice again', { sender: 'alice', role: 'kefu' }), 4);
    expect(log.after(0, 10).map((m) => `${m.role}:${m.sender}`)).toEqual(['kefu:alice', 'kefu:carol', 'yonghu:bob', 'kefu:alice']);
  });

  it('reads nothing past the end, and clamps a negative or zero window', () => {
    const log = new MessageLog(CONVERSATION, new TextArena(), new RecordArena());
    for (let i = 1; i <= 3; i++) log.append(message(`m${i}`), i);
    expect(log.after(3, 10)).toEqual([]);
    expect(log.after(10, 10)).toEqual([]);
    expect(log.after(1, 0)).toEqual([]);
    expect(log.after(-5, 2).map((m) => m.seq)).toEqual([1, 2]);
  });

  it('gives back a lone surrogate as U+FFFD: UTF-8 cannot hold one, and the SQL stores replace it too', () => {
    const log = new MessageLog(CONVERSATION, new TextArena(), new RecordArena());
    log.append(message('a\ud800b'), 1);
    expect(log.after(0, 1)[0]?.content).toBe('a\ufffdb');
  });
});
