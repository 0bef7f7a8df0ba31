/**
 * Versioned schema changes, applied in order inside one transaction each; the applied version is
 * kept in SQLite's user_version. Never edit a shipped step: add the next one.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  // 1: conversations and messages.
  `
  CREATE TABLE conversations (
    row_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    agent       TEXT NOT NULL,
    customer    TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    ended_at    INTEGER,
    end_reason  TEXT,
    resume_hash TEXT NOT NULL
  );
  CREATE INDEX conversations_open ON conversations (ended_at) WHERE ended_at IS NULL;
  CREATE UNIQUE INDEX conversations_resume ON conversations (resume_hash);

  CREATE TABLE messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    sender          TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('kefu', 'yonghu')),
    content         TEXT NOT NULL,
    ts              INTEGER NOT NULL,
    client_id       TEXT,
    UNIQUE (conversation_id, seq)
  );
  CREATE UNIQUE INDEX messages_client_id ON messages (conversation_id, role, client_id) WHERE client_id IS NOT NULL;
  `,
  // 2: the agents' team channel and private notes.
  `
  CREATE TABLE team_messages (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    sender    TEXT NOT NULL,
    recipient TEXT,
    content   TEXT NOT NULL,
    ts        INTEGER NOT NULL,
    client_id TEXT
  );
  CREATE UNIQUE INDEX team_messages_client_id ON team_messages (sender, client_id) WHERE client_id IS NOT NULL;
  CREATE INDEX team_messages_recipient ON team_messages (recipient);
  CREATE INDEX team_messages_sender ON team_messages (sender);
  `,
  // 3: satisfaction ratings on conversations, and the agents' shared canned replies.
  `
  ALTER TABLE conversations ADD COLUMN rating_score INTEGER CHECK (rating_score BETWEEN 1 AND 5);
  ALTER TABLE conversations ADD COLUMN rating_comment TEXT;
  ALTER TABLE conversations ADD COLUMN rated_at INTEGER;
  CREATE INDEX conversations_rated ON conversations (agent) WHERE rated_at IS NOT NULL;

  CREATE TABLE canned_replies (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    shortcut   TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  // 4: image messages carry their image reference (JSON: id, mime, bytes, width, height).
  `
  ALTER TABLE messages ADD COLUMN image TEXT;
  `,
  // 5: messages customers left while no agent was online.
  `
  CREATE TABLE offline_messages (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    contact    TEXT NOT NULL,
    content    TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    handled_at INTEGER,
    handled_by TEXT
  );
  CREATE INDEX offline_messages_open ON offline_messages (id) WHERE handled_at IS NULL;
  `,
  // 6: what customers asked the FAQ bot while they waited, for the agent who takes them.
  `
  CREATE TABLE bot_exchanges (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL,
    question        TEXT NOT NULL,
    answer          TEXT NOT NULL,
    matched         INTEGER NOT NULL,
    ts              INTEGER NOT NULL
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
  // 8: a resend is recognised from the conversation's latest cids, which the store keeps in
  // memory (MessageTails, read back from the table after a restart); a unique index on every cid
  // cost each append a random page of its own to write.
  `
  DROP INDEX messages_client_id;
  `,
  // 9: where each message sits in its conversation moves to message_seqs, written in bulk behind
  // the messages (MessageIndex) instead of as a unique index the messages table updates on every
  // insert; message_index remembers how far it has been written. The messages table is rebuilt
  // without its UNIQUE (conversation_id, seq): same ids, same rows, same AUTOINCREMENT sequence.
  `
  CREATE TABLE messages_rebuilt (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    sender          TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('kefu', 'yonghu')),
    content         TEXT NOT NULL,
    ts              INTEGER NOT NULL,
    client_id       TEXT,
    image           TEXT
  );
  INSERT INTO messages_rebuilt (id, conversation_id, seq, sender, role, content, ts, client_id, image)
    SELECT id, conversation_id, seq, sender, role, content, ts, client_id, image FROM messages ORDER BY id;
  UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'messages') WHERE name = 'messages_rebuilt'
    AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'messages');
  DROP TABLE messages;
  ALTER TABLE messages_rebuilt RENAME TO messages;

  CREATE TABLE message_seqs (
    conversation INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    message      INTEGER NOT NULL,
    PRIMARY KEY (conversation, seq)
  ) WITHOUT ROWID;
  INSERT INTO message_seqs (conversation, seq, message)
    SELECT c.row_id, m.seq, m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id ORDER BY c.row_id, m.seq;
  CREATE TABLE message_index (indexed_through INTEGER NOT NULL);
  INSERT INTO message_index (indexed_through) SELECT COALESCE(MAX(id), 0) FROM messages;
  `,
  // 10: agent accounts, their sessions, API tokens and
  // one-time links (each kept as the sha256 of its token), the audit log, and the server's own secrets.
  `
  CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL UNIQUE,
    login         TEXT NOT NULL UNIQUE,
    email         TEXT UNIQUE,
    password_hash TEXT,
    role          TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'agent')),
    disabled      INTEGER NOT NULL DEFAULT 0,
    avatar        TEXT,
    max_chats     INTEGER NOT NULL DEFAULT 1,
    totp_secret   TEXT,
    totp_pending  TEXT,
    totp_step     INTEGER NOT NULL DEFAULT -1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
  );

  CREATE TABLE account_sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    address      TEXT NOT NULL,
    user_agent   TEXT NOT NULL
  );
  CREATE INDEX account_sessions_account ON account_sessions (account_id);
  CREATE INDEX account_sessions_expiry ON account_sessions (expires_at);

  CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
  );
  CREATE INDEX api_tokens_account ON api_tokens (account_id);

  CREATE TABLE account_links (
    token_hash TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL CHECK (purpose IN ('setup', 'invite', 'challenge')),
    account_id INTEGER REFERENCES accounts (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );

  CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    ts        INTEGER NOT NULL,
    action    TEXT NOT NULL,
    actor_id  INTEGER,
    actor     TEXT,
    target_id INTEGER,
    target    TEXT,
    address   TEXT,
    detail    TEXT
  );

  CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // 11: the visitor id a customer page sends (a grouping key for an agent's "previous
  // conversations"), the listing's filters by agent and visitor, and full-text search of message
  // content: FTS5 with the trigram tokenizer finds any substring of 3 or more characters in any
  // script (Chinese has no spaces to split words at). Contentless: messages keeps the text, the
  // index only says which message ids hold which trigrams, without their positions (detail=none
  // halves it; a search checks its candidates' content instead). Its entries are written in bulk with
  // message_seqs (MessageIndex): the messages already indexed are indexed here, those after
  // indexed_through by the store's next open.
  `
  ALTER TABLE conversations ADD COLUMN visitor_id TEXT;
  CREATE INDEX conversations_visitor ON conversations (visitor_id, row_id) WHERE visitor_id IS NOT NULL;
  CREATE INDEX conversations_agent ON conversations (agent, row_id);
  CREATE VIRTUAL TABLE message_text USING fts5 (content, content = '', tokenize = 'trigram', detail = none);
  INSERT INTO message_text (rowid, content) SELECT id, content FROM messages WHERE id <= (SELECT indexed_through FROM message_index);
  `,
  // 12: the full-text index moves to a file of its own, written by a worker thread
  // (MessageIndex), which builds it from the messages on the first open.
  `
  DROP TABLE message_text;
  `,
  // 13: message_seqs moves to that file too, written by the same thread (MessageIndex), which
  // builds it from the messages on the first open.
  `
  DROP TABLE message_seqs;
  DROP TABLE message_index;
  `,
];
