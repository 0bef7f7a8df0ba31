import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCheckpoints, type CheckpointResult } from '../../../src/store/sqlite/checkpoints.js';
import { closeSqliteDatabase, openSqliteDatabase } from '../../../src/store/sqlite/database.js';
import { tempDataDir } from '../../helpers/server.js';

function opened() {
  const file = path.join(tempDataDir(), 'kefu.sqlite');
  const db = openSqliteDatabase(file);
  db.exec('CREATE TABLE t (x TEXT)');
  return { file, db, insert: db.prepare('INSERT INTO t VALUES (?)') };
}

describe('SQLite checkpoints', () => {
  it('copies the WAL back into the database file from a worker thread', async () => {
    const { file, db, insert } = opened();
    const errors: string[] = [];
    let done: (r: CheckpointResult) => void = () => {};
    const checkpointed = new Promise<CheckpointResult>((resolve) => (done = resolve));
    const checkpoints = startCheckpoints(db, file, { intervalMs: 10, onCheckpoint: (r) => r.walFrames > 0 && done(r), onError: (e) => errors.push(e) });
    for (let i = 0; i < 100; i++) insert.run('x'.repeat(1000));
    const result = await checkpointed;
    expect(result.checkpointed).toBe(result.walFrames);
    await checkpoints.stop();
    expect(errors).toEqual([]);
    closeSqliteDatabase(db);
  });

  it('starts the WAL over while commits keep coming, instead of letting it grow', async () => {
    const { file, db, insert } = opened();
    // A commit of a batch on every turn of the event loop, as under load.
    let writing = true;
    const batch = db.transaction(() => {
      for (let i = 0; i < 50; i++) insert.run('x'.repeat(1000));
    });
    const write = () => {
      if (!writing) return;
      batch();
      setImmediate(write);
    };
    write();
    let startedOver: () => void = () => {};
    const seen = new Promise<void>((resolve) => (startedOver = resolve));
    let largest = 0;
    const checkpoints = startCheckpoints(db, file, {
      intervalMs: 100,
      onCheckpoint: (r) => {
        if (r.walFrames < largest) startedOver();
        largest = Math.max(largest, r.walFrames);
      },
    });
    await seen;
    writing = false;
    await checkpoints.stop();
    closeSqliteDatabase(db);
  });

  it('catches up by itself between commits that leave it a moment, so the WAL starts over without the main connection', async () => {
    const { file, db, insert } = opened();
    // A commit every few milliseconds, as messages come in at a steady rate.
    let writing = true;
    const write = () => {
      if (!writing) return;
      insert.run('x'.repeat(1000));
      setTimeout(write, 5);
    };
    write();
    let startedOver: () => void = () => {};
    const seen = new Promise<void>((resolve) => (startedOver = resolve));
    let caughtUp = false;
    let largest = 0;
    const checkpoints = startCheckpoints(db, file, {
      intervalMs: 50,
      // The main connection never tops off: the WAL can start over only through the worker.
      mainTopOffFrames: Number.POSITIVE_INFINITY,
      onCheckpoint: (r) => {
        if (caughtUp && r.walFrames < largest) startedOver();
        caughtUp ||= r.caughtUp;
        largest = Math.max(largest, r.walFrames);
      },
    });
    await seen;
    writing = false;
    await checkpoints.stop();
    closeSqliteDatabase(db);
  });

  it('reports a checkpoint that cannot run instead of failing silently', async () => {
    const { db } = opened();
    let heard: (e: string) => void = () => {};
    const error = new Promise<string>((resolve) => (heard = resolve));
    const checkpoints = startCheckpoints(db, path.join(tempDataDir(), 'missing', 'kefu.sqlite'), { intervalMs: 10, onError: (e) => heard(e) });
    expect(await error).toMatch(/directory|open/);
    await checkpoints.stop();
    closeSqliteDatabase(db);
  });

  it('lets a process close its stores to the end, the WAL folded back in, when nothing else keeps it alive', () => {
    const file = path.join(tempDataDir(), 'kefu.sqlite');
    // The compiled store (globalSetup builds dist/), in a process of its own that only opens,
    // writes and closes, as a shutdown leaves it: the checkpoint worker must not let it end early.
    const stores = path.resolve(__dirname, '../../../dist/store/sqlite/stores.js');
    const script = `
      const { openSqliteStores } = require(${JSON.stringify(stores)});
      const s = openSqliteStores(${JSON.stringify(file)});
      s.conversations.startConversation({ id: 'c', agent: 'a', customer: 'b', startedAt: 1, resumeHash: 'h' })
        .then(() => s.conversations.appendMessage({ conversationId: 'c', sender: 'b', role: 'yonghu', content: 'hi', ts: 2 }))
        .then(() => s.close())
        .then(() => console.log('closed'));`;
    expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })).toBe('closed\n');
    expect(fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0).toBe(0);
  });
});
