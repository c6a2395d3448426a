// Writes docs/cli.md, the CLI reference, from the commands table:
// `node --import tsx scripts/cli-reference.ts` (test/main/cli/reference.test.ts
// fails while the file and the table differ).

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../main/cli/commands';
import { cliReference } from '../main/cli/help';

writeFileSync(fileURLToPath(new URL('../docs/cli.md', import.meta.url)), cliReference(COMMANDS));
