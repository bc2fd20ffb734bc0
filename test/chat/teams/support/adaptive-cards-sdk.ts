/**
 * Adaptive Card JSON read by Microsoft's own renderer library (npm `adaptivecards`) at schema
 * version 1.5, the highest Teams renders: what it reports while parsing (unknown element or
 * action types, invalid property values, properties newer than 1.5) and what its validation
 * finds (duplicate ids, required inputs without a label or error message, too many actions…).
 * [] is a card Teams can render as sent.
 */
import * as AC from 'adaptivecards';

export function adaptiveCardsProblems(json: unknown): string[] {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json as object, context);
  const events: AC.IValidationEvent[] = [];
  for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i));
  events.push(...card.validateProperties().validationEvents);
  const problems = events.filter((e) => e.event !== AC.ValidationEvent.Hint).map((e) => `${AC.ValidationEvent[e.event]}: ${e.message}`);
  // the library parses a newer card without complaint; Teams would not render it
  const version = (json as { version?: unknown }).version;
  if (version !== '1.5') problems.push(`UnsupportedCardVersion: the card says version ${String(version)}; Teams renders 1.5`);
  return problems;
}
