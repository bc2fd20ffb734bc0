import { describe, expect, it } from 'vitest';
import { escapeHtml, renderPage } from '../../../src/chat/playground/page.ts';
import { transitionLine } from '../../../src/chat/playground/transition-lines.ts';

describe('playground page', () => {
  it('escapes every text it puts in the page', () => {
    expect(escapeHtml(`<img src=x onerror="alert('x')">&`)).toBe('&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;');
    const html = renderPage({
      channel: 'playground',
      stream: { name: '<b>team</b>', timeZone: 'Europe/Berlin' },
      today: '2026-11-24',
      examples: [{ example: '/flow "x"', what: '<i>' }],
      epics: [{ key: 'E-1"', title: '<script>' }],
    });
    expect(html).toContain('follows the value stream <strong>&lt;b&gt;team&lt;/b&gt;</strong>');
    expect(html).toContain('<option value="/flow &quot;x&quot;">&lt;i&gt;</option>');
    expect(html).toContain('<option value="E-1&quot;">&lt;script&gt;</option>');
    expect(html).not.toContain('<script>');
  });

  it('tells how to bind when the channel follows no stream, and limits the event date to today', () => {
    const html = renderPage({ channel: 'playground', stream: null, today: '2026-11-24', examples: [], epics: [] });
    expect(html).toContain('follows no value stream yet: type <code>/flow bind demo</code>');
    expect(html).toContain('type="date" max="2026-11-24" value="2026-11-24"');
  });
});

describe('transition line', () => {
  it('says where an item moved, or where it was created', () => {
    expect(transitionLine('CHK-12', 'Saved cards', { from: 'In Progress', to: 'In Review', at: 1 })).toBe('CHK-12 moved In Progress → In Review · Saved cards');
    expect(transitionLine('CHK-13', '', { from: null, to: 'To Do', at: 1 })).toBe('CHK-13 was created in To Do');
  });
});
