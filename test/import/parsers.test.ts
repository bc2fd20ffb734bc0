import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/import/import-error.ts';
import { parseJiraCsv } from '../../src/import/jira-csv.ts';
import { parseJiraJson } from '../../src/import/jira-json.ts';
import { parseTransitionsCsv } from '../../src/import/transitions-csv.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url), 'utf8');

describe('transitions CSV', () => {
  it('reads items, epics, declared-only rows and quoted titles', () => {
    const items = parseTransitionsCsv(fixture('history.csv'), 'history.csv');
    expect(items.map((item) => item.key)).toEqual(['CHK-E1', 'CHK-1', 'CHK-2']);
    const epic = items[0];
    expect(epic).toMatchObject({ isEpic: true, transitions: [] });
    const carts = items[1];
    expect(carts).toMatchObject({ type: 'feature', parentKey: 'CHK-E1', createdAt: Date.UTC(2026, 0, 5, 9) });
    expect(carts.transitions).toHaveLength(4);
    expect(carts.transitions[0]).toEqual({ from: null, to: 'Backlog', at: Date.UTC(2026, 0, 5, 9) });
    expect(items[2].title).toBe('Tax rounding, off by a cent');
  });

  it('reports every bad row with its line number and yields nothing', () => {
    let error: unknown;
    try {
      parseTransitionsCsv(fixture('bad-rows.csv'), 'bad-rows.csv');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ImportError);
    const problems = (error as ImportError).problems;
    expect(problems.map((problem) => problem.line)).toEqual([3, 4, 5]);
    expect(problems[0].reason).toContain('type "story" is not one of feature, defect, risk, debt, epic');
    expect(problems[1].reason).toContain('created_at "yesterday" is not a date or time; write YYYY-MM-DD');
    expect(problems[2].reason).toContain('expected 8 columns, found 5');
    expect((error as Error).message).toContain('nothing was imported');
  });

  it('refuses a cell with an unclosed quote', () => {
    const text = 'key,type,title,parent,created_at,from_status,to_status,at\nCHK-1,feature,"Saved carts,,2026-01-05T09:00:00Z,,,\n';
    expect(() => parseTransitionsCsv(text, 'broken.csv')).toThrow(/broken.csv: .*line 2: not valid CSV/s);
  });

  it('refuses a file whose header is not the transitions header', () => {
    expect(() => parseTransitionsCsv('id,status\n1,Done\n', 'x.csv')).toThrow(/header must be exactly "key,type,title,parent,created_at,from_status,to_status,at"/);
  });
});

describe('Jira exports', () => {
  it('reads the CSV export: creation, and resolution into the current status', () => {
    const items = parseJiraCsv(fixture('jira-export.csv'), 'jira-export.csv');
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ key: 'CHK-1', type: 'feature', parentKey: 'CHK-E1', createdAt: Date.UTC(2026, 0, 5, 9) });
    expect(items[0].transitions).toEqual([{ from: null, to: 'Done', at: Date.UTC(2026, 0, 9, 16) }]);
    expect(items[1]).toMatchObject({ key: 'CHK-2', type: 'defect' });
    expect(items[1].transitions).toEqual([{ from: null, to: 'In Progress', at: Date.UTC(2026, 0, 6, 9) }]);
  });

  it('refuses a CSV that is not a Jira export, naming the missing columns', () => {
    expect(() => parseJiraCsv('a,b\n1,2\n', 'x.csv')).toThrow(/missing columns "Issue key", "Issue Type", "Status", "Created"/);
  });

  it('reads issues with their changelog, status changes only, sorted by time', () => {
    const items = parseJiraJson(fixture('jira-search.json'), 'jira-search.json');
    const carts = items.find((item) => item.key === 'CHK-1')!;
    expect(carts.transitions.map((transition) => transition.to)).toEqual(['Backlog', 'In Progress', 'In Review', 'Done']);
    expect(carts.transitions[1].at).toBe(Date.UTC(2026, 0, 6, 10));
    const epic = items.find((item) => item.key === 'CHK-E1')!;
    expect(epic.isEpic).toBe(true);
    expect(epic.transitions).toEqual([{ from: null, to: 'Backlog', at: Date.UTC(2026, 0, 2, 9) }]);
  });

  it('refuses JSON that is not issues', () => {
    expect(() => parseJiraJson('{"foo": 1}', 'x.json')).toThrow(/expected a Jira search response/);
    expect(() => parseJiraJson('{nope', 'x.json')).toThrow(/not valid JSON/);
  });
});
