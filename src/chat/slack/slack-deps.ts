import type { Store } from '../../store/database.ts';
import type { ChartRenderer } from '../../charts/index.ts';
import type { CommandQueue } from './command-queue.ts';
import type { SlackCommandJobs } from './command-jobs.ts';

/** A logger with only what the Slack app uses. */
export interface SlackLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What every Slack listener gets: the store, the clock and the log. Wired once in mountSlack. */
export interface SlackDeps {
  store: Store;
  /** the program's chart renderer: the charts of command answers */
  charts: ChartRenderer;
  /** epoch ms */
  clock: () => number;
  log: SlackLog;
  /** where the work behind acknowledged commands waits its turn */
  queue: CommandQueue;
  /** slash-command work, stored before "Working on…" and run by any replica */
  jobs: SlackCommandJobs;
}
