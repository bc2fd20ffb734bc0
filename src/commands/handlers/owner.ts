/**
 * `/flow owner EMAIL @user`: tells the bot which chat account an epic owner is, for owners the
 * platform lookup cannot find (a different e-mail in chat, a guest account, or a tracker that
 * names owners by account id, as Jira Cloud does: `/flow owner 5b912f5c8a96e82b9549361c @ana`). The
 * command layer routes the text after "owner" here.
 *
 * @example
 * case 'owner': return ownerCommand(ctx, rest);
 */
import { z } from 'zod';
import type { CommandContext } from '../context.ts';
import { errorReply, type Reply } from '../../reply/reply.ts';
import { setOwnerMapping } from '../../nudges/owner-directory.ts';

const USAGE = 'Use /flow owner EMAIL @user (e.g. /flow owner ana@example.com @ana), or the tracker account id instead of the e-mail when the tracker sends no e-mail (Jira Cloud).';
const ownerSchema = z.union([
  z.email(),
  z.string().regex(/^[\w:.@-]{3,200}$/),
], { error: 'The first word must be the e-mail (or the tracker account id) the tracker names the owner by, e.g. ana@example.com.' });

/**
 * A mention as the platform sends it → the user id: Slack `<@U123>` / `<@U123|ana>`, Teams
 * `<at>Ana</at>` is not an id (give the AAD id or use the roster), a bare `U123` / `@U123`.
 */
export function mentionToUserRef(mention: string): string | null {
  const slack = /^<@([A-Z0-9]+)(\|[^>]*)?>$/i.exec(mention);
  if (slack) return slack[1]!;
  const bare = mention.replace(/^@/, '');
  return /^[\w:.-]{2,100}$/.test(bare) ? bare : null;
}

export async function ownerCommand(ctx: CommandContext, text: string): Promise<Reply> {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length !== 2) return errorReply('bad-owner', `"/flow owner ${text.trim()}" needs an e-mail and a user.`, USAGE);
  const email = ownerSchema.safeParse(words[0]);
  if (!email.success) return errorReply('bad-owner', email.error.issues[0]!.message, USAGE);
  const userRef = mentionToUserRef(words[1]!);
  if (!userRef) return errorReply('bad-owner', `"${words[1]}" is not a user mention.`, USAGE);
  await setOwnerMapping(ctx.store.db, ctx.platform, email.data, userRef, ctx.now);
  return {
    text: `Noted: epics owned by ${email.data.toLowerCase()} are asked about their outcome in a direct message to <@${userRef}> here. Used only to ask for outcomes, never for metrics.`,
    ephemeral: true,
  };
}
