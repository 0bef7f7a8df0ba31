/**
 * Every human-readable text the server sends, in one place. The wording is the seed design's
 * (003) and is part of the wire contract: seed clients match on it.
 */
export const SYSTEM_SENDER = '系统';

/** shuiFaDe of the frame that orders a customer page to close (seed contract). */
export const CLOSE_COMMAND_SENDER = 'code';
export const CLOSE_COMMAND_CONTENT = 'close';

/**
 * shuiFaDe of the FAQ bot's answers (with `type: "bot"`). Reserved like 系统, so no person can
 * pass their words off as the bot's, or the bot's as a person's.
 */
export const BOT_SENDER = '小助手';

export const notices = {
  roomOpened: (agent: string): string => `客服-${agent}-已上线,等待用户接入`,
  agentAssigned: (agent: string): string => `客服-${agent}-将为您服务`,
  customerEntered: (customer: string): string => `用户-${customer}-已进入房间`,
  customerLeft: (customer: string): string => `用户-${customer}-已退出房间`,
  agentLeft: (agent: string): string => `客服-${agent}-已退出房间`,
  peerAway: (role: 'kefu' | 'yonghu', name: string): string => (role === 'kefu' ? `客服-${name}-暂时离开,请稍候` : `用户-${name}-暂时离开`),
  peerBack: (role: 'kefu' | 'yonghu', name: string): string => (role === 'kefu' ? `客服-${name}-已回来` : `用户-${name}-已回来`),
  resumed: '已重新连接',
  notRecovered: '已重新连接,但漏掉的消息太多,请重新加载聊天记录',
  queuePosition: (position: number): string => `所有客服正忙,您当前排在第 ${position} 位,请稍候`,
  queueTimeout: '暂时没有客服可以接待,请稍后再试',
  queueFull: '排队人数已满,请稍后再试',
  notInRoom: '客服接入后才能发送消息',
  storeFailed: '消息未能保存,请重新发送',
  unavailable: '服务暂时不可用,请稍后重新发送',
  badCid: 'cid 必须是 1-64 个字符的字符串',
  badFrame: '消息格式错误,需要 {"neiRong": "文字"}',
  empty: '消息不能为空',
  tooLong: (max: number): string => `消息过长,最多 ${max} 个字符`,
  rateLimited: '发送太快,请稍后再试',
  customerTransferred: (customer: string, agent: string): string => `用户-${customer}-已转接给客服-${agent}-`,
  presence: (online: number, waiting: number): string => `在线客服 ${online} 人,排队 ${waiting} 人`,
  unknownType: 'type 只能是 message、image、typing、team、transfer、resolve 或 status',
  badTarget: 'to 必须是一位客服的名字',
  agentsOnly: '只有客服可以这样做',
  agentUnavailable: '这位客服不在线或正忙',
  noCustomer: '房间里没有用户可以转接',
  customerAway: '用户暂时离开,回来后才能转回排队',
  customerRequeued: (customer: string): string => `用户-${customer}-已转回排队`,
  requeued: (agent: string, position: number): string => `客服-${agent}-已将您转回排队,您当前排在第 ${position} 位,请稍候`,
  rated: (customer: string, score: number): string => `用户-${customer}-评价了本次服务:${score} 星`,
  badImage: '图片不存在或不属于这个会话,请重新上传',
  badChar: '消息不能包含空字符(U+0000)',
  botQueued: (fallback: string, position: number): string => `${fallback}(您当前排在第 ${position} 位)`,
  botNoAgent: '现在没有客服在线。您可以留言并留下联系方式,客服上线后会联系您。',
  /** The bot's fallback outside business hours (the frame's `opensAt` says when the team is back). */
  botClosed: '现在是非工作时间,客服上班后会回复您。您也可以留言并留下联系方式。',
  /** /getroom outside business hours. */
  closed: '现在是非工作时间,请在工作时间再来,或给客服留言',
  offlineMessages: (n: number): string => `客服不在线时有 ${n} 条留言待处理`,
  newOfflineMessage: (name: string): string => `用户-${name}-留言了`,
  botHistory: (customer: string, n: number): string => `用户-${customer}-排队时问了小助手 ${n} 个问题`,
  conversationResolved: (customer: string): string => `用户-${customer}-的会话已结束`,
  status: (status: 'online' | 'away'): string => (status === 'online' ? '状态:在线' : '状态:离开'),
  inbox: (n: number): string => `当前会话 ${n} 个`,
  conversationRequired: '您有多个会话,请指明 conversationId',
  unknownConversation: '没有这个会话,或它已结束',
  badStatus: 'status 只能是 online 或 away',
} as const;

/** Close reasons (kept short: a close reason is limited to 123 bytes). */
export const closeReasons = {
  badType: 'type must be kefu or yonghu',
  badName: 'name must be 1-32 visible characters, without control or invisible ones',
  reservedName: 'this name is reserved',
  badKey: 'wrong or missing agent key',
  signInFirst: 'sign in first (or give the key of KEFU_KEY)',
  accountDisabled: 'account disabled',
  signedOut: 'signed out',
  passwordReset: 'password reset: sign in again',
  noTicket: 'missing ticket',
  unknownTicket: 'unknown or already used ticket',
  expiredTicket: 'ticket expired',
  wrongName: 'ticket belongs to another name',
  nameTaken: 'an agent with this name is online',
  badSince: 'since must be a non-negative integer',
  badVersion: 'v must be 1 or 2',
  badAvatar: 'avatar must be an id of the built-in set',
  badVisitor: 'visitor must be 16-64 of A-Z, a-z, 0-9, _ and -',
  badEmail: 'email must be an e-mail address',
  badResume: 'unknown or ended conversation',
  queueFull: 'the queue is full, try again later',
  replaced: 'replaced by a newer connection',
  queueTimeout: 'no agent became free in time',
  binary: 'binary frames are not supported',
  abuse: 'too many rejected frames',
  slow: 'slow consumer',
  agentLeft: 'agent left',
  restart: 'restart',
  unavailable: 'service unavailable, try again later',
  identityRequired: 'a signed visitor identity is required',
  badIdentity: 'visitor identity not valid',
} as const;
