import { connectWithCookie, signedIn, api } from './accounts.js';
import { connect, customerUrl, getRoom, type Frame, type TestClient } from './client.js';
import type { TestServer } from './server.js';

/** A signed-in protocol-2 console (the inbox), with what its account and room came to. */
export interface InboxAgent {
  client: TestClient;
  cookie: string;
  /** The room_opened frame (capacity and status). */
  opened: Frame;
  /** The inbox frame right after it. */
  inbox: Frame;
}

/**
 * Makes an agent account taking `maxChats` chats at once, signs it in and opens its console
 * (protocol 2): resolves once room_opened and the inbox frame after it arrived.
 */
export async function openInbox(server: TestServer, name: string, maxChats: number, track: (c: TestClient) => TestClient = (c) => c): Promise<InboxAgent> {
  const { cookie } = await signedIn(server, { name, maxChats });
  const client = track(connectWithCookie(server, cookie));
  await client.opened;
  const opened = await client.nextMatching((f) => f.event === 'room_opened');
  const inbox = await client.nextMatching((f) => f.type === 'inbox');
  return { client, cookie, opened, inbox };
}

/** A customer seated with an agent: their socket and the conversation it is. */
export interface SeatedCustomer {
  client: TestClient;
  conversationId: string;
  agent: string;
}

/** /getroom, then connects with the ticket and waits to be seated (agent_assigned). */
export async function seatCustomer(server: TestServer, name: string, track: (c: TestClient) => TestClient = (c) => c): Promise<SeatedCustomer> {
  const answer = await getRoom(server, name);
  if (!answer.ticket) throw new Error(`no ticket for ${name}: ${JSON.stringify(answer)}`);
  const client = track(connect(customerUrl(server, name, answer.ticket)));
  await client.opened;
  const assigned = await client.nextMatching((f) => f.event === 'agent_assigned');
  return { client, conversationId: assigned.conversationId as string, agent: assigned.agent as string };
}

/** /getroom when no slot is free, then connects with the queue ticket and waits for its place. */
export async function queueCustomer(
  server: TestServer,
  name: string,
  track: (c: TestClient) => TestClient = (c) => c,
): Promise<{ client: TestClient; position: number }> {
  const answer = await getRoom(server, name);
  if (answer.room || !answer.ticket) throw new Error(`expected a queue ticket for ${name}: ${JSON.stringify(answer)}`);
  const client = track(connect(customerUrl(server, name, answer.ticket)));
  await client.opened;
  const place = await client.nextMatching((f) => f.event === 'queue_position');
  return { client, position: place.position as number };
}

/** Sends a frame as JSON. */
export function sendFrame(client: TestClient, frame: Record<string, unknown>): void {
  client.ws.send(JSON.stringify(frame));
}

/** The stored messages of a conversation, read through the transcripts API with an agent's cookie. */
export async function storedMessages(
  server: TestServer,
  cookie: string,
  conversationId: string,
): Promise<Array<{ seq: number; cid: string | null; content: string }>> {
  const res = await api(server, `/api/conversations/${conversationId}/messages?limit=200`, { cookie });
  if (res.status !== 200) throw new Error(`transcript answered ${res.status}`);
  return res.body.messages as Array<{ seq: number; cid: string | null; content: string }>;
}

/** A conversation as the transcripts API lists it. */
export async function listedConversation(server: TestServer, cookie: string, conversationId: string): Promise<Record<string, unknown> | undefined> {
  const res = await api(server, '/api/conversations?limit=200', { cookie });
  return (res.body.conversations as Array<Record<string, unknown>>).find((c) => c.id === conversationId);
}
