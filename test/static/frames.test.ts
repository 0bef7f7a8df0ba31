import { describe, expect, it } from 'vitest';
import { messageFromHistory, readFrame } from '../../static/lib/frames.js';
import { agentOf, customerOf, noticeLine } from '../../static/lib/notices.js';

describe('how the pages read server frames', () => {
  it('keeps the fields of a message frame with the types the protocol gives them', () => {
    const raw = {
      neiRong: '你好',
      shuiFaDe: '张三',
      type: 'message',
      role: 'yonghu',
      ts: 1,
      id: 7,
      seq: 3,
      cid: 'c1',
      replay: true,
      image: { id: 'x', url: '/api/images/x', mime: 'image/png', bytes: 9, width: 2, height: 1 },
    };
    expect(readFrame(raw)).toEqual({
      neiRong: '你好',
      shuiFaDe: '张三',
      type: 'message',
      role: 'yonghu',
      ts: 1,
      id: 7,
      seq: 3,
      cid: 'c1',
      replay: true,
      image: { url: '/api/images/x', width: 2, height: 1 },
    });
  });

  it('leaves out fields of the wrong type, as if the server had not sent them', () => {
    const f = readFrame({
      neiRong: 5,
      shuiFaDe: null,
      type: 'system',
      event: 3,
      role: 'admin',
      seq: '3',
      cid: 9,
      ts: 'now',
      agent: ['x'],
      position: {},
      recovered: 'yes',
      image: { url: 5 },
    });
    expect(f).toEqual({ neiRong: '', shuiFaDe: '', type: 'system' });
  });

  it('keeps only the well-formed agents, offline messages and bot exchanges of a list', () => {
    const f = readFrame({
      type: 'presence',
      agents: [{ name: 'a', state: 'free', avatar: 'owl' }, { name: 'b', state: 'asleep' }, 'c', null, { name: 3, state: 'away' }],
      offlineMessages: [
        { id: 1, name: 'n', contact: 'c', content: 't', createdAt: 5 },
        { id: '2', name: 'n', contact: 'c', content: 't' },
      ],
      botExchanges: [{ question: 'q', answer: 'a', ts: 1 }, { question: 'q' }],
    });
    expect(f?.agents).toEqual([{ name: 'a', state: 'free', avatar: 'owl' }]);
    expect(f?.offlineMessages).toEqual([{ id: 1, name: 'n', contact: 'c', content: 't', createdAt: 5 }]);
    expect(f?.botExchanges).toEqual([{ question: 'q', answer: 'a', ts: 1 }]);
  });

  it('reads a seed frame, with no type and only its text and sender', () => {
    expect(readFrame({ neiRong: 'close', shuiFaDe: 'code' })).toEqual({ neiRong: 'close', shuiFaDe: 'code', type: '' });
  });

  it('refuses what is not a JSON object', () => {
    for (const raw of [null, [], 'x', 3, true]) expect(readFrame(raw)).toBeNull();
  });

  it('reads a stored message from the transcripts API as the message frame it was', () => {
    expect(messageFromHistory({ content: '在吗', sender: '张三', role: 'yonghu', ts: 2, seq: 1, cid: 'c' })).toEqual({
      neiRong: '在吗',
      shuiFaDe: '张三',
      type: 'message',
      role: 'yonghu',
      ts: 2,
      seq: 1,
      cid: 'c',
    });
    expect(messageFromHistory('x')).toBeNull();
  });
});

describe('who a notice is about', () => {
  it('takes the name from the frame field, whatever the notice text says', () => {
    const f = readFrame({ type: 'system', event: 'agent_assigned', neiRong: '客服-别人-将为您服务', agent: '客服-小王-' });
    expect(f && agentOf(f)).toBe('客服-小王-');
    const g = readFrame({ type: 'system', event: 'customer_entered', neiRong: '用户-别人-已进入房间', customer: '张三' });
    expect(g && customerOf(g)).toBe('张三');
  });

  it('reads the inbox frame, presence load and queue, and keeps only their well-formed entries', () => {
    const inbox = readFrame({
      type: 'inbox',
      capacity: 3,
      status: 'away',
      conversations: [
        { conversationId: 'c1', customer: '张三', avatar: 'owl', startedAt: 5, waitedMs: 2, away: true, visitorId: 'v'.repeat(22) },
        { conversationId: 'c2', customer: '李四', away: 'no' },
        { conversationId: 3, customer: '王五' },
      ],
    });
    expect(inbox).toMatchObject({ capacity: 3, status: 'away' });
    expect(inbox?.conversations).toEqual([
      { conversationId: 'c1', customer: '张三', avatar: 'owl', startedAt: 5, waitedMs: 2, away: true, visitorId: 'v'.repeat(22) },
      { conversationId: 'c2', customer: '李四', away: false },
    ]);
    const presence = readFrame({
      type: 'presence',
      agents: [
        { name: 'a', state: 'serving', status: 'away', chats: 2, capacity: 3 },
        { name: 'b', state: 'free', status: 'busy', chats: '1' },
      ],
      queue: [{ customer: '张三', position: 1 }, { customer: '李四' }, 'x'],
    });
    expect(presence?.agents).toEqual([
      { name: 'a', state: 'serving', status: 'away', chats: 2, capacity: 3 },
      { name: 'b', state: 'free' },
    ]);
    expect(presence?.queue).toEqual([{ customer: '张三', position: 1 }]);
  });

  it('falls back to the peer field, then to what the page knows, then to a neutral word', () => {
    const away = readFrame({ type: 'system', event: 'peer_back', neiRong: '客服-小王-已回来', peer: '小王' });
    expect(away && agentOf(away)).toBe('小王');
    const seed = readFrame({ type: 'system', event: 'agent_assigned', neiRong: '客服-小王-将为您服务' });
    expect(seed && agentOf(seed, '小李')).toBe('小李');
    expect(seed && agentOf(seed)).toBe('客服');
    expect(seed && customerOf(seed)).toBe('用户');
  });

  it('writes a notice from its event and fields, with what its text does not say, and names without hyphens', () => {
    const entered = readFrame({ type: 'system', event: 'customer_entered', neiRong: '用户-别人-已进入房间', customer: '张三', transferredFrom: '小王' });
    expect(entered && noticeLine(entered)).toBe('用户张三已进入会话 · 由 小王 转接');
    const rated = readFrame({ type: 'system', event: 'rated', neiRong: '用户-张三-评价了本次服务:4 星', customer: '张三', score: 4, comment: '很好' });
    expect(rated && noticeLine(rated)).toBe('用户张三评价了本次服务:4 星 · “很好”');
    const left = readFrame({ type: 'system', event: 'agent_left', neiRong: '客服-小王-已退出房间', agent: '小王' });
    expect(left && noticeLine(left)).toBe('客服小王已离开');
  });

  it('shows the wire text of a notice whose fields are missing or whose event is unknown', () => {
    const seed = readFrame({ type: 'system', event: 'agent_left', neiRong: '客服-小王-已退出房间' });
    expect(seed && noticeLine(seed)).toBe('客服-小王-已退出房间');
    const newer = readFrame({ type: 'system', event: 'something_new', neiRong: '新的通知', agent: '小王' });
    expect(newer && noticeLine(newer)).toBe('新的通知');
  });
});
