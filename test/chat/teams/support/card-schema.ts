/**
 * A check of Adaptive Card JSON against the 1.5 schema, for the elements and properties the
 * bot uses: element and action types that exist in 1.5 (Teams renders nothing newer), required
 * properties, enum values, unique input ids. Returns the problems; [] is a valid card.
 */
const ELEMENTS_1_5 = new Set([
  'TextBlock', 'Image', 'Media', 'RichTextBlock', 'Container', 'ColumnSet', 'Column', 'FactSet', 'ImageSet', 'ActionSet', 'Table',
  'Input.Text', 'Input.Number', 'Input.Date', 'Input.Time', 'Input.Toggle', 'Input.ChoiceSet',
]);
const ACTIONS_1_5 = new Set(['Action.OpenUrl', 'Action.Submit', 'Action.ShowCard', 'Action.ToggleVisibility', 'Action.Execute']);
const ENUMS: Record<string, string[]> = {
  color: ['default', 'dark', 'light', 'accent', 'good', 'warning', 'attention'],
  size: ['default', 'small', 'medium', 'large', 'extraLarge', 'auto', 'stretch'],
  weight: ['default', 'lighter', 'bolder'],
  spacing: ['none', 'small', 'default', 'medium', 'large', 'extraLarge', 'padding'],
  style: ['default', 'positive', 'destructive', 'emphasis', 'good', 'attention', 'warning', 'accent', 'text', 'tel', 'email', 'url', 'password'],
};
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function cardProblems(card: any): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  if (card?.type !== 'AdaptiveCard') problems.push('type is not AdaptiveCard');
  if (card?.version !== '1.5') problems.push(`version is ${card?.version}, not 1.5`);
  if (!Array.isArray(card?.body)) problems.push('body is not an array');

  function checkEnums(where: string, node: Record<string, unknown>) {
    for (const [key, allowed] of Object.entries(ENUMS)) {
      if (node[key] !== undefined && !allowed.includes(String(node[key]))) problems.push(`${where}: ${key} "${String(node[key])}" is not allowed`);
    }
  }

  function action(a: any, where: string) {
    if (!ACTIONS_1_5.has(a?.type)) return problems.push(`${where}: action type ${a?.type} is not in 1.5`);
    checkEnums(where, a);
    if (a.type === 'Action.Execute' && typeof a.verb !== 'string') problems.push(`${where}: Action.Execute without a verb`);
    if (a.type === 'Action.OpenUrl' && typeof a.url !== 'string') problems.push(`${where}: Action.OpenUrl without a url`);
    if (a.data !== undefined && (typeof a.data !== 'object' || Array.isArray(a.data))) problems.push(`${where}: data is not an object`);
    if (a.fallback !== undefined) action(a.fallback, `${where}.fallback`);
  }

  function element(e: any, where: string) {
    if (!ELEMENTS_1_5.has(e?.type)) return problems.push(`${where}: element type ${e?.type} is not in 1.5`);
    checkEnums(where, e);
    switch (e.type) {
      case 'TextBlock':
        if (typeof e.text !== 'string' || e.text === '') problems.push(`${where}: TextBlock without text`);
        break;
      case 'Image':
        if (typeof e.url !== 'string' || !/^(https?:|data:image\/(png|jpeg|gif);base64,)/.test(e.url)) problems.push(`${where}: Image url ${e.url} is not a URL or image data URI`);
        break;
      case 'FactSet':
        if (!Array.isArray(e.facts) || e.facts.some((f: any) => typeof f.title !== 'string' || typeof f.value !== 'string')) problems.push(`${where}: FactSet facts need title and value strings`);
        break;
      case 'Container':
        if (!Array.isArray(e.items)) problems.push(`${where}: Container without items`);
        else e.items.forEach((child: any, i: number) => {
          element(child, `${where}.items[${i}]`);
        });
        break;
      case 'ActionSet':
        (e.actions ?? []).forEach((a: any, i: number) => {
          action(a, `${where}.actions[${i}]`);
        });
        break;
      default:
        if (e.type.startsWith('Input.')) {
          if (typeof e.id !== 'string' || e.id === '') problems.push(`${where}: ${e.type} without an id`);
          else if (ids.has(e.id)) problems.push(`${where}: input id ${e.id} used twice`);
          else ids.add(e.id);
          if (e.type === 'Input.Date') for (const k of ['value', 'min', 'max']) if (e[k] !== undefined && e[k] !== '' && !ISO_DATE.test(e[k])) problems.push(`${where}: Input.Date ${k} "${e[k]}" is not YYYY-MM-DD`);
        }
    }
  }

  (card?.body ?? []).forEach((e: any, i: number) => {
    element(e, `body[${i}]`);
  });
  (card?.actions ?? []).forEach((a: any, i: number) => {
    action(a, `actions[${i}]`);
  });
  return problems;
}

/** The text of every TextBlock and fact in a card, for assertions on what a person reads. */
export function cardText(card: any): string {
  const out: string[] = [];
  const walk = (e: any) => {
    if (e?.type === 'TextBlock') out.push(e.text);
    if (e?.type === 'FactSet') for (const f of e.facts) out.push(`${f.title}: ${f.value}`);
    for (const child of e?.items ?? []) walk(child);
  };
  for (const e of card?.body ?? []) walk(e);
  return out.join('\n');
}

/** The Adaptive Card of a posted activity (the first attachment). */
export function cardOf(activity: any): any {
  const attachment = (activity?.attachments ?? []).find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  if (!attachment) throw new Error(`no Adaptive Card in ${JSON.stringify(activity).slice(0, 300)}`);
  return attachment.content;
}
