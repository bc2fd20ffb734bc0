/**
 * `/flow owner EMAIL PERSON`: tells the bot which chat account an epic owner is, for owners the
 * platform lookup cannot find (a different e-mail in chat, a guest account, or a tracker that
 * names owners by account id, as Jira Cloud does: `/flow owner 5b912f5c8a96e82b9549361c @ana`). The
 * command layer routes the text after "owner" here.
 *
 * @example
 * case 'owner': return ownerCommand(ctx, rest);
 */
import { z } from 'zod';
import type { CommandContext } from '../context.ts';
import { errorReply, type Reply, type ReplyMention } from '../../reply/reply.ts';
import { setOwnerMapping } from '../../nudges/owner-directory.ts';

const USAGE =
  'Use /flow owner EMAIL PERSON: EMAIL is the e-mail (or, when the tracker sends none, as Jira Cloud, the account id) the tracker names the owner by; ' +
  'PERSON is a mention of them (@ana, picked from the list) or their chat e-mail. E.g. /flow owner ana@example.com @ana.';
const ownerSchema = z.union([
  z.email(),
  z.string().regex(/^[\w:.@-]{3,200}$/),
], { error: 'The first word must be the e-mail (or the tracker account id) the tracker names the owner by, e.g. ana@example.com.' });
const EMAIL = /^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/;

/** Who the owner is in chat: the user id to store, and the person to mention in the answer. */
export type OwnerPerson = { userRef: string; mention?: ReplyMention } | { problem: string };

/**
 * The person part of `/flow owner` → who that is on the platform: a Slack mention
 * (`@ana` with who that is in `ctx.mentions`, as the Slack and Teams adapters hand over
 * `<@U0ANA|ana>` and a Teams mention entity; or `<@U0ANA|ana>` itself), a chat e-mail (Slack and the playground look it up), or a bare
 * platform id (`U0ANA`, `29:…`; any name in the playground).
 * @example ownerPerson({ platform: 'slack' }, '<@U0ANA|ana>') // { userRef: 'U0ANA', mention: { userId: 'U0ANA', name: 'ana' } }
 */
export function ownerPerson(ctx: Pick<CommandContext, 'platform' | 'mentions'>, person: string): OwnerPerson {
  const entity = ctx.mentions?.find((m) => m.text === person);
  if (entity) return { userRef: entity.userId, mention: { userId: entity.userId, name: entity.name } };
  const slack = /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/i.exec(person);
  if (slack) return { userRef: slack[1]!, mention: { userId: slack[1]!, name: slack[2] || slack[1]! } };
  if (EMAIL.test(person)) {
    if (ctx.platform === 'teams') return { problem: `Teams cannot find a person by e-mail (${person}): mention them instead, picking them from the @ list.` };
    return { userRef: person.toLowerCase() };
  }
  if (/^<at>.*<\/at>$/i.test(person)) return { problem: `"${person.replace(/<\/?at>/g, '')}" is not a mention Teams marked: pick the person from the @ list as you type their name.` };
  const bare = person.replace(/^@/, '');
  const isId =
    ctx.platform === 'slack' ? /^[UW][A-Z0-9]{2,}$/.test(bare) : ctx.platform === 'teams' ? /^29:[\w-]+$|^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(bare) : /^[\w.-]{2,100}$/.test(bare);
  if (isId) return { userRef: bare, mention: { userId: bare, name: bare } };
  return { problem: `"${person}" is not a mention, a chat e-mail or a user id.` };
}

export async function ownerCommand(ctx: CommandContext, text: string): Promise<Reply> {
  const [first, ...rest] = text.trim().split(/\s+/).filter(Boolean);
  const person = rest.join(' ');
  if (!first || !person) {
    return errorReply('bad-owner', first ? `"/flow owner ${first}" names no person to ask.` : '/flow owner needs the owner as the tracker names them and the person in chat.', USAGE);
  }
  const email = ownerSchema.safeParse(first);
  if (!email.success) return errorReply('bad-owner', email.error.issues[0]!.message, USAGE);
  const who = ownerPerson(ctx, person);
  if ('problem' in who) return errorReply('bad-owner', who.problem, USAGE);
  await setOwnerMapping(ctx.store.db, ctx.platform, email.data, who.userRef, ctx.now);
  const named = who.mention ? `@${who.mention.name}` : who.userRef;
  return {
    text: `Noted: epics owned by ${email.data.toLowerCase()} are asked about their outcome in a direct message to ${named} here. Used only to ask for outcomes, never for metrics.`,
    ephemeral: true,
    ...(who.mention ? { mentions: [who.mention] } : {}),
  };
}
