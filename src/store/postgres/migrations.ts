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
  // 3: satisfaction ratings on conversations, and the agents' shared canned replies.
  `
  ALTER TABLE conversations ADD COLUMN rating_score SMALLINT CHECK (rating_score BETWEEN 1 AND 5);
  ALTER TABLE conversations ADD COLUMN rating_comment TEXT;
  ALTER TABLE conversations ADD COLUMN rated_at BIGINT;
  CREATE INDEX conversations_rated ON conversations (agent) WHERE rated_at IS NOT NULL;

  CREATE TABLE canned_replies (
    id         BIGSERIAL PRIMARY KEY,
    shortcut   TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  `,
  // 4: images (bytes in the database, so every node serves every image) and image messages.
  `
  ALTER TABLE messages ADD COLUMN image TEXT;
  CREATE TABLE images (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('kefu', 'yonghu')),
    mime            TEXT NOT NULL,
    bytes           INTEGER NOT NULL,
    width           INTEGER,
    height          INTEGER,
    ts              BIGINT NOT NULL,
    data            BYTEA NOT NULL
  );
  CREATE INDEX images_conversation ON images (conversation_id);
  `,
  // 5: messages customers left while no agent was online.
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
  // 6: what customers asked the FAQ bot while they waited, for the agent who takes them.
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
  // 7: a cid is one sender's: after a transfer the new agent may reuse the old agent's, and a
  // team note's cid is per addressee (the whole team counts as one addressee).
  `
  DROP INDEX messages_client_id;
  CREATE UNIQUE INDEX messages_client_id ON messages (conversation_id, role, sender, client_id) WHERE client_id IS NOT NULL;
  DROP INDEX team_messages_client_id;
  CREATE UNIQUE INDEX team_messages_client_id ON team_messages (sender, COALESCE(recipient, ''), client_id) WHERE client_id IS NOT NULL;
  `,
  // 8: images remember whether a message refers to them (unsent ones are removed after a while),
  // and the totals the server-wide quota checks are kept by a trigger, so no upload sums the table.
  // Images stored before this step are sent when a message's image JSON names them.
  `
  ALTER TABLE images ADD COLUMN sent BOOLEAN NOT NULL DEFAULT false;
  UPDATE images SET sent = true
    WHERE id IN (SELECT substring(image FROM '"id":"([A-Za-z0-9_-]{22})"') FROM messages WHERE image IS NOT NULL);
  CREATE INDEX images_unsent ON images (ts) WHERE NOT sent;
  CREATE INDEX images_ts ON images (ts);

  CREATE TABLE image_totals (
    singleton BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    images    BIGINT NOT NULL,
    bytes     BIGINT NOT NULL
  );
  INSERT INTO image_totals (images, bytes) SELECT count(*), COALESCE(sum(bytes), 0) FROM images;
  CREATE FUNCTION image_totals_follow() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      UPDATE image_totals SET images = images + 1, bytes = bytes + NEW.bytes;
    ELSE
      UPDATE image_totals SET images = images - 1, bytes = bytes - OLD.bytes;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER images_totals AFTER INSERT OR DELETE ON images FOR EACH ROW EXECUTE FUNCTION image_totals_follow();
  `,
  // 9: agent accounts, their sessions, API tokens and
  // one-time links (each kept as the sha256 of its token), the audit log, and the server's own secrets.
  `
  CREATE TABLE accounts (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL UNIQUE,
    login         TEXT NOT NULL UNIQUE,
    email         TEXT UNIQUE,
    password_hash TEXT,
    role          TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'agent')),
    disabled      BOOLEAN NOT NULL DEFAULT false,
    avatar        TEXT,
    max_chats     INTEGER NOT NULL DEFAULT 1,
    totp_secret   TEXT,
    totp_pending  TEXT,
    totp_step     BIGINT NOT NULL DEFAULT -1,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
  );

  CREATE TABLE account_sessions (
    id           BIGSERIAL PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES accounts (id),
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    address      TEXT NOT NULL,
    user_agent   TEXT NOT NULL
  );
  CREATE INDEX account_sessions_account ON account_sessions (account_id);
  CREATE INDEX account_sessions_expiry ON account_sessions (expires_at);

  CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES accounts (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT
  );
  CREATE INDEX api_tokens_account ON api_tokens (account_id);

  CREATE TABLE account_links (
    token_hash TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL CHECK (purpose IN ('setup', 'invite', 'challenge')),
    account_id BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );

  CREATE TABLE audit_log (
    id        BIGSERIAL PRIMARY KEY,
    ts        BIGINT NOT NULL,
    action    TEXT NOT NULL,
    actor_id  BIGINT,
    actor     TEXT,
    target_id BIGINT,
    target    TEXT,
    address   TEXT,
    detail    TEXT
  );

  CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // 10: the visitor id a customer page sends (a grouping key for an agent's "previous
  // conversations"), the listing's filters by agent and visitor, and text search of message
  // content: a pg_trgm GIN index serves ILIKE '%text%' for any text of 3 or more characters, in
  // any script (Chinese has no spaces to split words at, which tsvector needs). pg_trgm goes in
  // public unless the database has it already (its operator class is named by its schema, so
  // a node whose search_path is another schema still finds it).
  `
  ALTER TABLE conversations ADD COLUMN visitor_id TEXT;
  CREATE INDEX conversations_visitor ON conversations (visitor_id, row_id) WHERE visitor_id IS NOT NULL;
  CREATE INDEX conversations_agent ON conversations (agent, row_id);
  DO $migration$
  DECLARE
    trgm_schema TEXT;
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
      CREATE EXTENSION pg_trgm SCHEMA public;
    END IF;
    SELECT n.nspname INTO trgm_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
    EXECUTE format('CREATE INDEX messages_content_trgm ON messages USING gin (content %I.gin_trgm_ops)', trgm_schema);
  END
  $migration$;
  `,
];
