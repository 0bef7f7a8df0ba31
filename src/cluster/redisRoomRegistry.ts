import type { Redis } from 'ioredis';
import { REDIS_REGISTRY_SCRIPTS, type RedisRegistryScript } from './redisRegistryScripts.js';
import type {
  AgentStatus,
  AwayMarked,
  AwayRequeueResult,
  ClaimResult,
  Expired,
  NodeSession,
  OpenResult,
  Placement,
  QueueLeft,
  QueueLimits,
  RegistryStats,
  RequestResult,
  RequeueResult,
  ResolveResult,
  ResumeResult,
  RoomRegistry,
  RoomView,
  SeatKeys,
  SeatLeft,
  SeatView,
  TicketHolder,
  TransferResult,
  WaitingView,
} from './roomRegistry.js';
import { KEEP_LAPSED_TICKET_MS, agentNameKey } from './roomRegistry.js';

/** Lua's cjson writes an empty table as {}: read it back as the empty list it was. */
function list<T>(x: unknown): T[] {
  return Array.isArray(x) ? (x as T[]) : [];
}

/** The fields of the scripts' answers that are lists, wherever they are nested. */
const LIST_FIELDS = ['seats', 'reservedFor', 'requeued', 'dropped', 'customers', 'agents', 'waiting'];

function isEmptyObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
}

/** Turns every list field that came back empty (as {}) into the empty list it was. */
function withLists(x: unknown): unknown {
  if (Array.isArray(x)) {
    for (const item of x) withLists(item);
  } else if (typeof x === 'object' && x !== null) {
    const o = x as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      if (LIST_FIELDS.includes(k) && isEmptyObject(v)) o[k] = [];
      else withLists(v);
    }
  }
  return x;
}

/**
 * The room registry shared by several nodes. Each method is one Lua script (see
 * redisRegistryScripts.ts), so placing a customer, taking a queue head or claiming an agent
 * name is atomic across nodes.
 */
export class RedisRoomRegistry implements RoomRegistry {
  private readonly shas = new Map<RedisRegistryScript, string>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'kefu:',
  ) {}

  /** Runs a script by its SHA, loading it on first use or after a Redis restart. */
  private async run(script: RedisRegistryScript, ...args: Array<string | number>): Promise<unknown> {
    const argv = [this.prefix, ...args.map(String)];
    let sha = this.shas.get(script);
    if (sha === undefined) {
      sha = (await this.redis.script('LOAD', REDIS_REGISTRY_SCRIPTS[script])) as string;
      this.shas.set(script, sha);
    }
    try {
      return withLists(JSON.parse((await this.redis.evalsha(sha, 0, ...argv)) as string));
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
      this.shas.delete(script);
      return this.run(script, ...args);
    }
  }

  async openRoom(agent: string, agentSession: string, capacity: number): Promise<OpenResult> {
    return (await this.run('openRoom', agent, agentSession, agentNameKey(agent), capacity)) as OpenResult;
  }

  async closeRoom(agent: string, agentSession: string): Promise<RoomView | undefined> {
    return ((await this.run('closeRoom', agent, agentSession)) as RoomView | false) || undefined;
  }

  async requestRoom(customer: string, ticket: string, now: number, ttlMs: number, limits: QueueLimits, holder?: TicketHolder): Promise<RequestResult> {
    const keepMs = ttlMs + KEEP_LAPSED_TICKET_MS;
    return (await this.run(
      'requestRoom',
      customer,
      ticket,
      now + ttlMs,
      limits.maxLength,
      keepMs,
      now,
      holder?.key ?? '',
      holder?.maxReservations ?? 0,
    )) as RequestResult;
  }

  async claimTicket(ticket: string, customer: string, customerSession: string, keys: SeatKeys, now: number, limits: QueueLimits): Promise<ClaimResult> {
    const args = [ticket, customer, customerSession, keys.conversationId, keys.resumeHash, now, now + limits.maxWaitMs, limits.maxLength];
    return (await this.run('claimTicket', ...args)) as ClaimResult;
  }

  async resumeCustomer(resumeHash: string, customer: string, customerSession: string): Promise<ResumeResult> {
    return (await this.run('resumeCustomer', resumeHash, customer, customerSession)) as ResumeResult;
  }

  async leaveRoom(agent: string, customerSession: string): Promise<SeatLeft | undefined> {
    return ((await this.run('leaveRoom', agent, customerSession)) as SeatLeft | false) || undefined;
  }

  async resolve(agent: string, agentSession: string, conversationId: string): Promise<ResolveResult> {
    return (await this.run('resolve', agent, agentSession, conversationId)) as ResolveResult;
  }

  async setStatus(agent: string, agentSession: string, status: AgentStatus): Promise<RoomView | undefined> {
    return ((await this.run('setStatus', agent, agentSession, status)) as RoomView | false) || undefined;
  }

  async leaveQueue(customerSession: string): Promise<QueueLeft | undefined> {
    return ((await this.run('leaveQueue', customerSession)) as QueueLeft | false) || undefined;
  }

  async markQueueAway(customerSession: string, until: number): Promise<number | undefined> {
    return ((await this.run('markQueueAway', customerSession, until)) as number | false) || undefined;
  }

  async markAway(agent: string, role: 'kefu' | 'yonghu', session: string, until: number): Promise<AwayMarked | undefined> {
    return ((await this.run('markAway', agent, role, session, until)) as AwayMarked | false) || undefined;
  }

  async fillFreeRooms(now: number): Promise<Placement[]> {
    return list<Placement>(await this.run('fillFreeRooms', now));
  }

  async expire(now: number): Promise<Expired> {
    const raw = (await this.run('expire', now)) as Record<string, unknown>;
    return {
      customers: list<{ room: RoomView; seat: SeatView }>(raw.customers),
      agents: list<RoomView>(raw.agents),
      waiting: list<Expired['waiting'][number]>(raw.waiting),
    };
  }

  async waiting(): Promise<WaitingView[]> {
    return list<WaitingView>(await this.run('waiting'));
  }

  async getRoom(agent: string): Promise<RoomView | undefined> {
    return ((await this.run('getRoom', agent)) as RoomView | false) || undefined;
  }

  async restoreRoom(agent: string, seat: Omit<SeatView, 'session'>, until: number): Promise<void> {
    await this.run('restoreRoom', agent, seat.name, seat.conversationId, seat.resumeHash, until, agentNameKey(agent));
  }

  async transfer(from: string, fromSession: string, conversationId: string, to: string, now: number): Promise<TransferResult> {
    return (await this.run('transfer', from, fromSession, conversationId, to, now)) as TransferResult;
  }

  async requeue(from: string, fromSession: string, conversationId: string, waitUntil: number): Promise<RequeueResult> {
    return (await this.run('requeue', from, fromSession, conversationId, waitUntil)) as RequeueResult;
  }

  async requeueAway(agent: string, waitUntil: number): Promise<AwayRequeueResult> {
    return (await this.run('requeueAway', agent, waitUntil)) as AwayRequeueResult;
  }

  async listRooms(): Promise<RoomView[]> {
    return list<RoomView>(await this.run('listRooms'));
  }

  async sessionsOfNode(node: string): Promise<NodeSession[]> {
    return list<NodeSession>(await this.run('sessionsOfNode', node));
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async stats(): Promise<RegistryStats> {
    return (await this.run('stats')) as RegistryStats;
  }
}
