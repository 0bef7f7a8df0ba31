/**
 * The languages the pages and the FAQ bot speak. A customer's socket may name one with
 * `lang=`; the first is the default (the seed's language, and the one of the wire's texts).
 */
export const LOCALES = ['zh', 'en'] as const;

export type Locale = (typeof LOCALES)[number];

/** The locale every text defaults to. */
export const DEFAULT_LOCALE: Locale = 'zh';

/** True for a locale the service has texts for. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
