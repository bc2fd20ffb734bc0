/**
 * The one shape every tracker adapter normalizes to. The processor turns these
 * into work items and transitions; the core sorts by `at`, never by arrival.
 */
import type { ItemType } from '../core/types.ts';

export type Vendor = 'jira' | 'github' | 'gitlab' | 'linear' | 'azure-devops';
export const VENDORS: readonly Vendor[] = ['jira', 'github', 'gitlab', 'linear', 'azure-devops'];

/** The person asked for an epic's anticipated outcome (never used for metrics). */
export interface ItemOwner {
  email?: string;
  name?: string;
  id?: string;
}

export type TrackerEvent =
  | {
      kind: 'item-created';
      source: Vendor;
      key: string;
      title: string;
      type: ItemType;
      isEpic: boolean;
      parentKey: string | null;
      /** epoch ms of creation */
      at: number;
      /** the status the item was created in, when the payload names it */
      status: string | null;
      owner?: ItemOwner;
      /** the vendor's global id when it differs from `key` (GitHub node id: Projects v2 events name items by it) */
      nodeId?: string;
    }
  | {
      kind: 'status-changed';
      source: Vendor;
      key: string;
      /** null when the vendor does not say (Linear sends only the previous state id) */
      from: string | null;
      to: string;
      /** epoch ms of the change */
      at: number;
      title?: string;
      type?: ItemType;
      isEpic?: boolean;
      parentKey?: string | null;
      /** epoch ms of the item's creation, when the payload carries it (lets a late item be created) */
      createdAt?: number;
      owner?: ItemOwner;
      /** as on item-created; when `key === nodeId` the item is known only by its node id (Projects v2) */
      nodeId?: string;
    }
  | { kind: 'item-closed'; source: Vendor; key: string; at: number; isEpic: boolean }
  /**
   * Flags or labels set or cleared at `at` (Jira's Flagged field, a label added or removed):
   * stored for every label; the map's blockedLabels / blockedWhenFlagged say which mean blocked.
   */
  | {
      kind: 'flags-changed';
      source: Vendor;
      key: string;
      /** epoch ms of the change */
      at: number;
      /** 'flagged' or 'label:<name>', each set (on) or cleared */
      changes: { flag: string; on: boolean }[];
      /**
       * Every label the item has now, when the vendor says only that (Linear names the labels it
       * has, and only the ids of those it had): a label stored as set and missing here was cleared.
       */
      labelsNow?: string[];
      title?: string;
      type?: ItemType;
      isEpic?: boolean;
      parentKey?: string | null;
      /** epoch ms of the item's creation, when the payload carries it (lets a late item be created) */
      createdAt?: number;
      nodeId?: string;
    }
  /**
   * A board column changed but the delivery does not say to what (GitHub
   * Projects v2 payloads without from/to): processing asks the tracker once
   * (github/project-status.ts) and replaces it by a status-changed, or drops it.
   */
  | {
      kind: 'status-lookup';
      source: Vendor;
      /** the content's node id, as on status-changed from Projects v2 */
      key: string;
      nodeId: string;
      /** the project item's node id to look up */
      projectItemId: string;
      /** the field that changed, when the delivery names it */
      fieldNodeId?: string;
      at: number;
    };

/** Where a delivery belongs: matched against a stream's sources in flow-nudge.yaml. */
export interface DeliveryScope {
  /** Jira project key, GitLab project path, Azure DevOps team project */
  project?: string;
  /** GitHub owner/name */
  repo?: string;
  /** Linear team key */
  team?: string;
  /** GitHub organization login, Azure DevOps organization */
  organization?: string;
}

/** What an adapter's parse step says about a verified body. */
export type ParseResult<T> =
  | { kind: 'ok'; payload: T; scope: DeliveryScope }
  /** a well-formed event of a kind flow-nudge does not use: answer 200, store nothing */
  | { kind: 'ignored'; reason: string; scope: DeliveryScope }
  /** malformed or not what the vendor sends: answer 400 with the reason */
  | { kind: 'invalid'; reason: string };

/** A delivery's body exactly as it arrived: verifiers sign these bytes (a string stands for its UTF-8 bytes). */
export type RawBody = string | Buffer;

/** ok: the delivery is signed with the secret; `body` is its JSON when the check had to parse it (Linear's timestamp), so the route parses it once. */
export type VerifyResult = { ok: true; body?: unknown } | { ok: false; reason: string };

/** What a verifier may need of the request besides its headers (Jira Connect's qsh binds method, path and query). */
export interface VerifyRequest {
  method: string;
  url: URL;
}

/** Request headers with lower-case names. */
export type Headers = Record<string, string | undefined>;
