import type pg from 'pg';
import { toTeamMessage, type TeamRow } from '../rows.js';
import type { NewTeamMessage, TeamAppendResult, TeamMessage, TeamStore } from '../teamStore.js';

/** The team channel and private notes in the PostgreSQL database every node shares (openPostgresStores). */
export class PostgresTeamStore implements TeamStore {
  constructor(private readonly pool: pg.Pool) {}

  async appendTeamMessage(m: NewTeamMessage): Promise<TeamAppendResult> {
    const { rows } = await this.pool.query<TeamRow>(
      `INSERT INTO team_messages (sender, recipient, content, ts, client_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING *`,
      [m.sender, m.to ?? null, m.content, m.ts, m.cid ?? null],
    );
    if (rows[0]) return { message: toTeamMessage(rows[0]), duplicate: false };
    const existing = await this.pool.query<TeamRow>("SELECT * FROM team_messages WHERE sender = $1 AND COALESCE(recipient, '') = $2 AND client_id = $3", [
      m.sender,
      m.to ?? '',
      m.cid ?? null,
    ]);
    if (!existing.rows[0]) throw new Error('team message insert conflicted without a matching client id');
    return { message: toTeamMessage(existing.rows[0]), duplicate: true };
  }

  async teamMessagesFor(agent: string, limit: number): Promise<TeamMessage[]> {
    const { rows } = await this.pool.query<TeamRow>(
      'SELECT * FROM team_messages WHERE recipient IS NULL OR recipient = $1 OR sender = $1 ORDER BY id DESC LIMIT $2',
      [agent, limit],
    );
    return rows.map(toTeamMessage).reverse();
  }
}
