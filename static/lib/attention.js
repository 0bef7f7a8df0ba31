// @ts-check
// Getting the reader's attention while the tab is hidden: an unread count in the tab title, a
// flashing header, and a short soft beep.
import { t } from './i18n.js';

/** The unread count in the tab title, reset when the tab is shown again. */
export class TitleBadge {
  count = 0;

  /** @param {string} base the page's title */
  constructor(base) {
    this.base = base;
    document.title = base;
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) this.reset();
    });
  }

  /** Counts one unread item if the tab is hidden; true when it did (worth a chime). */
  bump() {
    if (!document.hidden) return false;
    this.count++;
    document.title = t('unread', this.count) + this.base;
    document.body.classList.add('attention');
    return true;
  }

  reset() {
    this.count = 0;
    document.title = this.base;
    document.body.classList.remove('attention');
  }
}

/** A short soft beep; silent where audio is not allowed (the title badge still shows it). */
export function chime() {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    gain.gain.value = 0.05;
    osc.connect(gain);
    gain.connect(ctx.destination);
    osc.frequency.value = 880;
    osc.start();
    osc.stop(ctx.currentTime + 0.15);
    osc.onended = () => {
      ctx.close().catch(() => {});
    };
  } catch {
    /* no audio */
  }
}
