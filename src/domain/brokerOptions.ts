import type { Locale } from '../protocol/locales.js';
import type { BusinessHours } from './businessHours.js';
import type { Faq } from './faq.js';
import type { ImageLimits } from './imageIntake.js';

/** The broker's rules in numbers, from config; each part of the broker takes the ones it needs. */
export interface BrokerOptions {
  /** How long an unused ticket is valid; a ticket for a free agent holds them this long at most. */
  ticketTtlMs: number;
  /** Unused reservations of free agents one client address may hold at once (then it gets queue tickets); 3 if unset. */
  reservationsPerAddress?: number;
  /** How long a dropped participant's place is held. */
  graceMs: number;
  queueMaxLength: number;
  queueMaxWaitMs: number;
  /** Most messages replayed on a resume; past it the client is told to reload. */
  replayLimit: number;
  /**
   * The FAQ the bot answers waiting customers from, by the customer's locale, read on every
   * question (it may be reloaded).
   */
  faq?: (locale?: Locale) => Faq;
  /** Business hours, when the team keeps them (the bot tells a customer outside them). */
  hours?: BusinessHours;
  /** What an image upload is held to (DEFAULT_IMAGE_LIMITS when not given). */
  imageLimits?: ImageLimits;
  now?: () => number;
}
