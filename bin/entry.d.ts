/** See entry.js: the CLI entry of the package at root, the built bundle when it is up to date with the sources. */
export function cliEntry(root: string): { built: boolean; path: string };
