import type { Broker } from '../../domain/broker.js';
import type { Participant } from '../../domain/participant.js';
import type { Delivery } from '../../domain/roomEvent.js';
import type { ClientResolve, ClientStatus, ClientTeamMessage, ClientTransfer } from '../../protocol/frames.js';

/** The frames that change who serves whom, or speak to the team, rather than to a customer. */
export type AgentAction = ClientTeamMessage | ClientTransfer | ClientResolve | ClientStatus;

/** What the broker makes of one such frame from `who` (refused for customers, in the broker). */
export function actOn(broker: Broker, who: Participant, frame: AgentAction): Promise<Delivery[]> {
  switch (frame.kind) {
    case 'team':
      return broker.teamMessage(who, frame.content, frame.cid, frame.to);
    case 'transfer':
      return broker.transfer(who, frame.to, frame.conversationId);
    case 'resolve':
      return broker.resolve(who, frame.conversationId);
    case 'status':
      return broker.setStatus(who, frame.status);
  }
}
