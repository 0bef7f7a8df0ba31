import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { parseFaq, type Faq } from './domain/faq.js';
import { LOCALES, type Locale } from './protocol/locales.js';

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

/**
 * The FAQ of every locale. FAQ_FILE is the FAQ for everyone whose language has no file of its
 * own; when its name carries a locale (faq.zh.json), the files beside it named the same way for
 * the other locales (faq.en.json) answer those customers. A missing sibling is no error: its
 * customers get FAQ_FILE's answers. Each file reloads on its own; `reload` and `error` of any of
 * them are emitted here.
 */
export class FaqFiles extends EventEmitter {
  private readonly byLocale = new Map<Locale, FaqFile>();
  private readonly main: FaqFile;

  /** Reads every file once; throws if FAQ_FILE, or a sibling that exists, is broken. */
  constructor(file: string, log: Logger) {
    super();
    this.on('error', () => {});
    this.main = this.add(new FaqFile(file, log));
    const named = /^(.+)\.([a-z]{2})\.json$/.exec(path.basename(file));
    if (!named) return;
    const [, stem, own] = named;
    for (const locale of LOCALES) {
      if (locale === own) {
        this.byLocale.set(locale, this.main);
        continue;
      }
      const sibling = path.join(path.dirname(file), `${stem}.${locale}.json`);
      if (fs.existsSync(sibling)) this.byLocale.set(locale, this.add(new FaqFile(sibling, log)));
    }
  }

  /** The FAQ a customer of this locale is answered from (FAQ_FILE's for a locale without its own). */
  current(locale?: Locale): Faq {
    return ((locale === undefined ? undefined : this.byLocale.get(locale)) ?? this.main).current;
  }

  /** The files in use, FAQ_FILE first. */
  get files(): string[] {
    return [...new Set([this.main, ...this.byLocale.values()])].map((f) => f.file);
  }

  /** Reads every file again (SIGHUP); true when all of them were valid. */
  reload(): boolean {
    let ok = true;
    for (const f of this.all()) ok = f.reload() && ok;
    return ok;
  }

  watch(): void {
    for (const f of this.all()) f.watch();
  }

  close(): void {
    for (const f of this.all()) f.close();
  }

  private all(): FaqFile[] {
    return [...new Set([this.main, ...this.byLocale.values()])];
  }

  private add(f: FaqFile): FaqFile {
    f.on('reload', (faq: Faq) => this.emit('reload', faq, f.file));
    f.on('error', (err: Error) => this.emit('error', err, f.file));
    return f;
  }
}
