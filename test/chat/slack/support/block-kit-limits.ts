/**
 * Slack's documented Block Kit limits, checked on the JSON the bot sends (docs.slack.dev
 * reference/block-kit/blocks, …/block-elements, …/composition-objects, reference/surfaces):
 * block counts per surface, text lengths, field and element counts, unique action ids, the
 * view's title, buttons and metadata; action ids unique in their block, block ids in the surface. Returns the problems; [] is within every limit.
 */
type Json = any;

const MAX_BLOCKS = { message: 50, modal: 100, home: 100 } as const;
const BLOCK_TYPES = new Set(['section', 'header', 'context', 'actions', 'divider', 'image', 'input', 'rich_text', 'video', 'file', 'markdown']);

export function blockKitProblems(surface: 'message' | 'modal' | 'home', payload: { text?: string; blocks: Json[]; [key: string]: Json }): string[] {
  const problems: string[] = [];
  // action ids are unique within their block, block ids within the surface
  let actionIds = new Set<string>();
  const blockIds = new Set<string>();
  const max = (where: string, value: unknown, limit: number) => {
    if (typeof value === 'string' && value.length > limit) problems.push(`${where}: ${value.length} characters, over ${limit}`);
  };
  const textObject = (where: string, t: Json, limit: number, plainOnly = false) => {
    if (!t || typeof t !== 'object') return problems.push(`${where}: no text object`);
    if (t.type !== 'plain_text' && t.type !== 'mrkdwn') problems.push(`${where}: text type ${t.type}`);
    if (plainOnly && t.type !== 'plain_text') problems.push(`${where}: must be plain_text`);
    if (typeof t.text !== 'string' || t.text.length === 0) problems.push(`${where}: empty text`);
    max(where, t.text, limit);
  };
  const element = (where: string, e: Json) => {
    if (typeof e.action_id === 'string') {
      max(`${where}.action_id`, e.action_id, 255);
      if (actionIds.has(e.action_id)) problems.push(`${where}: action_id ${e.action_id} used twice`);
      actionIds.add(e.action_id);
    }
    switch (e.type) {
      case 'button':
        textObject(`${where}.text`, e.text, 75, true);
        max(`${where}.value`, e.value, 2000);
        max(`${where}.url`, e.url, 3000);
        break;
      case 'plain_text_input':
        if (e.placeholder) textObject(`${where}.placeholder`, e.placeholder, 150, true);
        if (e.max_length !== undefined && (e.max_length < 1 || e.max_length > 3000)) problems.push(`${where}: max_length ${e.max_length} not in 1..3000`);
        if (typeof e.initial_value === 'string' && e.initial_value.length > (e.max_length ?? 3000)) problems.push(`${where}: initial_value longer than max_length`);
        break;
      case 'datepicker':
        if (e.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(e.initial_date)) problems.push(`${where}: initial_date ${e.initial_date} is not YYYY-MM-DD`);
        if (e.placeholder) textObject(`${where}.placeholder`, e.placeholder, 150, true);
        break;
      case 'image':
        max(`${where}.alt_text`, e.alt_text, 2000);
        break;
      default:
        if (e.type !== 'mrkdwn' && e.type !== 'plain_text') problems.push(`${where}: element type ${e.type} not checked here`);
    }
  };

  if (payload.blocks.length > MAX_BLOCKS[surface]) problems.push(`${payload.blocks.length} blocks, over ${MAX_BLOCKS[surface]} for a ${surface}`);
  if (surface === 'message') max('text', payload.text, 40_000);
  payload.blocks.forEach((b: Json, i: number) => {
    const where = `blocks[${i}] (${b.type})`;
    actionIds = new Set<string>();
    if (!BLOCK_TYPES.has(b.type)) problems.push(`${where}: unknown block type`);
    if (typeof b.block_id === 'string') {
      max(`${where}.block_id`, b.block_id, 255);
      if (blockIds.has(b.block_id)) problems.push(`${where}: block_id ${b.block_id} used twice`);
      blockIds.add(b.block_id);
    }
    switch (b.type) {
      case 'section':
        if (!b.text && !b.fields) problems.push(`${where}: neither text nor fields`);
        if (b.text) textObject(`${where}.text`, b.text, 3000);
        if (b.fields) {
          if (b.fields.length > 10) problems.push(`${where}: ${b.fields.length} fields, over 10`);
          b.fields.forEach((f: Json, j: number) => {
            textObject(`${where}.fields[${j}]`, f, 2000);
          });
        }
        if (b.accessory) element(`${where}.accessory`, b.accessory);
        break;
      case 'header':
        textObject(`${where}.text`, b.text, 150, true);
        break;
      case 'context':
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 10) problems.push(`${where}: ${b.elements?.length} elements, not 1..10`);
        (b.elements ?? []).forEach((e: Json, j: number) => {
          (e.type === 'image' ? element(`${where}.elements[${j}]`, e) : textObject(`${where}.elements[${j}]`, e, 3000));
        });
        break;
      case 'actions':
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 25) problems.push(`${where}: ${b.elements?.length} elements, not 1..25`);
        (b.elements ?? []).forEach((e: Json, j: number) => {
          element(`${where}.elements[${j}]`, e);
        });
        break;
      case 'input':
        textObject(`${where}.label`, b.label, 2000, true);
        if (b.hint) textObject(`${where}.hint`, b.hint, 2000, true);
        element(`${where}.element`, b.element);
        break;
    }
  });
  if (surface !== 'message') {
    max('callback_id', payload.callback_id, 255);
    max('private_metadata', payload.private_metadata, 3000);
    max('external_id', payload.external_id, 255);
  }
  if (surface === 'modal') {
    textObject('title', payload.title, 24, true);
    if (payload.submit) textObject('submit', payload.submit, 24, true);
    if (payload.close) textObject('close', payload.close, 24, true);
    if (payload.blocks.some((b: Json) => b.type === 'input') && !payload.submit) problems.push('a modal with inputs needs a submit button');
  }
  return problems;
}
