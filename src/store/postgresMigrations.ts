/**
 * Versioned schema changes for PostgreSQL, applied in order under an advisory lock (several
 * nodes may start at once); the applied version is kept in kefu_schema. Never edit a shipped
 * step: add the next one.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: conversations (with the per-conversation seq counter) and messages.
  `
  CREATE TABLE conversations (
    row_id      BIGSERIAL PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    agent       TEXT NOT NULL,
    customer    TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    ended_at    BIGINT,
    end_reason  TEXT,
    resume_hash TEXT NOT NULL UNIQUE,
    last_seq    INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX conversations_open ON conversations (ended_at) WHERE ended_at IS NULL;

  CREATE TABLE messages (
    id              BIGSERIAL PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    sender          TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('kefu', 'yonghu')),
    content         TEXT NOT NULL,
    ts              BIGINT NOT NULL,
    client_id       TEXT,
    UNIQUE (conversation_id, seq)
  );
  CREATE UNIQUE INDEX messages_client_id ON messages (conversation_id, role, client_id) WHERE client_id IS NOT NULL;
  `,
  // 2: the agents' team channel and private notes.
  `
  CREATE TABLE team_messages (
    id        BIGSERIAL PRIMARY KEY,
    sender    TEXT NOT NULL,
    recipient TEXT,
    content   TEXT NOT NULL,
    ts        BIGINT NOT NULL,
    client_id TEXT
  );
  CREATE UNIQUE INDEX team_messages_client_id ON team_messages (sender, client_id) WHERE client_id IS NOT NULL;
  CREATE INDEX team_messages_recipient ON team_messages (recipient);
  CREATE INDEX team_messages_sender ON team_messages (sender);
  `,
  // 3: messages customers left while no agent was online.
  `
  CREATE TABLE offline_messages (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL,
    contact    TEXT NOT NULL,
    content    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    handled_at BIGINT,
    handled_by TEXT
  );
  CREATE INDEX offline_messages_open ON offline_messages (id) WHERE handled_at IS NULL;
  `,
  // 4: what customers asked the FAQ bot while they waited, for the agent who takes them.
  `
  CREATE TABLE bot_exchanges (
    id              BIGSERIAL PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    question        TEXT NOT NULL,
    answer          TEXT NOT NULL,
    matched         BOOLEAN NOT NULL,
    ts              BIGINT NOT NULL
  );
  CREATE INDEX bot_exchanges_conversation ON bot_exchanges (conversation_id, id);
  `,
];
