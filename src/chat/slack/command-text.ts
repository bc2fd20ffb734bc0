/**
 * The text of a `/flow` command as Slack sends it with `should_escape: true`, in the words the
 * command layer reads: links, e-mail addresses and channels unwrapped (`<mailto:ana@x.com|ana@x.com>`
 * → `ana@x.com`), `&lt;` `&gt;` `&amp;` decoded. User mentions stay as Slack writes them
 * (`<@U0ANA|ana>`): `/flow owner` reads the user id from them, and the per-person check refuses them.
 */

const LINK = /<(?!@)([^<>|]*)(?:\|([^<>]*))?>/g;

/**
 * @example slackCommandText('owner <mailto:ana@example.com|ana@example.com> <@U0ANA|ana>') // 'owner ana@example.com <@U0ANA|ana>'
 */
export function slackCommandText(text: string): string {
  const unwrapped = text.replace(LINK, (_all, target: string, label: string | undefined) => {
    if (target.startsWith('mailto:')) return target.slice('mailto:'.length);
    if (target.startsWith('#')) return label ? `#${label}` : target;
    if (target.startsWith('!')) return label ?? `@${target.slice(1).split('^')[0]}`;
    return target;
  });
  return unwrapped.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
