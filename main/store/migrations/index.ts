// Every migration, oldest first. Append new ones (002-…, 003-…); never edit
// or reorder a migration that has shipped.

import type { Migration } from '../migrate';
import { migration001 } from './001-initial';
import { migration002 } from './002-run-owners';
import { migration003 } from './003-datasets';
import { migration004 } from './004-health';
import { migration005 } from './005-sweeps';
import { migration009 } from './009-sweep-owners';

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration009];

/** The schema version this build writes. */
export const LATEST_VERSION = MIGRATIONS.length;

/** Tables a database at LATEST_VERSION must have; their absence means damage. */
export const REQUIRED_TABLES = [
  'runs',
  'metric_chunks',
  'evals',
  'snapshots',
  'snapshot_matrices',
  'snapshot_optimizer_buffers',
  'grad_checks',
  'run_owners',
  'datasets',
  'sweeps',
  'sweep_trials',
  'sweep_rungs',
  'sweep_owners',
] as const;
