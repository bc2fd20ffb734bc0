import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadStreamMap, parseStreamMap } from '../../src/workflow/load-map.ts';
import { MapError } from '../../src/workflow/map-error.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/maps/${name}`, import.meta.url));

const CHECKOUT = {
  name: 'checkout',
  timeZone: 'Europe/Berlin',
  startStatus: 'To Do',
  stages: [
    { name: 'Backlog', kind: 'backlog', statuses: ['Backlog', 'To Do'] },
    { name: 'In progress', kind: 'touch', statuses: ['In Progress'] },
    { name: 'Code review', kind: 'wait', statuses: ['In Review', 'Ready for Review'] },
    { name: 'Done', kind: 'done', statuses: ['Done', 'Closed'] },
  ],
};

/** a map text with these stage lines and top-level lines */
function mapText(stages: string[], top = ['name: checkout', 'timeZone: Europe/Berlin']): string {
  return [...top, 'stages:', ...stages.map((stage) => `  - ${stage}`)].join('\n');
}

function refusal(text: string | unknown, fileName = 'checkout.yaml'): MapError {
  try {
    parseStreamMap(text, fileName);
  } catch (error) {
    expect(error).toBeInstanceOf(MapError);
    return error as MapError;
  }
  throw new Error('the map was accepted');
}

const DONE = '{ name: Done, kind: done, statuses: [Done] }';

describe('loading a value-stream map', () => {
  it('reads the YAML map', async () => {
    expect(await loadStreamMap(fixture('checkout.yaml'))).toEqual(CHECKOUT);
  });

  it('reads the same map written as JSON', async () => {
    expect(await loadStreamMap(fixture('checkout.json'))).toEqual(CHECKOUT);
  });

  it('accepts an already parsed object, trims names, and names a nameless map after its file', () => {
    const map = parseStreamMap(
      { timeZone: 'UTC', stages: [{ name: ' Doing ', kind: 'touch', statuses: [' In Progress '] }, { name: 'Done', kind: 'done', statuses: ['Done'] }] },
      'payments.yml',
    );
    expect(map).toEqual({
      name: 'payments',
      timeZone: 'UTC',
      stages: [
        { name: 'Doing', kind: 'touch', statuses: ['In Progress'] },
        { name: 'Done', kind: 'done', statuses: ['Done'] },
      ],
    });
  });

  it('refuses a map without a done stage, saying how to mark one', async () => {
    await expect(loadStreamMap(fixture('no-done.yaml'))).rejects.toThrow(
      'no-done.yaml, stages: the map no-done.yaml has no stage of kind done: mark the stage where work is finished with kind: done',
    );
  });

  it('refuses a status in two stages, naming both stages', () => {
    const error = refusal(mapText(['{ name: Review, kind: wait, statuses: [In Review] }', '{ name: QA, kind: wait, statuses: [QA, in review ] }', DONE]));
    expect(error.message).toBe(
      "checkout.yaml, stages[1].statuses[1]: the status 'in review' is in two stages, 'Review' and 'QA': keep it in the one stage it belongs to",
    );
  });

  it('refuses two stages with the same name', () => {
    const error = refusal(mapText(['{ name: Review, kind: wait, statuses: [In Review] }', '{ name: review, kind: touch, statuses: [Reviewing] }', DONE]));
    expect(error.message).toBe("checkout.yaml, stages[1].name: two stages are named 'review' (stages[0] and stages[1]): give each stage its own name");
  });

  it('refuses an unknown kind, listing the four kinds', () => {
    const error = refusal(mapText(['{ name: Review, kind: review, statuses: [In Review] }', DONE]));
    expect(error.message).toBe("checkout.yaml, stages[0].kind: 'review' is not a stage kind: use one of backlog, wait, touch, done");
    expect(refusal(mapText(['{ name: Review, statuses: [In Review] }', DONE])).message).toBe(
      'checkout.yaml, stages[0].kind: the stage has no kind: add kind with one of backlog, wait, touch, done',
    );
  });

  it('refuses a time zone that is not IANA', () => {
    const error = refusal(mapText([DONE], ['name: checkout', 'timeZone: Europe/Berln']));
    expect(error.issues).toEqual([
      { path: 'timeZone', message: "'Europe/Berln' is not an IANA time zone: use a name such as Europe/Berlin, America/New_York or UTC" },
    ]);
    expect(refusal(mapText([DONE], ['name: checkout'])).message).toMatch(/^checkout\.yaml, timeZone: the map needs a timeZone .*Europe\/Berlin/);
  });

  it('refuses a startStatus that no stage lists', () => {
    const error = refusal(mapText(['{ name: Backlog, kind: backlog, statuses: [To Do] }', DONE], ['name: checkout', 'timeZone: UTC', 'startStatus: Todo']));
    expect(error.message).toBe(
      "checkout.yaml, startStatus: 'Todo' is not a status of any stage: use a status listed under stages, or remove startStatus to start lead time at creation",
    );
  });

  it('accepts a startStatus written in another case', () => {
    const map = parseStreamMap(mapText(['{ name: Backlog, kind: backlog, statuses: [To Do] }', DONE], ['name: checkout', 'timeZone: UTC', 'startStatus: to do']), 'checkout.yaml');
    expect(map.startStatus).toBe('to do');
  });

  it('refuses a stage with no statuses, or an empty one', () => {
    expect(refusal(mapText(['{ name: Review, kind: wait, statuses: [] }', DONE])).message).toBe(
      'checkout.yaml, stages[0].statuses: the stage has no statuses: list the tracker statuses that belong to it, e.g. statuses: [In Review]',
    );
    expect(refusal(mapText(['{ name: Review, kind: wait, statuses: [In Review, "  "] }', DONE])).issues[0]).toEqual({
      path: 'stages[0].statuses[1]',
      message: 'a status is empty: write the tracker status name or remove the entry',
    });
  });

  it('refuses unknown keys, listing the known ones', () => {
    const error = refusal(mapText([DONE], ['name: checkout', 'timeZone: UTC', 'startstatus: To Do']));
    expect(error.message).toBe("checkout.yaml: unknown key 'startstatus': the keys are name, timeZone, startStatus, stages, blockedStatuses, blockedLabels, blockedWhenFlagged, stalledAfterDays, costOfDelay, pauseAwareCycleTime");
  });

  it('lists every problem at once, one line each', () => {
    const error = refusal(mapText(['{ name: Review, kind: review, statuses: [] }', DONE], ['name: checkout', 'timeZone: Mars/Olympus']));
    expect(error.issues.map((issue) => issue.path)).toEqual(['timeZone', 'stages[0].kind', 'stages[0].statuses']);
    expect(error.message.split('\n')).toHaveLength(3);
  });

  it('refuses broken YAML, an empty file and a file that is not a mapping', () => {
    expect(refusal('stages: [').message).toMatch(/^checkout\.yaml: not valid YAML or JSON \(.*line 1/);
    expect(refusal('').message).toMatch(/^checkout\.yaml: the map is empty/);
    expect(refusal('- a\n- b').message).toMatch(/^checkout\.yaml: a value-stream map is a mapping with name, timeZone, stages/);
  });

  it('names the path of a map file that does not exist', async () => {
    await expect(loadStreamMap('/nowhere/checkout.yaml')).rejects.toThrow('/nowhere/checkout.yaml: cannot read the value-stream map (there is no such file): check the path');
  });
});
