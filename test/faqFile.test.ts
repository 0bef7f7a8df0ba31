import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { FaqFile } from '../src/faqFile.js';
import { tempDataDir } from './helpers/server.js';

function capture(): { log: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
}

function write(file: string, answer: string): void {
  fs.writeFileSync(file, JSON.stringify({ entries: [{ keywords: ['k'], answer }] }));
}

describe('FAQ file', () => {
  it('replaces the FAQ on reload (SIGHUP) when the file is valid', () => {
    const file = path.join(tempDataDir(), 'faq.json');
    write(file, 'one');
    const faq = new FaqFile(file, capture().log);
    write(file, 'two');
    expect(faq.reload()).toBe(true);
    expect(faq.current.entries[0]?.answer).toBe('two');
  });

  it('keeps the last good FAQ and logs an error when the file becomes broken', () => {
    const file = path.join(tempDataDir(), 'faq.json');
    write(file, 'good');
    const { log, lines } = capture();
    const faq = new FaqFile(file, log);
    for (const broken of ['not json', '{"entries": [{"keywords": [], "answer": "x"}]}']) {
      fs.writeFileSync(file, broken);
      expect(faq.reload()).toBe(false);
      expect(faq.current.entries[0]?.answer).toBe('good');
    }
    fs.rmSync(file);
    expect(faq.reload()).toBe(false);
    const errors = lines.filter((l) => l.level === 50);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatchObject({ msg: 'FAQ file refused; keeping the previous FAQ', file, reason: expect.stringContaining('not JSON') });
    expect(errors[2]?.reason).toContain('ENOENT');
  });

  it('notices a file replaced by rename, as editors save it', async () => {
    const dir = tempDataDir();
    const file = path.join(dir, 'faq.json');
    write(file, 'before');
    const faq = new FaqFile(file, capture().log);
    faq.watch();
    const reloaded = new Promise((resolve) => faq.once('reload', resolve));
    write(path.join(dir, 'faq.json.tmp'), 'after');
    fs.renameSync(path.join(dir, 'faq.json.tmp'), file);
    await reloaded;
    expect(faq.current.entries[0]?.answer).toBe('after');
    faq.close();
  });
});
