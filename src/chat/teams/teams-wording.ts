/**
 * The Teams way to ask. The command layer writes its hints as Slack does (`/flow leadtime
 * 30d`); Teams has no slash command: in a channel or group chat a person mentions the bot
 * (`@flow leadtime 30d`), in a 1:1 chat they type the command alone (`leadtime 30d`). Every
 * text of a Reply goes through here before it becomes a card, so no hint says `/flow` on Teams.
 */
import type { Reply, ReplySection } from '../../reply/reply.ts';
import type { AdaptiveCard, CardElement } from './adaptive-card.ts';

/** Where the card is read: a channel or group chat, or a 1:1 chat with the bot. */
export type TeamsPlace = 'channel' | 'personal';

/** The bot's name in Teams (manifests/teams/manifest.json name.short): what people mention. */
export const TEAMS_BOT_NAME = 'flow';

// `/flow` as a command, not inside a path or a word (`/invite @flow-nudge` stays).
const SLASH_FLOW = /(^|[^\w/.@-])\/flow(?![\w-])( ?)/g;

/**
 * A hint in Teams words.
 * @example teamsAsk('Try /flow leadtime 30d.', 'channel') // 'Try @flow leadtime 30d.'
 * @example teamsAsk('Try /flow leadtime 30d.', 'personal') // 'Try leadtime 30d.'
 */
export function teamsAsk(text: string, place: TeamsPlace): string {
  return text.replace(SLASH_FLOW, (_all, before: string, space: string) =>
    place === 'channel' ? `${before}@${TEAMS_BOT_NAME}${space}` : `${before}${space ? '' : TEAMS_BOT_NAME}`,
  );
}

function sectionIn(section: ReplySection, place: TeamsPlace): ReplySection {
  return {
    ...section,
    ...(section.title !== undefined && { title: teamsAsk(section.title, place) }),
    ...(section.text !== undefined && { text: teamsAsk(section.text, place) }),
    ...(section.fields && { fields: section.fields.map((f) => ({ label: teamsAsk(f.label, place), value: teamsAsk(f.value, place) })) }),
  };
}

/** The reply with every hint in it (text, sections, fix, chart summaries, buttons) in Teams words. */
export function teamsWording(reply: Reply, place: TeamsPlace): Reply {
  const ask = (text: string) => teamsAsk(text, place);
  return {
    ...reply,
    text: ask(reply.text),
    ...(reply.sections && { sections: reply.sections.map((s) => sectionIn(s, place)) }),
    ...(reply.error && { error: { ...reply.error, fix: ask(reply.error.fix) } }),
    ...(reply.chart && { chart: { ...reply.chart, summary: ask(reply.chart.summary) } }),
    ...(reply.moreCharts && { moreCharts: reply.moreCharts.map((c) => ({ ...c, summary: ask(c.summary) })) }),
    ...(reply.buttons && { buttons: reply.buttons.map((b) => ({ ...b, label: ask(b.label) })) }),
  };
}

function elementIn(element: CardElement, place: TeamsPlace): CardElement {
  const e: CardElement = { ...element };
  if (e.type === 'TextBlock' && typeof e.text === 'string') e.text = teamsAsk(e.text, place);
  if (e.type === 'FactSet' && Array.isArray(e.facts)) e.facts = (e.facts as { title: string; value: string }[]).map((f) => ({ ...f, value: teamsAsk(f.value, place) }));
  if (Array.isArray(e.items)) e.items = (e.items as CardElement[]).map((child) => elementIn(child, place));
  return e;
}

/** A card built outside a Reply (a saved form, a form with its problems) with its texts in Teams words. */
export function teamsCardWording(card: AdaptiveCard, place: TeamsPlace): AdaptiveCard {
  return { ...card, body: card.body.map((e) => elementIn(e, place)) };
}
