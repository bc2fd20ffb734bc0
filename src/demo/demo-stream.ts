/**
 * The demo value stream: a deterministic, realistic year of history so that
 * every report, chart and nudge has something real to show.
 *
 * - A product team with a backlog, analysis, development, code review (the
 *   constraint: reviews wait days), testing and a release queue.
 * - Items of all four types, a dozen epics, a few reopened defects, and work in
 *   progress at the end (some of it aging).
 * - One logged policy change ("WIP limit 3 in Code review") about three months
 *   before the end, after which review waits shrink and lead time visibly drops.
 *
 * The year is preceded by two months of warm-up, so it starts with work in
 * progress. Pure: the end of the history is a parameter, the randomness is seeded.
 */
import { createRandom } from '../core/random.ts';
import type { FlowEvent, ItemType, StreamMap, Transition, WorkItem } from '../core/types.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const WARM_UP_DAYS = 60;

export const DEMO_STREAM_NAME = 'demo';

export const DEMO_MAP: StreamMap = {
  name: DEMO_STREAM_NAME,
  timeZone: 'Europe/Berlin',
  startStatus: 'To Do',
  stages: [
    { name: 'Backlog', kind: 'backlog', statuses: ['Backlog', 'To Do'] },
    { name: 'Analysis', kind: 'touch', statuses: ['In Analysis'] },
    { name: 'Ready for dev', kind: 'wait', statuses: ['Ready for Dev'] },
    { name: 'Development', kind: 'touch', statuses: ['In Progress'] },
    { name: 'Code review', kind: 'wait', statuses: ['In Review'] },
    { name: 'Testing', kind: 'touch', statuses: ['Testing'] },
    { name: 'Ready for release', kind: 'wait', statuses: ['Ready for Release'] },
    { name: 'Done', kind: 'done', statuses: ['Done'] },
  ],
  // what a week of waiting costs this (made-up) team: the map and /flow stages price the constraint's queue
  costOfDelay: { perWeek: 2500, currency: 'EUR' },
};

export interface DemoStream {
  map: StreamMap;
  items: WorkItem[];
  events: FlowEvent[];
  /** the actual outcomes recorded for closed epics (the review at close), each at its time */
  reviews: DemoReview[];
}

/** An epic's actual outcome, recorded some days after it closed. */
export interface DemoReview {
  key: string;
  text: string;
  /** epoch ms: when the review was recorded */
  at: number;
}

export interface DemoOptions {
  /** End of the history (epoch ms); the history covers the year before it. */
  end: number;
  /** Number of days of history (default 365). */
  days?: number;
  /** Average arrivals per working day (default 1.9; raise it for large benchmark streams). */
  arrivalsPerDay?: number;
  seed?: number;
}

const FEATURE_TITLES = ['Saved carts', 'Express checkout', 'Gift cards', 'Address autocomplete', 'Order history export', 'Promo codes', 'Wish list sharing', 'One-click reorder', 'Delivery slots', 'Invoice download'];
const DEFECT_TITLES = ['Tax rounding off by a cent', 'Basket empties on refresh', 'Coupon applied twice', 'Wrong currency symbol', 'Timeout on payment page', 'Broken link in receipt mail'];
const RISK_TITLES = ['PCI audit findings', 'Rotate payment API keys', 'GDPR deletion request flow', 'Upgrade TLS configuration'];
const DEBT_TITLES = ['Remove legacy cart service', 'Split checkout monolith module', 'Upgrade web framework', 'Replace flaky e2e suite', 'Migrate to new logging'];
/**
 * What the closed epics actually achieved, by epic index, and how many days after the close the
 * review was held. An index without an entry is closed without a review ("not yet learned").
 */
const EPIC_REVIEWS: Record<number, { afterDays: number; text: string }> = {
  0: { afterDays: 14, text: 'Checkout completion rose from 61% to 66% in the six weeks after release; median checkout time fell from 4 min 10 s to 2 min 50 s.\nObserved by: checkout funnel report' },
  1: { afterDays: 28, text: 'Wallet payments reached 18% of mobile orders within two months, but mobile conversion rose only 1.5 points, not the 4 we hoped for.\nObserved by: payment mix dashboard' },
  2: { afterDays: 21, text: 'Members order 9% more often than other customers after three months; sign-ups stalled at 12% of customers.\nObserved by: loyalty report' },
  3: { afterDays: 9, text: 'Payment-page timeouts fell from 1.2% to 0.3% of sessions; checkout support tickets down by a third.\nObserved by: error budget and support queue' },
  4: { afterDays: 35, text: '40 sellers onboarded of the 100 hoped for; their listings get 6% of catalogue views. Not yet the impact anticipated.\nObserved by: marketplace report' },
  6: { afterDays: 12, text: 'Accessibility audit score from 71 to 94 and no screen-reader complaints since; no change in conversion measured.\nObserved by: audit and support tags' },
};

/** What the epics should achieve, by title; epics not named here have none (they feed the Feature Factory Ratio). */
const EPIC_ANTICIPATED: Record<string, string> = {
  'Faster checkout': 'Checkout completion from 61% to 65% within a quarter of release.\nObserved by: checkout funnel report',
  'Mobile wallet payments': 'Mobile conversion up 4 points as wallet payments replace card entry.\nObserved by: payment mix dashboard',
  'Checkout reliability': 'Payment-page timeouts under 0.5% of sessions and fewer checkout tickets.\nObserved by: error budget and support queue',
  'Marketplace sellers': '100 sellers onboarded and 15% of catalogue views on their listings by year end.\nObserved by: marketplace report',
  'Accessibility pass': 'WCAG AA audit passed and screen-reader users complete checkout unaided.\nObserved by: external audit and support tags',
  'New tax engine': 'Tax corrections on invoices fall from 40 a month to under 5.\nObserved by: finance correction log',
  'B2B invoicing': 'Business customers download invoices themselves: invoice tickets halve.\nObserved by: support queue tags',
  'Fraud screening': 'Chargebacks below 0.2% of orders without more false declines.\nObserved by: payment provider reports',
};

const EPIC_TITLES = ['Faster checkout', 'Mobile wallet payments', 'Loyalty programme', 'Checkout reliability', 'Marketplace sellers', 'Subscriptions', 'Accessibility pass', 'New tax engine', 'Returns self-service', 'B2B invoicing', 'Fraud screening', 'Checkout analytics'];

export function generateDemoStream(options: DemoOptions): DemoStream {
  const random = createRandom(options.seed ?? 20_261_124);
  const days = options.days ?? 365;
  const rate = options.arrivalsPerDay ?? 1.9;
  const endDay = Math.floor(options.end / DAY) * DAY;
  // Two months of warm-up before the year, so the year starts with work already flowing.
  const startDay = endDay - (days + WARM_UP_DAYS) * DAY;
  const policyAt = endDay - Math.round(days / 4) * DAY + 9 * HOUR;

  /** A skewed duration in days around `median` (log-normal). */
  const skewed = (median: number, spread = 0.6): number => {
    const u = Math.max(random(), 1e-9);
    const v = random();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(spread * normal);
  };
  /** Move a time forward by `d` days, landing in working hours on a weekday. */
  const advance = (at: number, d: number): number => {
    let next = at + d * DAY;
    const hourOfDay = ((next % DAY) + DAY) % DAY / HOUR;
    if (hourOfDay < 8) next += (8 - hourOfDay) * HOUR;
    if (hourOfDay > 17) next += (24 - hourOfDay + 8) * HOUR;
    const weekday = new Date(next).getUTCDay();
    if (weekday === 6) next += 2 * DAY;
    if (weekday === 0) next += DAY;
    return Math.round(next / 60_000) * 60_000;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];

  const items: WorkItem[] = [];
  const epics: WorkItem[] = EPIC_TITLES.map((title, index) => {
    const createdAt = startDay + Math.floor((index * (days + WARM_UP_DAYS)) / EPIC_TITLES.length) * DAY + 10 * HOUR;
    return {
      key: `DEMO-E${index + 1}`,
      type: 'feature',
      title,
      parentKey: null,
      isEpic: true,
      createdAt,
      transitions: [{ from: null, to: 'Backlog', at: createdAt }],
      // Two out of three epics state what they should achieve; the rest feed the Feature Factory Ratio.
      anticipatedOutcome: EPIC_ANTICIPATED[title] ?? null,
    };
  });

  let counter = 0;
  for (let day = 0; day < days + WARM_UP_DAYS; day += 1) {
    const dayStart = startDay + day * DAY;
    const weekday = new Date(dayStart).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const arrivals = Math.floor(rate * 2 * random() + 0.5);
    for (let n = 0; n < arrivals; n += 1) {
      counter += 1;
      const roll = random();
      const type: ItemType = roll < 0.58 ? 'feature' : roll < 0.8 ? 'defect' : roll < 0.86 ? 'risk' : 'debt';
      const titles = type === 'feature' ? FEATURE_TITLES : type === 'defect' ? DEFECT_TITLES : type === 'risk' ? RISK_TITLES : DEBT_TITLES;
      const createdAt = dayStart + (8 + Math.floor(random() * 9)) * HOUR + Math.floor(random() * 60) * 60_000;
      const openEpics = epics.filter((epic) => epic.createdAt <= createdAt);
      const parent = type === 'feature' && openEpics.length > 0 ? openEpics[openEpics.length - 1 - Math.floor(random() * Math.min(3, openEpics.length))] : null;
      const item: WorkItem = {
        key: `DEMO-${counter}`,
        type,
        title: `${pick(titles)} (${counter})`,
        parentKey: parent?.key ?? null,
        isEpic: false,
        createdAt,
        transitions: [],
      };
      walkItem(item, createdAt);
      items.push(item);
    }
  }

  function walkItem(item: WorkItem, createdAt: number): void {
    const transitions: Transition[] = [];
    let status = 'Backlog';
    let at = createdAt;
    transitions.push({ from: null, to: status, at });
    const move = (to: string, afterDays: number): boolean => {
      const next = advance(at, afterDays);
      if (next >= endDay) return false;
      transitions.push({ from: status, to, at: next });
      status = to;
      at = next;
      return true;
    };
    const afterPolicy = (): boolean => at >= policyAt;
    const steps: [string, () => number][] = [
      ['To Do', () => skewed(3, 0.9)],
      ...(item.type === 'defect' ? [] : ([['In Analysis', () => skewed(0.8, 0.8)]] as [string, () => number][])),
      ...(item.type === 'defect' ? [] : ([['Ready for Dev', () => skewed(0.6, 0.7)]] as [string, () => number][])),
      ['In Progress', () => skewed(item.type === 'defect' ? 0.4 : 0.8, 0.7)],
      ['In Review', () => skewed(item.type === 'debt' ? 3 : 2, 0.6)],
      // Reviews are the constraint until the WIP limit: they wait days, then hours. On the
      // day of the change the team swarms on the reviews that are waiting.
      ['Testing', () => {
        if (afterPolicy()) return skewed(0.7, 0.5);
        const wait = skewed(5.5, 0.55);
        return at + wait * DAY > policyAt ? Math.max(0.1, (policyAt - at) / DAY + skewed(0.7, 0.5)) : wait;
      }],
      ['Ready for Release', () => skewed(1.2, 0.5)],
      ['Done', () => skewed(1.5, 0.6)],
    ];
    for (const [to, duration] of steps) {
      if (!move(to, duration())) break;
    }
    // A few defects come back from done and go round again.
    if (status === 'Done' && item.type === 'defect' && random() < 0.12) {
      if (move('In Progress', skewed(2, 0.5)) && move('In Review', skewed(0.5, 0.5)) && move('Testing', afterPolicy() ? skewed(0.5, 0.5) : skewed(3, 0.5))) {
        move('Done', skewed(0.5, 0.5));
      }
    }
    item.transitions = transitions;
  }

  // The older epics close with the work done under them; most are reviewed some days later.
  const reviews: DemoReview[] = [];
  for (const [index, epic] of epics.slice(0, 8).entries()) {
    const children = items.filter((item) => item.parentKey === epic.key);
    const lastDone = Math.max(...children.map((child) => child.transitions.at(-1)?.at ?? 0), epic.createdAt + 30 * DAY);
    if (lastDone < endDay - DAY) {
      epic.transitions.push({ from: 'Backlog', to: 'In Progress', at: epic.createdAt + DAY });
      epic.transitions.push({ from: 'In Progress', to: 'Done', at: lastDone + HOUR });
      const review = EPIC_REVIEWS[index];
      const reviewAt = review ? advance(lastDone + HOUR, review.afterDays) : Number.POSITIVE_INFINITY;
      if (review && reviewAt < endDay) reviews.push({ key: epic.key, text: review.text, at: reviewAt });
    } else {
      epic.transitions.push({ from: 'Backlog', to: 'In Progress', at: epic.createdAt + DAY });
    }
  }
  for (const epic of epics.slice(8)) {
    if (epic.createdAt + DAY < endDay) epic.transitions.push({ from: 'Backlog', to: 'In Progress', at: epic.createdAt + DAY });
  }

  return {
    map: DEMO_MAP,
    items: [...epics, ...items],
    events: [{ at: policyAt, text: 'WIP limit 3 in Code review', kind: 'policy' }],
    reviews,
  };
}
