/**
 * The Kysely `Database` interface: one entry per table created by the
 * migrations in `./migrations/`. Times are epoch milliseconds (`bigint`
 * columns, read back as numbers on both dialects); booleans are integers 0/1.
 */
import type { ColumnType, Generated } from 'kysely';

/** A column the database fills when it is left out of an insert. */
type WithDefault<T> = ColumnType<T, T | undefined, T>;

export interface ValueStreamTable {
  id: Generated<number>;
  name: string;
  /** the StreamMap as JSON */
  map_json: string;
  created_at: number;
  /** goes up by one with every write to the stream's history (src/store/stream-version.ts) */
  version: Generated<number>;
}

export interface WorkItemTable {
  id: Generated<number>;
  stream_id: number;
  /** where the item came from: 'import', 'jira', 'github', ... */
  source: string;
  /** the tracker's key, e.g. CHK-12 */
  key: string;
  /** feature | defect | risk | debt */
  type: string;
  title: string;
  parent_key: string | null;
  /** 0 or 1 */
  is_epic: number;
  created_at: number;
  /** email or chat user ref of the person asked for the anticipated outcome */
  outcome_owner: string | null;
  anticipated_outcome: string | null;
  actual_outcome: string | null;
  /** when the actual outcome was recorded (migration 0012) */
  actual_outcome_at: number | null;
  /** the parent OKR / key result the anticipated outcome serves (migration 0012) */
  key_result: string | null;
  closed_at: number | null;
  updated_at: number;
  /** the time of the item's latest transition; null without transitions (migration 0017) */
  last_moved_at: number | null;
  /** the status that latest transition led to; null when moves at that instant disagree (migration 0017) */
  last_status: string | null;
}

export interface TransitionTable {
  id: Generated<number>;
  item_id: number;
  /** '' means "no previous status" (never NULL, so the unique index sees duplicates) */
  from_status: string;
  to_status: string;
  at: number;
  source: string;
}

/** A flag or label set on or cleared from a work item (0014), see src/core/blocked-spans.ts */
export interface ItemFlagTable {
  item_id: number;
  at: number;
  /** 'flagged' (Jira's Flagged field) or 'label:<name>' */
  flag: string;
  /** 1: set, 0: cleared */
  is_set: number;
  source: string;
}

export type WebhookDeliveryState = 'pending' | 'done' | 'ignored' | 'failed';

export interface WebhookDeliveryTable {
  id: Generated<number>;
  source: string;
  delivery_id: string;
  received_at: number;
  headers_json: string;
  raw_body: string;
  state: WithDefault<WebhookDeliveryState>;
  attempts: WithDefault<number>;
  error: string | null;
  processed_at: number | null;
  /** failed for a passing reason: due again at this time; null on a failed row: failed for good (a person retries it) */
  retry_at: number | null;
}

export interface FlowEventTable {
  id: Generated<number>;
  stream_id: number;
  at: number;
  text: string;
  kind: WithDefault<string>;
  created_at: number;
}

export type ExperimentState = 'open' | 'ended';

export interface ExperimentTable {
  id: Generated<number>;
  stream_id: number;
  policy: string;
  owner_role: string | null;
  measure: string | null;
  started_at: number;
  /** YYYY-MM-DD */
  review_on: string | null;
  state: ExperimentState;
  ended_at: number | null;
  event_id: number | null;
}

export interface NudgeSentTable {
  id: Generated<number>;
  kind: string;
  dedup_key: string;
  sent_at: number;
  /** when a nudge last found the key still relevant (0006); null: never since it was sent */
  seen_at: WithDefault<number | null>;
}

export interface JobRunTable {
  id: Generated<number>;
  job: string;
  period_key: string;
  claimed_by: string;
  claimed_at: number;
}

export interface InstallationTable {
  id: Generated<number>;
  platform: string;
  team_id: string;
  enterprise_id: string | null;
  data_encrypted: string;
  installed_at: number;
}

export interface ChannelBindingTable {
  id: Generated<number>;
  platform: string;
  channel_id: string;
  team_id: string | null;
  stream_id: number;
  timezone: string | null;
  checkin_day: string | null;
  checkin_time: string | null;
  created_at: number;
}

export interface OutboxTable {
  id: Generated<number>;
  kind: string;
  platform: string;
  target: string;
  payload_json: string;
  dedup_key: string;
  state: WithDefault<string>;
  attempts: WithDefault<number>;
  next_attempt_at: number;
  created_at: number;
  sent_at: number | null;
  error: string | null;
  /** the holder of a `sending` row (0006) */
  lease_token: WithDefault<string | null>;
  /** JSON of the finished steps of the delivery (0006), see src/store/outbox.ts */
  progress_json: WithDefault<string | null>;
}

/** Slash-command work promised with "Working on…" (0007), see src/store/command-jobs.ts */
export interface CommandJobTable {
  id: Generated<number>;
  platform: string;
  payload_json: string;
  /** pending · running (leased) · done · failed */
  state: WithDefault<string>;
  attempts: WithDefault<number>;
  lease_token: WithDefault<string | null>;
  lease_until: WithDefault<number>;
  created_at: number;
  finished_at: WithDefault<number | null>;
  error: WithDefault<string | null>;
}

export interface Database {
  value_stream: ValueStreamTable;
  work_item: WorkItemTable;
  transition: TransitionTable;
  item_flag: ItemFlagTable;
  webhook_delivery: WebhookDeliveryTable;
  flow_event: FlowEventTable;
  experiment: ExperimentTable;
  nudge_sent: NudgeSentTable;
  job_run: JobRunTable;
  installation: InstallationTable;
  channel_binding: ChannelBindingTable;
  outbox: OutboxTable;
  command_job: CommandJobTable;
}
