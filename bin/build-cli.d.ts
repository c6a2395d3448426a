/** See build-cli.js: bundles the CLI, its worker and `--version`'s entry into out/cli/ of the package at root. */
export function buildCli(root: string): Promise<void>;
