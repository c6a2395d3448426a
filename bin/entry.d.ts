/** See entry.js: the CLI entry of the package at root, its build when it is up to date with the sources (and `--version`'s entry beside it). */
export function cliEntry(root: string): { built: true; path: string; version: string } | { built: false; path: string };
