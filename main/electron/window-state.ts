// The main window's remembered size and position, kept in a small JSON file
// in the app's data folder. The file comes from disk, so it is validated:
// anything malformed is ignored (the window opens at its default size), and
// a position that no longer lies on any screen (a monitor unplugged) is
// dropped so the window never opens out of sight.

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Position of the window's top-left corner; absent: centred by the OS. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_STATE: WindowState = { width: 1280, height: 820, maximized: false };
export const MIN_SIZE = { width: 800, height: 560 };
/** How much of the window must lie on a screen for its position to be kept. */
const VISIBLE_PX = 80;

const coordinate = z.number().int().min(-100_000).max(100_000);
const schema = z
  .strictObject({
    x: coordinate.optional(),
    y: coordinate.optional(),
    width: z.number().int().min(MIN_SIZE.width).max(100_000),
    height: z.number().int().min(MIN_SIZE.height).max(100_000),
    maximized: z.boolean(),
  })
  .refine((s) => (s.x === undefined) === (s.y === undefined), { message: 'x and y go together' });

/** The state in `text`, or null with the reason when it is not a valid state file. */
export function parseWindowState(text: string): { state: WindowState } | { error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { error: `not JSON: ${(e as Error).message}` };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `${issue.path.join('.') || 'state'}: ${issue.message}` };
  }
  return { state: parsed.data };
}

/**
 * The state to open with on these screens (their work areas): the size is
 * shrunk to fit the screen it will open on, and the position kept only
 * while enough of the window stays visible on some screen.
 */
export function placeWindow(state: WindowState, screens: readonly Rect[]): WindowState {
  const onScreen =
    state.x !== undefined && state.y !== undefined
      ? screens.find((s) => overlap(s, { x: state.x!, y: state.y!, width: state.width, height: state.height }))
      : undefined;
  const screen = onScreen ?? screens[0];
  const width = screen ? Math.min(state.width, screen.width) : state.width;
  const height = screen ? Math.min(state.height, screen.height) : state.height;
  if (!onScreen) return { width, height, maximized: state.maximized };
  return { x: state.x, y: state.y, width, height, maximized: state.maximized };
}

function overlap(a: Rect, b: Rect): boolean {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w >= VISIBLE_PX && h >= VISIBLE_PX;
}

/** The saved state, or the default when there is none or it is invalid (reported through `warn`). */
export function readWindowState(file: string, warn: (message: string) => void): WindowState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') warn(`cannot read ${file}: ${(e as Error).message}`);
    return DEFAULT_STATE;
  }
  const parsed = parseWindowState(text);
  if ('error' in parsed) {
    warn(`ignoring ${file}: ${parsed.error}`);
    return DEFAULT_STATE;
  }
  return parsed.state;
}

/** Written to a temporary file and renamed over the old one, so a crash never leaves half a file. */
export function writeWindowState(file: string, state: WindowState): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(state) + '\n');
  renameSync(tmp, file);
}
