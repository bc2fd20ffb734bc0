/**
 * The playground page, rendered on the server: a chat workspace with one channel, the
 * message list (filled by /playground/app.js), the composer, the bot's controls, and the
 * three forms as native <dialog>s. No framework and nothing from the internet.
 */

export interface PageOptions {
  channel: string;
  /** the value stream the channel follows, or null when it follows none */
  stream: { name: string; timeZone: string } | null;
  /** the stream's local date: the latest date the event form accepts */
  today: string;
  /** every command with an example, offered as suggestions in the composer */
  examples: { example: string; what: string }[];
  /** epics without an anticipated outcome, suggested in the outcome form */
  epics: { key: string; title: string }[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function fieldError(id: string): string {
  return `<p class="field-error" id="${id}-error" hidden></p>`;
}

function eventDialog(today: string): string {
  return `
<dialog id="event-form" class="modal" aria-labelledby="event-form-title">
  <form data-form="event" novalidate>
    <h2 id="event-form-title">Log a policy change</h2>
    <p class="form-error" data-error-for="form" role="alert" hidden></p>
    <label for="event-text">What changed?</label>
    <textarea id="event-text" name="text" rows="3" maxlength="2000" required placeholder="e.g. WIP limit of 3 in Code review" aria-describedby="event-text-error"></textarea>
    ${fieldError('event-text')}
    <label for="event-date">Since when</label>
    <input id="event-date" name="date" type="date" max="${escapeHtml(today)}" value="${escapeHtml(today)}" aria-describedby="event-date-error">
    ${fieldError('event-date')}
    <p class="hint">Each logged change starts a new phase on the XmR charts, so you can read its effect.</p>
    <div class="modal-actions"><button type="button" class="secondary" data-close>Cancel</button><button type="submit" class="primary">Log it</button></div>
  </form>
</dialog>`;
}

function outcomeDialog(epics: PageOptions['epics']): string {
  const options = epics.map((e) => `<option value="${escapeHtml(e.key)}">${escapeHtml(e.title)}</option>`).join('');
  return `
<dialog id="outcome-form" class="modal" aria-labelledby="outcome-form-title">
  <form data-form="outcome" novalidate>
    <h2 id="outcome-form-title" data-anticipated="Anticipated outcome" data-actual="Actual outcome">Anticipated outcome</h2>
    <p class="form-error" data-error-for="form" role="alert" hidden></p>
    <input type="hidden" name="which" value="anticipated">
    <input type="hidden" name="stream" value="">
    <label for="outcome-epic">Epic</label>
    <input id="outcome-epic" name="epic" maxlength="100" required placeholder="e.g. DEMO-E3" list="epics-without-outcome" autocomplete="off" aria-describedby="outcome-epic-error">
    <datalist id="epics-without-outcome">${options}</datalist>
    ${fieldError('outcome-epic')}
    <label for="outcome-outcome" data-anticipated="What should this epic achieve?" data-actual="What did this epic achieve?">What should this epic achieve?</label>
    <textarea id="outcome-outcome" name="outcome" rows="3" maxlength="1500" required aria-describedby="outcome-outcome-error"></textarea>
    ${fieldError('outcome-outcome')}
    <label for="outcome-observe">How <span data-anticipated="will you observe" data-actual="did you observe">will you observe</span> it? <span class="optional">(optional)</span></label>
    <textarea id="outcome-observe" name="observe" rows="2" maxlength="450" placeholder="e.g. checkout abandonment below 20% in the weekly report" aria-describedby="outcome-observe-error"></textarea>
    ${fieldError('outcome-observe')}
    <label for="outcome-key-result">Parent OKR / key result <span class="optional">(optional, with an anticipated outcome)</span></label>
    <input id="outcome-key-result" name="keyResult" maxlength="300" placeholder="e.g. O2 KR1: repeat purchases +10%" autocomplete="off" aria-describedby="outcome-key-result-error">
    ${fieldError('outcome-key-result')}
    <div class="modal-actions"><button type="button" class="secondary" data-close>Cancel</button><button type="submit" class="primary">Save</button></div>
  </form>
</dialog>`;
}

function experimentDialog(): string {
  return `
<dialog id="experiment-form" class="modal" aria-labelledby="experiment-form-title">
  <form data-form="experiment" novalidate>
    <h2 id="experiment-form-title">Start an experiment</h2>
    <p class="form-error" data-error-for="form" role="alert" hidden></p>
    <label for="experiment-policy">Which policy do you change?</label>
    <input id="experiment-policy" name="policy" maxlength="300" required placeholder="e.g. WIP limit 3 in Code review" aria-describedby="experiment-policy-error">
    ${fieldError('experiment-policy')}
    <label for="experiment-measure">Measure</label>
    <select id="experiment-measure" name="measure" aria-describedby="experiment-measure-error">
      <option value="cycletime">cycle time</option><option value="leadtime">lead time</option><option value="throughput">throughput</option><option value="wip">WIP</option><option value="">none</option>
    </select>
    ${fieldError('experiment-measure')}
    <label for="experiment-review">Review on <span class="optional">(optional)</span></label>
    <input id="experiment-review" name="review" type="date" aria-describedby="experiment-review-error">
    ${fieldError('experiment-review')}
    <label for="experiment-owner">Owner role <span class="optional">(optional; a role, not a person)</span></label>
    <input id="experiment-owner" name="owner" maxlength="100" placeholder="e.g. tech lead" aria-describedby="experiment-owner-error">
    ${fieldError('experiment-owner')}
    <p class="hint">One policy change at a time: it is logged as an event, so the XmR charts show its effect.</p>
    <div class="modal-actions"><button type="button" class="secondary" data-close>Cancel</button><button type="submit" class="primary">Start experiment</button></div>
  </form>
</dialog>`;
}

/** The whole page. */
export function renderPage(options: PageOptions): string {
  const channel = escapeHtml(options.channel);
  const follows = options.stream
    ? `follows the value stream <strong>${escapeHtml(options.stream.name)}</strong> · ${escapeHtml(options.stream.timeZone)}`
    : 'follows no value stream yet: type <code>/flow bind demo</code>';
  const suggestions = options.examples.map((e) => `<option value="${escapeHtml(e.example)}">${escapeHtml(e.what)}</option>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>#${channel} · flow-nudge playground</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='6' fill='%232b7a78'/%3E%3Ctext x='16' y='21' font-family='sans-serif' font-size='13' font-weight='700' fill='white' text-anchor='middle'%3EFN%3C/text%3E%3C/svg%3E">
<link rel="stylesheet" href="/playground/app.css">
<script type="module" src="/playground/app.js"></script>
</head>
<body>
<div class="workspace">
  <nav class="sidebar" aria-label="Workspace">
    <div class="workspace-name">flow-nudge playground</div>
    <p class="sidebar-heading">Channels</p>
    <ul class="channels"><li><a href="/" aria-current="page"># ${channel}</a></li></ul>
    <p class="sidebar-heading" id="nudges-heading">Nudges</p>
    <div class="controls" role="group" aria-labelledby="nudges-heading">
      <button type="button" data-action="checkin-now">Run weekly check-in now</button>
      <button type="button" data-action="replay-demo">Replay demo history</button>
    </div>
    <p class="sidebar-heading" id="forms-heading">Forms</p>
    <div class="controls" role="group" aria-labelledby="forms-heading">
      <button type="button" data-opens="event-form">Log a policy change</button>
      <button type="button" data-opens="outcome-form">Record an anticipated outcome</button>
      <button type="button" data-opens="experiment-form">Start an experiment</button>
    </div>
    <p class="sidebar-heading">Tracker webhooks</p>
    <p class="sidebar-note">POST tracker webhooks to <code>/webhooks/jira</code> (see the README): each transition shows up here.</p>
    <p class="control-status" id="control-status" role="status" aria-live="polite"></p>
  </nav>
  <main class="channel" aria-labelledby="channel-title">
    <header class="channel-header">
      <h1 id="channel-title"># ${channel}</h1>
      <p class="channel-topic">${follows}</p>
    </header>
    <ol class="messages" id="messages" aria-label="Messages in #${channel}" aria-live="polite" aria-relevant="additions"></ol>
    <noscript><p class="notice">The playground needs JavaScript to show messages.</p></noscript>
    <p class="typing" id="typing" hidden>flow-nudge is typing…</p>
    <form class="composer" id="composer" autocomplete="off">
      <label for="composer-input" class="visually-hidden">Message #${channel}</label>
      <input id="composer-input" name="text" placeholder="/flow " list="flow-commands" maxlength="2000" spellcheck="false">
      <datalist id="flow-commands">${suggestions}</datalist>
      <button type="submit" class="primary">Send</button>
    </form>
  </main>
</div>
${eventDialog(options.today)}
${outcomeDialog(options.epics)}
${experimentDialog()}
</body>
</html>
`;
}
