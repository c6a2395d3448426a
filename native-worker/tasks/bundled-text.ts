// What the sizes of a text task on the bundled sonnets (sonnets.ts) need to
// know of them, without the text: the main process checks such configs
// from these counts alone. A test scans the text and holds them to it.

export const BUNDLED_TEXT = {
  /** Characters (code points). */
  length: 9396,
  /** Distinct characters. */
  vocabulary: 59,
} as const;
