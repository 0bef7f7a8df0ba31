import { QUEUE_SCRIPTS } from './redisQueueScripts.js';
import { ROOM_SCRIPTS } from './redisRoomScripts.js';
import { SEAT_SCRIPTS } from './redisSeatScripts.js';

/**
 * Every Redis room registry transition, one Lua script each (the key layout is in
 * redisScriptPrelude.ts), so each is atomic across nodes as the in-process registry's methods
 * are atomic within one.
 */
export const REDIS_REGISTRY_SCRIPTS = { ...ROOM_SCRIPTS, ...SEAT_SCRIPTS, ...QUEUE_SCRIPTS } as const;

export type RedisRegistryScript = keyof typeof REDIS_REGISTRY_SCRIPTS;
