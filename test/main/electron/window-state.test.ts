import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, parseWindowState, placeWindow, readWindowState, writeWindowState } from '../../../main/electron/window-state';

const screen = { x: 0, y: 0, width: 1920, height: 1050 };

describe('window state file', () => {
  it('accepts a valid state', () => {
    expect(parseWindowState('{"x":10,"y":20,"width":1200,"height":800,"maximized":true}')).toEqual({
      state: { x: 10, y: 20, width: 1200, height: 800, maximized: true },
    });
    expect(parseWindowState('{"width":1200,"height":800,"maximized":false}')).toEqual({
      state: { width: 1200, height: 800, maximized: false },
    });
  });

  it('refuses anything else, naming the field', () => {
    expect(parseWindowState('{"x":10')).toMatchObject({ error: expect.stringMatching(/^not JSON/) });
    expect(parseWindowState('[]')).toMatchObject({ error: expect.any(String) });
    expect(parseWindowState('{"width":"1200","height":800,"maximized":false}')).toMatchObject({ error: expect.stringMatching(/^width:/) });
    expect(parseWindowState('{"width":100,"height":800,"maximized":false}')).toMatchObject({ error: expect.stringMatching(/^width:/) });
    expect(parseWindowState('{"width":1200,"height":1e9,"maximized":false}')).toMatchObject({ error: expect.stringMatching(/^height:/) });
    expect(parseWindowState('{"width":1200.5,"height":800,"maximized":false}')).toMatchObject({ error: expect.stringMatching(/^width:/) });
    expect(parseWindowState('{"width":1200,"height":800}')).toMatchObject({ error: expect.stringMatching(/^maximized:/) });
    expect(parseWindowState('{"x":5,"width":1200,"height":800,"maximized":false}')).toMatchObject({
      error: expect.stringMatching(/x and y go together/),
    });
    expect(parseWindowState('{"width":1200,"height":800,"maximized":false,"zoom":2}')).toMatchObject({ error: expect.any(String) });
  });

  it('reads the default, with a warning, from a missing or damaged file, and round-trips what it writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-window-'));
    const file = join(dir, 'window-state.json');
    const warnings: string[] = [];
    expect(readWindowState(file, (m) => warnings.push(m))).toEqual(DEFAULT_STATE);
    expect(warnings).toEqual([]);
    writeFileSync(file, '{"width": -3}');
    expect(readWindowState(file, (m) => warnings.push(m))).toEqual(DEFAULT_STATE);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(file);
    const state = { x: 40, y: 30, width: 1000, height: 700, maximized: false };
    writeWindowState(file, state);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(state);
    expect(readWindowState(file, (m) => warnings.push(m))).toEqual(state);
    expect(warnings).toHaveLength(1);
  });
});

describe('placing the window', () => {
  it('keeps a position that is on a screen', () => {
    const s = { x: 100, y: 50, width: 1200, height: 800, maximized: false };
    expect(placeWindow(s, [screen])).toEqual(s);
    const second = { x: 1920, y: 0, width: 1280, height: 1000 };
    expect(placeWindow({ ...s, x: 2000 }, [screen, second])).toEqual({ ...s, x: 2000 });
  });

  it('drops a position no screen shows (a monitor unplugged), so the OS centres the window', () => {
    expect(placeWindow({ x: 2000, y: 50, width: 1200, height: 800, maximized: true }, [screen])).toEqual({
      width: 1200,
      height: 800,
      maximized: true,
    });
    // Only a sliver left on screen counts as off screen.
    expect(placeWindow({ x: 1900, y: 50, width: 1200, height: 800, maximized: false }, [screen])).toEqual({
      width: 1200,
      height: 800,
      maximized: false,
    });
  });

  it('shrinks a window larger than its screen', () => {
    expect(placeWindow({ x: 0, y: 0, width: 4000, height: 3000, maximized: false }, [screen])).toEqual({
      x: 0,
      y: 0,
      width: 1920,
      height: 1050,
      maximized: false,
    });
    expect(placeWindow({ width: 4000, height: 3000, maximized: false }, [{ x: 0, y: 0, width: 1280, height: 720 }])).toEqual({
      width: 1280,
      height: 720,
      maximized: false,
    });
  });
});
