// What each run status allows, in one place for the controls and the table.

import { ACTIVE_STATUSES, ENDED_STATUSES, type RunStatus } from '../common/statuses';

export const isEnded = (s: RunStatus) => ENDED_STATUSES.includes(s);
export const isTraining = (s: RunStatus) => s === 'running' || s === 'paused';
export const canStop = (s: RunStatus) => ACTIVE_STATUSES.includes(s);
