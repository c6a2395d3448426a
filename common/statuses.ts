// The run statuses, written once for every process: the store's checks, the
// API's schemas, the manager, the CLI and the renderer all derive from these
// lists. Migration 001's CHECK keeps its own literal copy (migrations are
// frozen); a test holds the two equal.

export const RUN_STATUSES = [
  'created',
  'queued',
  'running',
  'paused',
  'completed',
  'stopped',
  'crashed',
  'interrupted',
  'diverged',
  'failed',
] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];

/** Statuses of a run some process is (or was, before it died) working on. */
export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running', 'paused'];

/** Statuses after which a run does no more work until it is resumed; reaching one sets finishedAt. */
export const ENDED_STATUSES: readonly RunStatus[] = ['completed', 'stopped', 'crashed', 'interrupted', 'diverged', 'failed'];
