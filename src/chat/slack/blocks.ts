import type { types } from '@slack/bolt';
import type { Reply, ReplyButton, ReplyMention } from '../../reply/reply.ts';

type KnownBlock = types.KnownBlock;

/** Slack limits: a section's text is at most 3,000 characters, a field 2,000, at most 10 fields, a message 50 blocks. */
const MAX_TEXT = 3000;
const MAX_FIELD = 2000;
const MAX_FIELDS = 10;
const MAX_MESSAGE_BLOCKS = 50;

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Reply text → Slack mrkdwn: control characters escaped, each `@name` of a mentioned person
 * turned into Slack's mention `<@U…>` (which Slack shows as the person's name and notifies).
 * @example slackText('Asks @ana', [{ userId: 'U0ANA', name: 'ana' }]) // 'Asks <@U0ANA>'
 */
export function slackText(text: string, mentions: readonly ReplyMention[] = []): string {
  let result = escapeMrkdwn(text);
  for (const m of mentions) result = result.split(`@${escapeMrkdwn(m.name)}`).join(`<@${m.userId}>`);
  return result;
}

/** The action id of a reply button in Slack: forms get their own ids so one listener opens them. */
export function buttonActionId(button: ReplyButton): string {
  return button.opens ? `flow-open:${button.opens}` : `flow-button:${button.id}`;
}

/**
 * Turns a Reply into Block Kit: the text as a section, each section with a bold title and
 * fields, the buttons as one actions block. The chart is not here: it is uploaded as a file
 * with its summary as the comment.
 * @example replyToBlocks({ text: 'Bound.' }) // [{ type: 'section', text: { type: 'mrkdwn', text: 'Bound.' } }]
 */
export function replyToBlocks(reply: Reply): KnownBlock[] {
  const mrkdwn = (text: string) => slackText(text, reply.mentions);
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: clip(mrkdwn(reply.text), MAX_TEXT) } }];
  const sectionBlocks: KnownBlock[] = [];
  for (const section of reply.sections ?? []) {
    const lines = [section.title ? `*${escapeMrkdwn(section.title)}*` : '', section.text ? mrkdwn(section.text) : ''].filter(Boolean);
    const fields = (section.fields ?? []).slice(0, MAX_FIELDS).map((f) => ({
      type: 'mrkdwn' as const,
      text: clip(`*${escapeMrkdwn(f.label)}*\n${mrkdwn(f.value)}`, MAX_FIELD),
    }));
    if (lines.length === 0 && fields.length === 0) continue;
    sectionBlocks.push({
      type: 'section',
      ...(lines.length > 0 ? { text: { type: 'mrkdwn' as const, text: clip(lines.join('\n'), MAX_TEXT) } } : {}),
      ...(fields.length > 0 ? { fields } : {}),
    } as KnownBlock);
  }
  const room = MAX_MESSAGE_BLOCKS - blocks.length - (reply.error ? 1 : 0) - (reply.buttons?.length ? 1 : 0);
  if (sectionBlocks.length > room) {
    const left = sectionBlocks.length - (room - 1);
    blocks.push(...sectionBlocks.slice(0, room - 1), { type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${left} more sections (Slack shows at most ${MAX_MESSAGE_BLOCKS} blocks in a message).` }] });
  } else {
    blocks.push(...sectionBlocks);
  }
  if (reply.error) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(`Fix: ${escapeMrkdwn(reply.error.fix)}`, MAX_TEXT) }] });
  }
  if (reply.buttons && reply.buttons.length > 0) {
    blocks.push({
      type: 'actions',
      // action ids must be unique in a message: one button per form or id
      elements: reply.buttons.filter((b, i, all) => all.findIndex((o) => buttonActionId(o) === buttonActionId(b)) === i).slice(0, 25).map((b) => {
        // a button that opens the reply's own form carries the form's prefill (epic, stream, …)
        const prefill = b.opens && reply.form?.kind === b.opens && reply.form.prefill ? JSON.stringify(reply.form.prefill) : undefined;
        const value = prefill && prefill.length <= 2000 ? prefill : b.value;
        return {
          type: 'button' as const,
          action_id: buttonActionId(b),
          text: { type: 'plain_text' as const, text: clip(b.label, 75) },
          ...(value !== undefined ? { value: clip(value, 2000) } : {}),
        };
      }),
    });
  }
  return blocks;
}
