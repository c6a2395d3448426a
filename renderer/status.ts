// What each run status allows, in one place for the controls and the table.

import type { RunStatus } from '../main/contract';

export const ENDED: readonly RunStatus[] = ['completed', 'stopped', 'crashed', 'interrupted', 'diverged', 'failed'];

export const isEnded = (s: RunStatus) => ENDED.includes(s);
export const isTraining = (s: RunStatus) => s === 'running' || s === 'paused';
export const canStop = (s: RunStatus) => s === 'running' || s === 'paused' || s === 'queued';
