import type Database from 'better-sqlite3';
import { toTeamMessage, type TeamRow } from '../rows.js';
import type { NewTeamMessage, TeamAppendResult, TeamMessage, TeamStore } from '../teamStore.js';

/** The team channel and private notes in the embedded SQLite file (openSqliteStores). */
export class SqliteTeamStore implements TeamStore {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      insert: db.prepare(`
        INSERT INTO team_messages (sender, recipient, content, ts, client_id) VALUES (@sender, @to, @content, @ts, @cid)
        ON CONFLICT DO NOTHING RETURNING *`),
      byClientId: db.prepare("SELECT * FROM team_messages WHERE sender = ? AND COALESCE(recipient, '') = ? AND client_id = ?"),
      visibleTo: db.prepare(`
        SELECT * FROM team_messages WHERE recipient IS NULL OR recipient = @agent OR sender = @agent
        ORDER BY id DESC LIMIT @limit`),
    };
  }

  async appendTeamMessage(m: NewTeamMessage): Promise<TeamAppendResult> {
    const row = this.stmts.insert.get({ sender: m.sender, to: m.to ?? null, content: m.content, ts: m.ts, cid: m.cid ?? null }) as TeamRow | undefined;
    if (row) return { message: toTeamMessage(row), duplicate: false };
    const existing = this.stmts.byClientId.get(m.sender, m.to ?? '', m.cid ?? null) as TeamRow | undefined;
    if (!existing) throw new Error('team message insert conflicted without a matching client id');
    return { message: toTeamMessage(existing), duplicate: true };
  }

  async teamMessagesFor(agent: string, limit: number): Promise<TeamMessage[]> {
    return (this.stmts.visibleTo.all({ agent, limit }) as TeamRow[]).map(toTeamMessage).reverse();
  }
}
