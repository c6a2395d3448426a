// The contract's channel and event names as runtime lists, for code that
// must enumerate them without pulling in the handlers (and zod): the
// preload builds one bridge method per name. Each list is checked against
// its contract type at compile time, so a channel added to the contract
// and forgotten here does not compile.

import type { ApiChannel, ApiEvent, TransferCalls } from '../../common/contract';

export type TransferChannel = keyof TransferCalls;

/**
 * Returns its argument unchanged, but only compiles when the list names
 * every member of T (an omission is reported as `missing: '<name>'`).
 */
function everyOf<T extends string>() {
  return <const L extends readonly T[]>(
    list: L & ([Exclude<T, L[number]>] extends [never] ? unknown : { missing: Exclude<T, L[number]> }),
  ): L => list;
}

export const API_CHANNELS = everyOf<Exclude<ApiChannel, TransferChannel>>()([
  'app:info',
  'config:defaults',
  'config:check',
  'config:time',
  'runs:list',
  'runs:get',
  'runs:params',
  'runs:create',
  'runs:start',
  'runs:pause',
  'runs:resume',
  'runs:stop',
  'runs:snapshot',
  'runs:set-lr',
  'runs:update',
  'runs:delete',
  'runs:fork',
  'metrics:series',
  'metrics:series-names',
  'metrics:steps',
  'metrics:eval-steps',
  'metrics:eval',
  'snapshots:list',
  'snapshots:get',
  'gradcheck:run',
  'gradcheck:list',
  'lab:inspect',
  'lab:referee',
  'lab:referees',
  'lab:replay',
  'lab:cancel',
  'sweeps:list',
  'sweeps:get',
  'sweeps:check',
  'sweeps:create',
  'sweeps:start',
  'sweeps:stop',
  'sweeps:delete',
  'lab:sample',
]);

export const TRANSFER_CHANNELS = everyOf<TransferChannel>()([
  'export:weights',
  'export:metrics',
  'export:archive',
  'export:save',
  'import:weights',
  'import:archive',
  'import:inspect',
  'predict:csv',
]);

export const API_EVENTS = everyOf<ApiEvent>()(['runs:changed', 'runs:deleted', 'runs:progress']);
