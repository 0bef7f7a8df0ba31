import type { RoomRegistry } from '../cluster/roomRegistry.js';
import type { TeamStore } from '../store/teamStore.js';
import type { Participant } from './participant.js';
import { refusal, teamEvent, type Delivery, type RefusedError } from './roomEvent.js';

/** How many team messages an agent's console gets as history when it connects. */
export const TEAM_HISTORY = 50;

/** The agents' team channel and private notes: stored, then delivered to the agents connected. */
export class Team {
  constructor(
    private readonly registry: RoomRegistry,
    private readonly store: TeamStore,
    private readonly now: () => number,
  ) {}

  /**
   * A team message: stored, then delivered to every connected agent (and echoed to the sender
   * as the ack), or, with `to`, a private note for that one agent.
   */
  async teamMessage(from: Participant, content: string, cid?: string, to?: string): Promise<Delivery[]> {
    const refuse = (error: RefusedError): Delivery[] => refusal(from.session, error, cid);
    if (from.role !== 'kefu') return refuse('agents_only');
    let rooms;
    try {
      rooms = await this.registry.listRooms();
    } catch {
      return refuse('unavailable');
    }
    const recipients: string[] = [from.session];
    for (const r of rooms) {
      if (r.agentSession === undefined || r.agentSession === from.session) continue;
      if (to === undefined || r.agent === to) recipients.push(r.agentSession);
    }
    if (to !== undefined && to !== from.name && recipients.length === 1) return refuse('agent_unavailable');
    let appended;
    try {
      appended = await this.store.appendTeamMessage({
        sender: from.name,
        content,
        ts: this.now(),
        ...(to === undefined ? {} : { to }),
        ...(cid === undefined ? {} : { cid }),
      });
    } catch {
      return refuse('store_failed');
    }
    if (appended.duplicate) return [{ to: [from.session], event: teamEvent(appended.message, { duplicate: true }) }];
    return [{ to: recipients, event: teamEvent(appended.message) }];
  }

  /** The team messages this agent may read, as history for their console when it connects. */
  async history(session: string, agent: string): Promise<Delivery[]> {
    const messages = await this.store.teamMessagesFor(agent, TEAM_HISTORY);
    return messages.map((m) => ({ to: [session], event: teamEvent(m, { replay: true }) }));
  }
}
