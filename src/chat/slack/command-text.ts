/**
 * The text of a `/flow` command as Slack sends it with `should_escape: true`, in the words the
 * command layer reads: links, e-mail addresses and channels unwrapped (`<mailto:ana@x.com|ana@x.com>`
 * → `ana@x.com`), `&lt;` `&gt;` `&amp;` decoded, and each user mention (`<@U0ANA|ana>`) written
 * `@ana` with who that is in `mentions` — as the Teams adapter hands over its mention entities.
 * `/flow owner` reads the user id from there; the per-person check refuses `@ana` in a query.
 */
import type { CommandMention } from '../../commands/context.ts';

const LINK = /<(?!@)([^<>|]*)(?:\|([^<>]*))?>/g;
const USER = /<@([UW][A-Z0-9]+)(?:\|([^<>]*))?>/g;

/**
 * @example slackCommandInput('owner <mailto:ana@example.com|ana@example.com> <@U0ANA|ana>')
 * // { text: 'owner ana@example.com @ana', mentions: [{ text: '@ana', userId: 'U0ANA', name: 'ana' }] }
 */
export function slackCommandInput(raw: string): { text: string; mentions: CommandMention[] } {
  const mentions: CommandMention[] = [];
  const unwrapped = raw
    .replace(LINK, (_all, target: string, label: string | undefined) => {
      if (target.startsWith('mailto:')) return target.slice('mailto:'.length);
      if (target.startsWith('#')) return label ? `#${label}` : target;
      if (target.startsWith('!')) return label ?? `@${target.slice(1).split('^')[0]}`;
      return target;
    })
    .replace(USER, (_all, userId: string, label: string | undefined) => {
      const name = label || userId;
      if (!mentions.some((m) => m.userId === userId)) mentions.push({ text: `@${name}`, userId, name });
      return `@${name}`;
    });
  return { text: unwrapped.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'), mentions };
}
