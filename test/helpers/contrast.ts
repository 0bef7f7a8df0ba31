import type { Page } from 'playwright-core';

/** One element that fails WCAG 2.1 AA: where it is, what was measured, and against what. */
export interface Offence {
  path: string;
  text: string;
  what: string;
  detail: string;
}

/**
 * Walks every visible element of the page in the page itself and returns what fails AA:
 * - text (an element's own text nodes, an input's value, a placeholder) below 4.5:1, or below
 *   3:1 when large (at least 24 px, or 18.66 px bold), against its effective background;
 * - a button, link, input, select or the label of a hidden radio smaller than 24 x 24 CSS px
 *   without the spacing exception (links inline in text are exempt, as WCAG 2.5.8 says).
 *
 * The function runs in the browser: it references nothing outside itself.
 */
export function audit(page: Page): Promise<Offence[]> {
  return page.evaluate(() => {
    type Rgba = [number, number, number, number];
    const out: Array<{ path: string; text: string; what: string; detail: string }> = [];
    const probe = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;

    /** Any CSS colour as sRGB 0-255 and alpha, through a canvas (which resolves color-mix, oklab and the rest). */
    const parse = (css: string): Rgba => {
      const m = css.match(/^rgba?\(([^)]+)\)$/);
      if (m) {
        const [r = 0, g = 0, b = 0, a = 1] = (m[1] ?? '')
          .split(/[\s,/]+/)
          .filter(Boolean)
          .map(Number);
        return [r, g, b, a];
      }
      const c = css.match(/^color\(srgb ([^)]+)\)$/);
      if (c) {
        const [r = 0, g = 0, b = 0, a = 1] = (c[1] ?? '')
          .split(/[\s/]+/)
          .filter(Boolean)
          .map(Number);
        return [r * 255, g * 255, b * 255, a];
      }
      probe.clearRect(0, 0, 1, 1);
      probe.fillStyle = css;
      probe.fillRect(0, 0, 1, 1);
      const [r = 0, g = 0, b = 0, a = 255] = probe.getImageData(0, 0, 1, 1).data;
      return [r, g, b, a / 255];
    };
    /** `top` painted over the opaque `under`. */
    const over = (top: Rgba, under: Rgba): Rgba => [
      top[0] * top[3] + under[0] * (1 - top[3]),
      top[1] * top[3] + under[1] * (1 - top[3]),
      top[2] * top[3] + under[2] * (1 - top[3]),
      1,
    ];
    const luminance = (c: Rgba): number => {
      const [r = 0, g = 0, b = 0] = c.slice(0, 3).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a: Rgba, b: Rgba): number => {
      const [la, lb] = [luminance(a), luminance(b)];
      return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    };
    const hex = (c: Rgba): string =>
      `#${c
        .slice(0, 3)
        .map((v) => Math.round(v).toString(16).padStart(2, '0'))
        .join('')}`;

    /**
     * The solid colours behind an element: its own and its ancestors' background colours composed
     * from the page's white canvas up. A layer painted with a gradient gives one candidate per
     * colour stop (each over the layer's own background colour), and the text must hold against
     * the worst of them. A background image that is a picture (url()) is not measured: the
     * pages put no text on pictures, so its layer counts as its solid background colour.
     */
    const backgroundsOf = (el: Element): Rgba[] => {
      const layers: Array<{ color: Rgba; stops: Rgba[] }> = [];
      for (let e: Element | null = el; e; e = e.parentElement) {
        const style = getComputedStyle(e);
        const color = parse(style.backgroundColor);
        const stops = style.backgroundImage.includes('gradient(') ? (style.backgroundImage.match(/(?:rgba?|color)\([^)]*\)/g) ?? []).map(parse) : [];
        if (color[3] > 0 || stops.length) layers.push({ color, stops });
        if (color[3] >= 1 && (stops.length === 0 || stops.every((c) => c[3] >= 1))) break;
      }
      let under: Rgba[] = [[255, 255, 255, 1]];
      for (const { color, stops } of layers.reverse()) {
        under = under.flatMap((b) => {
          const base = over(color, b);
          return stops.length ? stops.map((stop) => over(stop, base)) : [base];
        });
      }
      return under;
    };
    /** The product of the opacities from the element up: a faded element's text is faded too. */
    const opacityOf = (el: Element): number => {
      let o = 1;
      for (let e: Element | null = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
      return o;
    };
    const pathOf = (el: Element): string => {
      const parts: string[] = [];
      for (let e: Element | null = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
        if (e.id) {
          parts.unshift(`#${e.id}`);
          break;
        }
        parts.unshift(e.tagName.toLowerCase() + [...e.classList].map((c) => `.${c}`).join(''));
      }
      return parts.join(' > ');
    };
    const shown = (el: Element): boolean => {
      const r = el.getBoundingClientRect();
      return r.width > 1 && r.height > 1 && el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
    };
    /** A control that is disabled (or inside a disabled fieldset): WCAG exempts inactive controls. */
    const inactive = (el: Element): boolean => el.closest(':disabled') !== null;
    // Emoji draw in their own colours: there is no text colour to measure.
    const emojiOnly = /^(?:\p{Extended_Pictographic}|\p{Emoji_Component}|\uFE0F|\u200D|\s)+$/u;

    const check = (el: Element, text: string, fgCss: string, what: string): void => {
      const style = getComputedStyle(el);
      const size = Number.parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      const need = large ? 3 : 4.5;
      const fg0 = parse(fgCss);
      const faded: Rgba = [fg0[0], fg0[1], fg0[2], fg0[3] * opacityOf(el)];
      const worst = backgroundsOf(el)
        .map((b): [number, Rgba, Rgba] => {
          const f = over(faded, b);
          return [ratio(f, b), f, b];
        })
        .reduce<[number, Rgba, Rgba] | null>((w, p) => (w === null || p[0] < w[0] ? p : w), null);
      if (worst === null) return;
      const [got, fg, bg] = worst;
      if (got + 1e-6 < need) {
        out.push({ path: pathOf(el), text: text.slice(0, 24), what, detail: `${hex(fg)} on ${hex(bg)} = ${got.toFixed(2)}:1, needs ${need}:1 (${size}px)` });
      }
    };

    for (const el of document.body.querySelectorAll('*')) {
      if (!shown(el) || inactive(el)) continue;
      const own = [...el.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
      if (own && !emojiOnly.test(own)) check(el, own, getComputedStyle(el).color, 'text');
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
        const textual = el instanceof HTMLTextAreaElement || ['text', 'search', 'email', 'password', 'url', 'tel', 'number', ''].includes(el.type);
        if (!textual) continue;
        if (el.value) check(el, el.value, getComputedStyle(el).color, 'value');
        else if (el.placeholder) check(el, el.placeholder, getComputedStyle(el, '::placeholder').color, 'placeholder');
      }
    }

    // Targets: what a pointer activates. A radio or checkbox drawn invisible is activated
    // through its label, so the label is the target.
    const targets = [...document.body.querySelectorAll('a[href], button, input:not([type="hidden"]), select, textarea, summary, label[for]')].filter((el) => {
      if (el instanceof HTMLLabelElement) {
        const control = el.control;
        return control !== null && !shown(control) && shown(el);
      }
      return shown(el) && !inactive(el);
    });
    const small = (r: DOMRect): boolean => r.width + 0.5 < 24 || r.height + 0.5 < 24;
    /** Inline links in a sentence are exempt: their size is the line's. */
    const inline = (el: Element): boolean =>
      el instanceof HTMLAnchorElement &&
      getComputedStyle(el).display === 'inline' &&
      [...(el.parentElement?.childNodes ?? [])].some((n) => n !== el && n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
    const distance = (x: number, y: number, r: DOMRect): number => Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
    const boxes = targets.map((el) => ({ el, r: el.getBoundingClientRect() }));
    boxes.forEach(({ el, r }, i) => {
      if (!small(r) || inline(el)) return;
      const cx = r.left + r.width / 2;
      const cy = r.top + r.height / 2;
      // The spacing exception: a 24 px circle on the target's centre touches no other target
      // and no other small target's circle.
      const crowded = boxes.some(({ el: other, r: o }, j) => {
        if (j === i || other.contains(el) || el.contains(other)) return false;
        if (distance(cx, cy, o) < 12) return true;
        return small(o) && Math.hypot(cx - (o.left + o.width / 2), cy - (o.top + o.height / 2)) < 24;
      });
      if (crowded) {
        out.push({
          path: pathOf(el),
          text: (el.textContent ?? '').trim().slice(0, 24),
          what: 'target',
          detail: `${r.width.toFixed(1)} x ${r.height.toFixed(1)} px, under 24 x 24 and too close to another target`,
        });
      }
    });
    return out;
  });
}

/** The offences as lines a failing test prints. */
export const describeOffences = (found: Offence[]): string[] => found.map((o) => `${o.what} ${o.path} "${o.text}": ${o.detail}`);
