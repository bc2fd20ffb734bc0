/** A large, reproducible history for the performance tests. */
import { createRandom } from '../../src/core/random.ts';
import type { ItemType, Transition, WorkItem } from '../../src/core/types.ts';
import { DAY, HOUR } from './flow-fixtures.ts';

const done = [null, 'To Do', 'Ready', 'In Progress', 'In Review', 'In Progress', 'In Review', 'Testing', 'Done', 'In Progress', 'Done'];
const open = [null, 'To Do', 'Ready', 'In Progress', 'In Review', 'In Progress', 'In Review', 'In Progress', 'In Review', 'Testing', 'In Progress'];
const types: ItemType[] = ['feature', 'feature', 'defect', 'debt', 'risk'];

/** Items with exactly 10 transitions each: 70% reviewed twice, tested, done, reopened, done again; 30% still in progress. */
export function generateItems(count: number, year: number): WorkItem[] {
  const random = createRandom(year);
  const start = Date.UTC(year, 0, 1);
  const items: WorkItem[] = [];
  for (let i = 0; i < count; i++) {
    const path = random() < 0.7 ? done : open;
    let t = start + Math.floor(random() * 330 * DAY);
    const createdAt = t;
    const transitions: Transition[] = [];
    for (let m = 1; m < path.length; m++) {
      transitions.push({ from: path[m - 1], to: path[m] as string, at: t });
      t += Math.floor(random() * 2 * DAY) + HOUR;
    }
    // arrival order is not time order for some items
    if (random() < 0.2) transitions.reverse();
    items.push({ key: `P-${i}`, type: types[i % types.length], title: `Item ${i}`, parentKey: null, isEpic: false, createdAt, transitions });
  }
  return items;
}
