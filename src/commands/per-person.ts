/**
 * Detects a request for numbers per person ("by assignee", "who is slowest", a leaderboard,
 * a named person). flow-nudge never computes such numbers: metrics improve policies and the
 * system, never rank people. Detection runs on the words before anything is computed.
 */

const PERSON_WORDS =
  'assignees?|persons?|people|developers?|devs?|engineers?|users?|members?|individuals?|authors?|owners?|reporters?|employees?|contributors?|teammates?|heads?|staff|names?|who';

const PATTERNS: { pattern: RegExp; what: string }[] = [
  { pattern: new RegExp(`\\b(by|per|for each|each|every|grouped by|group by|split by|broken down by)\\s+(${PERSON_WORDS})\\b`, 'i'), what: 'numbers per person' },
  { pattern: /\bwho(\s+is|'s|s)?\s+(the\s+)?(slowest|fastest|slow|fast|best|worst|behind|lazy|laziest|least|most|top|bottom|blocking|blocker)/i, what: 'naming who is slow or fast' },
  { pattern: /\b(slowest|fastest|worst|best|top|bottom|least productive|most productive)\s+(person|people|developers?|devs?|engineers?|members?|assignees?|contributors?|performers?)\b/i, what: 'ranking people' },
  { pattern: /\b(leaderboard|leader board|ranking|rank people|rank the team|scoreboard|performance review|productivity of)\b/i, what: 'ranking people' },
  { pattern: /\b(assignee|assigned to)\b/i, what: 'numbers per assignee' },
];

/** A Slack user mention (`<@U123>`), a Teams mention (`<at>Name</at>`) or a plain `@name`. */
const MENTION = /<@[UW][A-Z0-9]+(\|[^>]*)?>|<at>[^<]*<\/at>|(^|\s)@[a-z][\w.-]*/i;

export interface PerPersonRequest {
  /** what the request asked for, in words */
  what: string;
  /** the reason given to the user */
  reason: string;
}

export const PER_PERSON_REASON =
  'flow-nudge does not report metrics per person or name who is slow: flow metrics describe the system and its policies, and ranking people makes the numbers lie. Ask for the stream instead (e.g. /flow cycletime 30d) or /flow stages to see where work waits.';

/**
 * Returns why the text asks for per-person numbers, or null when it does not.
 * `allowMentions` is for free text that may name someone (an event note), where only the
 * explicit ranking phrases count.
 * @example detectPerPersonRequest('leadtime by assignee') // { what: 'numbers per person', reason: '…' }
 */
export function detectPerPersonRequest(text: string, options: { allowMentions?: boolean } = {}): PerPersonRequest | null {
  for (const { pattern, what } of PATTERNS) {
    if (pattern.test(text)) return { what, reason: PER_PERSON_REASON };
  }
  if (!options.allowMentions && MENTION.test(text)) {
    return { what: 'numbers for a named person', reason: PER_PERSON_REASON };
  }
  return null;
}
