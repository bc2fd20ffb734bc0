/**
 * The small part of the Adaptive Card schema the Teams adapter emits, and the action verbs
 * its cards carry. Version 1.5: the highest Teams renders, and the one Universal Actions
 * (Action.Execute) require.
 */

export const ADAPTIVE_CARD_VERSION = '1.5';
export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** The verbs of our Action.Execute buttons (and `data.verb` of their Action.Submit fallbacks). */
export const VERBS = {
  openForm: 'flow.openForm',
  command: 'flow.command',
  saveEvent: 'flow.saveEvent',
  saveOutcome: 'flow.saveOutcome',
} as const;
export type Verb = (typeof VERBS)[keyof typeof VERBS];

export type CardElement = Record<string, unknown> & { type: string };

export interface CardAction extends Record<string, unknown> {
  type: 'Action.Execute' | 'Action.Submit' | 'Action.OpenUrl';
  title: string;
}

export interface AdaptiveCard extends Record<string, unknown> {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: CardElement[];
  actions?: CardAction[];
  /** Teams' extensions: full width, and the people `<at>…</at>` in the texts mention */
  msteams?: { width: 'Full'; entities?: { type: 'mention'; text: string; mentioned: { id: string; name: string } }[] };
}

/** A card of the version Teams renders, full width (charts need the room). */
export function adaptiveCard(body: CardElement[], actions: CardAction[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: ADAPTIVE_CARD_SCHEMA,
    version: ADAPTIVE_CARD_VERSION,
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
  };
}

export function textBlock(text: string, options: Record<string, unknown> = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...options };
}

/**
 * A Universal Action button (`adaptiveCard/action` invoke), with an Action.Submit fallback
 * for clients that do not know Action.Execute; both carry the verb and the data.
 */
export function executeAction(title: string, verb: Verb, data: Record<string, unknown> = {}, options: Record<string, unknown> = {}): CardAction {
  return {
    type: 'Action.Execute',
    title,
    verb,
    data: { ...data, verb },
    ...options,
    fallback: { type: 'Action.Submit', title, data: { ...data, verb }, ...options },
  };
}
