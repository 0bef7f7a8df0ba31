// @ts-check
// Every text the pages show, one table per locale (strings/): the HTML carries only keys
// (data-i18n*). Add a locale by adding a table with the same keys (a unit test holds them to
// the same keys and placeholders) and naming it here.
import { en } from './strings/en.js';
import { zh } from './strings/zh.js';

export { en, zh };

/**
 * Every locale's table, by the code ?lang= names; each has every key the Chinese one has.
 * @type {Readonly<Record<string, typeof zh>>}
 */
export const TABLES = { zh, en };
