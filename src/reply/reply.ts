/**
 * The platform-neutral answer of a `/flow ...` command. The Slack adapter turns it into
 * Block Kit, the Teams adapter into an Adaptive Card, the playground into HTML. Nothing in
 * here knows about a chat platform.
 */

/** A label/value pair shown side by side (Slack section fields, Teams FactSet). */
export interface ReplyField {
  label: string;
  value: string;
}

/** A block of the answer: an optional title, a paragraph and/or fields. */
export interface ReplySection {
  title?: string;
  text?: string;
  fields?: ReplyField[];
}

/** The kinds of chart a reply can carry (the chart kinds of src/charts). */
export type ReplyChartKind =
  | 'scatter'
  | 'xmr'
  | 'aging'
  | 'cfd'
  | 'throughput'
  | 'distribution'
  | 'stages'
  | 'forecast'
  | 'map';

/** A rendered chart: PNG bytes and a one-line plain-words summary (alt text and message text). */
export interface ReplyChart {
  png: Buffer;
  summary: string;
  kind: ReplyChartKind;
  /** a file name for upload, e.g. `demo-leadtime.png` */
  filename?: string;
}

/** The forms a platform can open for the user (a Slack modal, a Teams card with inputs). */
export type ReplyFormKind = 'event-form' | 'outcome-form';

/** A button under the answer; `opens` asks the platform to open a form when it is pressed. */
export interface ReplyButton {
  /** stable action id, e.g. `open-event-form` */
  id: string;
  label: string;
  value?: string;
  opens?: ReplyFormKind;
}

/** A request to open a form right away (the command was `/flow event` with no text, say). */
export interface ReplyForm {
  kind: ReplyFormKind;
  /** pre-filled values: `epic` for the outcome form, `text` for the event form */
  prefill?: Record<string, string>;
}

/** A refusal or failure: a short string code and the fix, in words a user can act on. */
export interface ReplyError {
  code: string;
  fix: string;
}

/**
 * A person a reply names. The text says `@name` where the mention goes; each platform turns
 * it into its own mention (Slack `<@U…>`, Teams `<at>name</at>` with a mention entity).
 */
export interface ReplyMention {
  /** the platform's user id (Slack `U…`, Teams `29:…`) */
  userId: string;
  name: string;
}

export interface Reply {
  /** the short text: the message itself, or the fallback text of a richer message */
  text: string;
  sections?: ReplySection[];
  chart?: ReplyChart;
  /** further charts of the same answer (the check-in has two), shown after the first */
  moreCharts?: ReplyChart[];
  /** the people named `@name` in the text */
  mentions?: ReplyMention[];
  buttons?: ReplyButton[];
  /** only the user who asked should see it (help, errors, confirmations of private things) */
  ephemeral?: boolean;
  error?: ReplyError;
  /** open this form for the user (needs a trigger on Slack; the adapter falls back to a button) */
  form?: ReplyForm;
}

/** An answer that only the asking user sees, carrying an error code and its fix. */
export function errorReply(code: string, message: string, fix: string): Reply {
  return { text: `${message} ${fix}`.trim(), ephemeral: true, error: { code, fix } };
}

/** Every chart of a reply, the first one first. */
export function chartsOf(reply: Reply): ReplyChart[] {
  return [...(reply.chart ? [reply.chart] : []), ...(reply.moreCharts ?? [])];
}
