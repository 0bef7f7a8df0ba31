// @ts-check
// The history page (/history.html): past conversations for a signed-in agent, filtered by agent
// (owners and admins), date, rating and status, and searched by text (Chinese or English);
// a result opens its transcript read-only, as does history.html#c=ID (the console links there).
// The server decides what this account may see; the page only shows what it is given.
import { accountPage, showError } from '../account/page.js';
import { byId } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { agentNames, listConversations, readTranscript } from './api.js';
import { addOption, fillChoices, readFilters } from './filters.js';
import { resultItem } from './results.js';
import { showTranscript } from './transcript.js';

const ui = {
  filters: byId('filters', HTMLFormElement),
  fields: {
    q: byId('q', HTMLInputElement),
    agent: byId('agent', HTMLSelectElement),
    from: byId('from', HTMLInputElement),
    to: byId('to', HTMLInputElement),
    rating: byId('rating', HTMLSelectElement),
    status: byId('status', HTMLSelectElement),
  },
  agentField: byId('agentField', HTMLElement),
  filtersError: byId('filtersError', HTMLElement),
  resultsView: byId('resultsView', HTMLElement),
  resultsNote: byId('resultsNote', HTMLElement),
  results: byId('results', HTMLUListElement),
  more: byId('more', HTMLButtonElement),
  transcriptView: byId('transcriptView', HTMLElement),
  transcriptTitle: byId('transcriptTitle', HTMLElement),
  transcriptMeta: byId('transcriptMeta', HTMLElement),
  transcriptError: byId('transcriptError', HTMLElement),
  transcript: byId('transcript', HTMLOListElement),
  back: byId('back', HTMLButtonElement),
};

const me = await accountPage('history.title');
fillChoices(ui.fields);
if (me.role !== 'agent') {
  for (const name of await agentNames()) addOption(ui.fields.agent, name, name);
  ui.agentField.hidden = false;
}

/** The search being shown: its query, the text searched, and where its next page starts. */
const shown = { query: new URLSearchParams(), text: '', nextBefore: /** @type {string | null} */ (null), count: 0 };

/**
 * Shows the first page of a new search, or the next page of the one shown.
 * @param {boolean} next
 */
async function search(next) {
  if (!next) {
    const read = readFilters(ui.fields);
    if (!read.ok) return showError(ui.filtersError, read.message);
    showError(ui.filtersError, null);
    Object.assign(shown, { query: read.query, text: read.text, nextBefore: null, count: 0 });
    ui.results.replaceChildren();
  }
  ui.more.hidden = true;
  ui.resultsNote.textContent = t('history.loading');
  const page = await listConversations(shown.query, next ? shown.nextBefore : null).catch(() => null);
  if (!page?.ok) {
    ui.resultsNote.textContent = '';
    return showError(ui.filtersError, t('requestFailed'));
  }
  for (const c of page.conversations) ui.results.append(resultItem(c, shown.text));
  shown.count += page.conversations.length;
  shown.nextBefore = page.nextBefore;
  ui.more.hidden = page.nextBefore === null;
  ui.resultsNote.textContent = shown.count === 0 && page.nextBefore === null ? t('history.none') : t('history.count', shown.count);
}

/** The conversation the address names (#c=ID), if any. */
function conversationInAddress() {
  const id = new URLSearchParams(location.hash.slice(1)).get('c');
  return id === null || id === '' ? null : id;
}

/** Shows the transcript the address names, or the results when it names none. */
async function route() {
  const id = conversationInAddress();
  ui.resultsView.hidden = id !== null;
  ui.filters.hidden = id !== null;
  ui.transcriptView.hidden = id === null;
  if (id === null) return;
  ui.transcript.replaceChildren();
  ui.transcriptTitle.textContent = t('history.loading');
  ui.transcriptMeta.textContent = '';
  showError(ui.transcriptError, null);
  const found = await readTranscript(id).catch(() => null);
  // The address may have moved on while this one loaded.
  if (conversationInAddress() !== id) return;
  if (!found) {
    ui.transcriptTitle.textContent = '';
    return showError(ui.transcriptError, t('history.notFound'));
  }
  const c = found.conversation;
  ui.transcriptTitle.textContent = c.customer;
  ui.transcriptMeta.textContent = [t('history.withAgent', c.agent), c.endedAt === null ? t('history.open') : t('history.ended')].join(' · ');
  showTranscript(ui.transcript, found.messages, shown.text);
  ui.transcript.querySelector('.hit')?.scrollIntoView({ block: 'center' });
}

ui.filters.addEventListener('submit', (e) => {
  e.preventDefault();
  void search(false);
});
ui.more.addEventListener('click', () => void search(true));
ui.back.addEventListener('click', () => {
  location.hash = '';
});
addEventListener('hashchange', () => void route());

await route();
await search(false);
