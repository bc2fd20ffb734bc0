/**
 * Every migration, in order. Names sort; a later issue adds `0002-....ts`
 * and registers it here as `'0002_...': { up, down }`.
 */
import type { Migration } from 'kysely';
import * as initial from './0001-initial.ts';
import * as backfillCursor from './0002_backfill-cursor.ts';
import * as teamsConversations from './0004-teams-conversations.ts';
import * as nudges from './0005_nudges.ts';
import * as delivery from './0006_delivery.ts';
import * as commandJobs from './0007_command-jobs.ts';
import * as edge from './0008_edge.ts';
import * as outcomeReview from './0012_outcome-review.ts';
import * as streamVersion from './0013_stream-version.ts';
import * as itemFlags from './0014_item-flags.ts';
import * as leases from './0015_leases.ts';
import * as itemLastMove from './0017_item-last-move.ts';
import * as itemLastStatusIndex from './0018_item-last-status-index.ts';

export const migrations: Record<string, Migration> = {
  '0001_initial': { up: initial.up, down: initial.down },
  '0002_backfill_cursor': { up: backfillCursor.up, down: backfillCursor.down },
  '0004_teams_conversations': { up: teamsConversations.up, down: teamsConversations.down },
  '0005_nudges': { up: nudges.up, down: nudges.down },
  '0006_delivery': { up: delivery.up, down: delivery.down },
  '0007_command_jobs': { up: commandJobs.up, down: commandJobs.down },
  '0008_edge': { up: edge.up, down: edge.down },
  '0012_outcome_review': { up: outcomeReview.up, down: outcomeReview.down },
  '0013_stream_version': { up: streamVersion.up, down: streamVersion.down },
  '0014_item_flags': { up: itemFlags.up, down: itemFlags.down },
  '0015_leases': { up: leases.up, down: leases.down },
  '0017_item_last_move': { up: itemLastMove.up, down: itemLastMove.down },
  '0018_item_last_status_index': { up: itemLastStatusIndex.up, down: itemLastStatusIndex.down },
};
