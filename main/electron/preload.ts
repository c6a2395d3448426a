// The sandboxed renderer's only way out: the bridge of bridge.ts, exposed
// through contextBridge. Built as CommonJS (a sandboxed preload cannot be
// an ES module); it bundles nothing but the channel names.

import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_KEY, createBridge } from './bridge';

contextBridge.exposeInMainWorld(BRIDGE_KEY, createBridge(ipcRenderer));
