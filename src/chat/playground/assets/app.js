// The playground page's script: shows the channel's messages (long-polling
// /playground/messages), sends /flow commands, opens and submits the forms, and
// runs the nudge controls. Plain browser JavaScript, no dependencies.

const list = document.getElementById('messages');
const typing = document.getElementById('typing');
const composer = document.getElementById('composer');
const input = document.getElementById('composer-input');
const status = document.getElementById('control-status');

const shown = new Set();
let last = 0;
const history = [];
let historyAt = 0;

const FORM_OF = { 'event-form': 'event-form', 'outcome-form': 'outcome-form', 'experiment-form': 'experiment-form' };

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function initials(name) {
  const words = name.split(/[\s-]+/).filter(Boolean);
  return words.slice(0, 2).map((w) => w[0].toUpperCase()).join('');
}

function timeOf(at) {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function nearBottom() {
  return list.scrollHeight - list.scrollTop - list.clientHeight < 120;
}

function scrollToEnd() {
  list.scrollTop = list.scrollHeight;
}

function renderSections(body, sections) {
  for (const section of sections) {
    const box = el('div', 'section');
    if (section.title) box.append(el('h3', 'section-title', section.title));
    if (section.text) box.append(el('p', 'section-text', section.text));
    if (section.fields && section.fields.length > 0) {
      const fields = el('dl', 'fields');
      for (const f of section.fields) {
        const pair = el('div', 'field');
        pair.append(el('dt', '', f.label), el('dd', '', f.value));
        fields.append(pair);
      }
      box.append(fields);
    }
    body.append(box);
  }
}

function renderChart(body, chart) {
  const figure = el('figure', 'chart');
  const img = el('img');
  img.src = chart.url;
  img.alt = chart.alt;
  img.dataset.kind = chart.kind;
  img.addEventListener('load', () => {
    img.closest('.chart').classList.add('loaded');
    if (nearBottom()) scrollToEnd();
  });
  img.addEventListener('error', () => {
    figure.replaceChildren(el('p', 'chart-missing', `Chart no longer kept in memory: ${chart.alt}`));
  });
  figure.append(img);
  body.append(figure);
}

function renderButtons(body, buttons, form) {
  const actions = el('div', 'actions');
  for (const b of buttons) {
    const button = el('button', 'secondary', b.label);
    button.type = 'button';
    if (b.opens && FORM_OF[b.opens]) {
      button.dataset.opens = b.opens;
      if (b.value !== undefined) button.dataset.value = b.value;
      // a button that opens its message's own form carries the form's prefill (stream, which outcome)
      if (form && form.kind === b.opens && form.prefill) button.dataset.prefill = JSON.stringify(form.prefill);
    } else {
      button.disabled = true;
      button.title = 'This button has no action in the playground.';
    }
    actions.append(button);
  }
  body.append(actions);
}

function render(message) {
  if (shown.has(message.id)) return;
  shown.add(message.id);
  const stick = nearBottom();
  const item = el('li', `message from-${message.author} kind-${message.kind}`);
  item.dataset.id = String(message.id);
  item.dataset.kind = message.kind;
  const avatar = el('div', 'avatar', initials(message.name));
  avatar.setAttribute('aria-hidden', 'true');
  const body = el('div', 'message-body');
  const meta = el('div', 'meta');
  meta.append(el('span', 'author', message.name));
  if (message.author === 'bot') meta.append(el('span', 'badge', 'APP'));
  const time = el('time', 'time', timeOf(message.at));
  time.dateTime = new Date(message.at).toISOString();
  meta.append(time);
  if (message.ephemeral) meta.append(el('span', 'ephemeral', 'Only visible to you'));
  body.append(meta);
  if (message.label) body.append(el('p', 'label', message.label));
  body.append(el('p', 'text', message.text));
  if (message.sections) renderSections(body, message.sections);
  if (message.chart) renderChart(body, message.chart);
  for (const chart of message.moreCharts ?? []) renderChart(body, chart);
  if (message.fix) body.append(el('p', 'fix', `Fix: ${message.fix}`));
  if (message.buttons && message.buttons.length > 0) renderButtons(body, message.buttons, message.form);
  item.append(avatar, body);
  list.append(item);
  if (stick || message.author === 'you') scrollToEnd();
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function poll() {
  for (;;) {
    try {
      const response = await fetch(`/playground/messages?after=${last}&wait=25`, { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const page = await response.json();
      if (page.reset) {
        list.replaceChildren();
        shown.clear();
      }
      for (const m of page.messages) render(m);
      last = page.last;
    } catch {
      await sleep(2000);
    }
  }
}

async function postJson(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  let data = {};
  try {
    data = await response.json();
  } catch {
    data = { error: `The server answered ${response.status} without a readable body.` };
  }
  return { status: response.status, data };
}

function showAll(data) {
  for (const m of data.messages ?? []) render(m);
}

// ---- the composer ----

composer.addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  history.push(text);
  historyAt = history.length;
  input.value = '';
  typing.hidden = false;
  try {
    const { status: code, data } = await postJson('/playground/command', { text });
    showAll(data);
    if (code >= 400 && data.error) status.textContent = data.error;
    const reply = (data.messages ?? []).find((m) => m.author === 'bot' && m.form);
    if (reply) openForm(reply.form.kind, reply.form.prefill ?? {});
  } catch {
    status.textContent = 'The server did not answer; is npm start still running?';
  } finally {
    typing.hidden = true;
    input.focus();
  }
});

input.addEventListener('keydown', (event) => {
  if (event.key === 'ArrowUp' && historyAt > 0 && (input.value === '' || input.value === history[historyAt])) {
    historyAt -= 1;
    input.value = history[historyAt];
    event.preventDefault();
  } else if (event.key === 'ArrowDown' && historyAt < history.length) {
    historyAt += 1;
    input.value = history[historyAt] ?? '';
    event.preventDefault();
  }
});

// ---- forms ----

function clearErrors(form) {
  for (const p of form.querySelectorAll('.field-error, .form-error')) {
    p.hidden = true;
    p.textContent = '';
  }
  for (const f of form.querySelectorAll('[aria-invalid]')) f.removeAttribute('aria-invalid');
}

// The outcome form's prefill says which outcome it records in `outcome` ('anticipated' or
// 'actual', as src/nudges/outcome-ask.ts writes it): that is never the text of the outcome.
function outcomePrefill(prefill) {
  const { outcome, which, ...rest } = prefill ?? {};
  const chosen = which ?? outcome;
  return { ...rest, which: chosen === 'actual' ? 'actual' : 'anticipated', stream: rest.stream ?? '' };
}

function showWhich(form, which) {
  for (const node of form.querySelectorAll('[data-anticipated]')) node.textContent = node.dataset[which];
}

function openForm(kind, prefill) {
  const dialog = document.getElementById(FORM_OF[kind] ?? '');
  if (!dialog) return;
  const form = dialog.querySelector('form');
  clearErrors(form);
  const values = kind === 'outcome-form' ? outcomePrefill(prefill) : prefill ?? {};
  for (const [name, value] of Object.entries(values)) {
    const field = form.elements.namedItem(name);
    if (field) field.value = value;
  }
  if (kind === 'outcome-form') showWhich(form, values.which);
  if (!dialog.open) dialog.showModal();
  const first = [...form.elements].find((f) => f.name && !f.value && f.type !== 'hidden') ?? form.elements[0];
  first?.focus();
}

function showErrors(form, errors) {
  let firstField = null;
  for (const [name, message] of Object.entries(errors)) {
    const field = name === 'form' ? null : form.elements.namedItem(name);
    const target = field ? document.getElementById(`${field.id}-error`) : form.querySelector('[data-error-for="form"]');
    if (!target) continue;
    target.textContent = message;
    target.hidden = false;
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      firstField ??= field;
    }
  }
  firstField?.focus();
}

for (const form of document.querySelectorAll('form[data-form]')) {
  const dialog = form.closest('dialog');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const submit = form.querySelector('[type="submit"]');
    submit.disabled = true;
    try {
      const body = Object.fromEntries(new FormData(form).entries());
      const { status: code, data } = await postJson(`/playground/forms/${form.dataset.form}`, body);
      if (code === 200) {
        showAll(data);
        form.reset();
        dialog.close();
        input.focus();
      } else {
        showErrors(form, data.errors ?? { form: data.error ?? `The server answered ${code}.` });
      }
    } catch {
      showErrors(form, { form: 'The server did not answer; is npm start still running?' });
    } finally {
      submit.disabled = false;
    }
  });
  for (const close of form.querySelectorAll('[data-close]')) close.addEventListener('click', () => dialog.close());
}

// Buttons that open a form: in messages (value pre-fills it) and in the sidebar.
document.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-opens]');
  if (!button) return;
  const kind = button.dataset.opens;
  const value = button.dataset.value;
  const prefill = button.dataset.prefill
    ? JSON.parse(button.dataset.prefill)
    : value === undefined ? {} : kind === 'outcome-form' ? { epic: value } : kind === 'event-form' ? { text: value } : {};
  openForm(kind, prefill);
});

// ---- nudge controls ----

for (const button of document.querySelectorAll('button[data-action]')) {
  button.addEventListener('click', async () => {
    button.disabled = true;
    const label = button.textContent;
    status.textContent = `${label}…`;
    try {
      const { status: code, data } = await postJson(`/playground/${button.dataset.action}`, {});
      showAll(data);
      status.textContent = code === 200 ? (data.summary ?? `${label}: done.`) : (data.error ?? `${label}: the server answered ${code}.`);
    } catch {
      status.textContent = 'The server did not answer; is npm start still running?';
    } finally {
      button.disabled = false;
    }
  });
}

poll();
