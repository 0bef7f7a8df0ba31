import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { parseFaq, type Faq } from './domain/faq.js';

/** Edits often come as several writes (or a rename): one reload for a burst. */
const RELOAD_DEBOUNCE_MS = 100;

/**
 * The operator's FAQ file (FAQ_FILE), read at start and again whenever it changes or the
 * process gets SIGHUP, without a restart. A file that does not parse or validate keeps the last
 * good FAQ in use and is logged, so a typo never silences the bot. Emits `reload` (the new FAQ)
 * and `error` (why a reload was refused; a listener is always attached here).
 */
export class FaqFile extends EventEmitter {
  private faq: Faq;
  private watcher: fs.FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  /** Reads the file once; throws if it is missing or broken, so a bad start is loud. */
  constructor(
    readonly file: string,
    private readonly log: Logger,
  ) {
    super();
    // Errors are reported through the log; listeners are for tests and metrics.
    this.on('error', () => {});
    const first = this.read();
    if (!first.ok) throw new Error(`FAQ_FILE ${file}: ${first.error}`);
    this.faq = first.faq;
  }

  /** The FAQ in use: the last version of the file that was valid. */
  get current(): Faq {
    return this.faq;
  }

  /** Reads the file again; on failure keeps the current FAQ. Returns whether it was replaced. */
  reload(): boolean {
    const next = this.read();
    if (!next.ok) {
      this.log.error({ file: this.file, reason: next.error }, 'FAQ file refused; keeping the previous FAQ');
      this.emit('error', new Error(next.error));
      return false;
    }
    this.faq = next.faq;
    this.log.info({ file: this.file, entries: next.faq.entries.length }, 'FAQ reloaded');
    this.emit('reload', next.faq);
    return true;
  }

  /**
   * Reloads on change. The folder is watched, not the file: editors save by writing a new file
   * and renaming it over the old one, which a watch on the old file would never see.
   */
  watch(): void {
    if (this.watcher) return;
    const base = path.basename(this.file);
    try {
      this.watcher = fs.watch(path.dirname(this.file), (_event, name) => {
        if (name !== null && name !== base) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.reload(), RELOAD_DEBOUNCE_MS);
        this.timer.unref();
      });
      this.watcher.on('error', (err) => this.log.warn({ err, file: this.file }, 'FAQ watch failed; reload with SIGHUP'));
      this.watcher.unref();
    } catch (err) {
      this.log.warn({ err, file: this.file }, 'FAQ file cannot be watched; reload with SIGHUP');
    }
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private read(): { ok: true; faq: Faq } | { ok: false; error: string } {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      return { ok: false, error: `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      return { ok: false, error: `not JSON: ${(err as Error).message}` };
    }
    return parseFaq(data);
  }
}
