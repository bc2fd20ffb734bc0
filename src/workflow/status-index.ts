/**
 * The workflow layer's names for core's status → stage lookup (src/core/stage-lookup.ts), which
 * is the one implementation: a status matches exactly, then trimmed and case-insensitively;
 * anything else is unknown and reported, never guessed.
 */
export { getStageLookup as createStatusIndex, normalizeStatus, type StageLookup as StatusIndex, type StageOfStatus } from '../core/stage-lookup.ts';
