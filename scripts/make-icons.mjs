#!/usr/bin/env node
// Draws the app icon (an original design: a recurrent loop around a hidden
// unit, over a sine wave) and writes it as PNG files for electron-builder:
//   build/icon.png           1024×1024 (macOS makes its .icns from it, Windows its .ico)
//   build/icons/NxN.png      the sizes Linux desktop entries use
// Pure Node: shapes are signed distance functions, each pixel averages a
// 4×4 grid of samples, and the PNG is written with zlib. Deterministic, so
// running it again gives the same files.
//
// Usage: node scripts/make-icons.mjs

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');

const NAVY_TOP = [30, 42, 74];
const NAVY_BOTTOM = [43, 63, 115];
const TEAL = [79, 209, 197];
const AMBER = [246, 173, 85];
const WHITE = [245, 247, 250];

const clamp01 = (v) => Math.min(1, Math.max(0, v));

function roundedSquare(x, y, half, r) {
  const qx = Math.abs(x - 0.5) - half + r;
  const qy = Math.abs(y - 0.5) - half + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** The loop: a ring around (0.5, 0.42) with a gap at the upper right, where an arrowhead closes it. */
const LOOP = { cx: 0.5, cy: 0.42, r: 0.22, w: 0.055, gapFrom: -1.6, gapTo: -0.5 };

function loop(x, y) {
  const dx = x - LOOP.cx;
  const dy = y - LOOP.cy;
  const a = Math.atan2(dy, dx);
  const ring = Math.abs(Math.hypot(dx, dy) - LOOP.r) - LOOP.w / 2;
  if (a > LOOP.gapFrom && a < LOOP.gapTo) {
    // Inside the gap only the round caps of the ring's two ends count.
    const cap = (t) => Math.hypot(x - (LOOP.cx + LOOP.r * Math.cos(t)), y - (LOOP.cy + LOOP.r * Math.sin(t))) - LOOP.w / 2;
    return Math.min(cap(LOOP.gapFrom), cap(LOOP.gapTo));
  }
  return ring;
}

/** A triangle at the ring's end (angle gapFrom), pointing on along the ring into the gap. */
function arrow(x, y) {
  const t = LOOP.gapFrom;
  const px = LOOP.cx + LOOP.r * Math.cos(t);
  const py = LOOP.cy + LOOP.r * Math.sin(t);
  const fx = -Math.sin(t);
  const fy = Math.cos(t); // the tangent towards increasing angle, the ring's direction of travel
  const nx = -fy;
  const ny = fx;
  const u = (x - px) * fx + (y - py) * fy; // along the arrow
  const v = (x - px) * nx + (y - py) * ny; // across it
  const len = 0.12;
  const half = 0.08;
  // Inside when 0 ≤ u ≤ len and |v| ≤ half·(1 − u/len).
  return Math.max(-u, u - len, Math.abs(v) - half * (1 - u / len));
}

function node(x, y) {
  return Math.hypot(x - LOOP.cx, y - LOOP.cy) - 0.075;
}

/**
 * A wave of one and a half periods across the lower part, drawn as a thick
 * curve (vertical distance corrected by the slope). It starts and ends on a
 * crest, where the slope is zero, so the round caps meet the stroke cleanly.
 */
function wave(x, y) {
  if (x < 0.2 || x > 0.8) return Math.min(Math.hypot(x - 0.2, y - waveY(0.2)), Math.hypot(x - 0.8, y - waveY(0.8))) - 0.02;
  const slope = ((0.05 * 2 * Math.PI * 1.5) / 0.6) * Math.sin(((x - 0.2) / 0.6) * 2 * Math.PI * 1.5);
  return Math.abs(y - waveY(x)) / Math.sqrt(1 + slope * slope) - 0.02;
}

function waveY(x) {
  return 0.78 - 0.05 * Math.cos(((x - 0.2) / 0.6) * 2 * Math.PI * 1.5);
}

/** Colour and coverage of one sample point; later layers paint over earlier ones. */
function sample(x, y) {
  if (roundedSquare(x, y, 0.46, 0.1) > 0) return null;
  const g = clamp01((y - 0.04) / 0.92);
  let c = NAVY_TOP.map((v, i) => v + (NAVY_BOTTOM[i] - v) * g);
  if (wave(x, y) <= 0) c = AMBER;
  if (loop(x, y) <= 0 || arrow(x, y) <= 0) c = TEAL;
  if (node(x, y) <= 0) c = WHITE;
  return c;
}

function render(size) {
  const n = 4;
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        cover = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = sample((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (c === null) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          cover++;
        }
      }
      const o = (py * size + px) * 4;
      if (cover > 0) {
        rgba[o] = Math.round(r / cover);
        rgba[o + 1] = Math.round(g / cover);
        rgba[o + 2] = Math.round(b / cover);
      }
      rgba[o + 3] = Math.round((255 * cover) / (n * n));
    }
  }
  return rgba;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGBA PNG, every scanline with filter 0. */
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

mkdirSync(join(buildDir, 'icons'), { recursive: true });
writeFileSync(join(buildDir, 'icon.png'), png(1024, render(1024)));
for (const size of [512, 256, 128, 64, 32, 16]) {
  writeFileSync(join(buildDir, 'icons', `${size}x${size}.png`), png(size, render(size)));
}
console.log(`icons written to ${buildDir}`);
