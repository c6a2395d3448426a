// Writes docs/config.md, the run configuration's reference, from its two
// homes: the schema (native-worker/config.ts: types, ranges, defaults) and
// the documentation comments on the config's types (common/run-config.ts).
// `node --import tsx scripts/config-reference.ts`; test/common/config-reference.test.ts
// fails while the file is stale or a field has no description.

import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { z } from 'zod';
import { runConfigSchema } from '../native-worker/config';

type Json = { [key: string]: unknown };

/** A config field's description, keyed 'training.lr', a variant as 'task[csv]', its fields as 'task[csv].T'. */
export type FieldDocs = Map<string, string>;

/** The documentation comment of every field of RunConfig, read with the TypeScript checker. */
export function fieldDocs(): FieldDocs {
  const file = fileURLToPath(new URL('../common/run-config.ts', import.meta.url));
  const program = ts.createProgram([file], { strict: true, noEmit: true, types: [], lib: ['lib.es2020.d.ts'] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const root = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'RunConfig')!;
  const docs: FieldDocs = new Map();
  const text = (symbol: ts.Symbol) => ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim();

  const walk = (type: ts.Type, prefix: string) => {
    for (const prop of checker.getPropertiesOfType(type)) {
      const path = prefix ? `${prefix}.${prop.name}` : prop.name;
      docs.set(path, text(prop));
      const value = checker.getNonNullableType(checker.getTypeOfSymbol(prop));
      const variants = value.isUnion() ? value.types.filter((t) => t.getProperty('kind')) : [];
      if (variants.length > 0) {
        for (const variant of variants) {
          const kind = variant.getProperty('kind')!;
          const name = (checker.getTypeOfSymbol(kind) as ts.StringLiteralType).value;
          docs.set(`${path}[${name}]`, text(kind));
          walk(checker.getApparentType(variant), `${path}[${name}]`);
          docs.delete(`${path}[${name}].kind`);
        }
      } else if (value.flags & ts.TypeFlags.Object) walk(value, path);
    }
  };
  walk(checker.getTypeAtLocation(root), '');
  return docs;
}

const isObject = (s: Json) => s.type === 'object' && typeof s.properties === 'object';
const variantsOf = (s: Json): Json[] | null => {
  const options = (s.oneOf ?? s.anyOf) as Json[] | undefined;
  return options?.every((o) => isObject(o) && (o.properties as Json).kind) ? options : null;
};
const kindOf = (variant: Json) => ((variant.properties as Json).kind as Json).const as string;
const code = (v: unknown) => `\`${JSON.stringify(v)}\``;

/** "integer 1 … 256", "number > 0, ≤ 1000", "`"tanh"` | `"relu"`", "… or null". */
function typeText(s: Json): string {
  const options = s.anyOf as Json[] | undefined;
  if (options) {
    const nonNull = options.filter((o) => o.type !== 'null');
    return `${nonNull.map(typeText).join(' | ')}${nonNull.length < options.length ? ' or `null`' : ''}`;
  }
  if (Array.isArray(s.enum)) return s.enum.map(code).join(' \\| ');
  if (s.type === 'string') return 'text';
  if (s.type === 'boolean') return 'true or false';
  const bounds: string[] = [];
  if (s.minimum !== undefined && s.maximum !== undefined && s.type === 'integer') {
    return `integer ${s.minimum} … ${(s.maximum as number) >= Number.MAX_SAFE_INTEGER ? '2⁵³ − 1' : s.maximum}`;
  }
  if (s.exclusiveMinimum !== undefined) bounds.push(`> ${s.exclusiveMinimum}`);
  if (s.minimum !== undefined) bounds.push(`≥ ${s.minimum}`);
  if (s.exclusiveMaximum !== undefined) bounds.push(`< ${s.exclusiveMaximum}`);
  if (s.maximum !== undefined) bounds.push(`≤ ${s.maximum}`);
  return `${s.type}${bounds.length ? ` ${bounds.join(', ')}` : ''}`;
}

interface Section {
  title: string;
  intro: string;
  /** A variant's table has a first column, the kind. */
  kinds: boolean;
  rows: string[];
}

/** docs/config.md's text; throws naming every field without a description. */
export function configReference(docs: FieldDocs = fieldDocs()): string {
  const schema = z.toJSONSchema(runConfigSchema, { io: 'input', unrepresentable: 'any' }) as Json;
  const sections: Section[] = [];
  const missing: string[] = [];
  const describe = (key: string) => {
    const d = docs.get(key);
    if (!d) missing.push(key);
    return d ?? '';
  };

  const table = (s: Json, docPrefix: string, pathPrefix: string, section: Section) => {
    for (const [name, field] of Object.entries(s.properties as Record<string, Json>)) {
      if (name === 'kind' && field.const !== undefined) continue;
      const key = docPrefix ? `${docPrefix}.${name}` : name;
      const path = pathPrefix ? `${pathPrefix}.${name}` : name;
      const variants = variantsOf(field);
      if (variants) {
        const fallback = (field.default as Json | undefined)?.kind ?? kindOf(variants[0]);
        const sub: Section = { title: `\`${path}\``, intro: `${describe(key)} Chosen by \`${path}.kind\`.`, kinds: true, rows: [] };
        sections.push(sub);
        for (const v of variants) {
          const kind = kindOf(v);
          sub.rows.push(`| ${code(kind)}${kind === fallback ? ' (default)' : ''} | | | | ${describe(`${key}[${kind}]`)} |`);
          table(v, `${key}[${kind}]`, path, sub);
        }
      } else if (isObject(field)) {
        const sub: Section = { title: `\`${path}\``, intro: describe(key), kinds: false, rows: [] };
        sections.push(sub);
        table(field, key, path, sub);
      } else {
        const def = 'default' in field ? code(field.default) : '(required)';
        section.rows.push(`|${section.kinds ? ' |' : ''} \`${path}\` | ${typeText(field)} | ${def} | ${describe(key)} |`);
      }
    }
  };
  const top: Section = { title: 'Top level', intro: '', kinds: false, rows: [] };
  sections.push(top);
  table(schema, '', '', top);
  if (missing.length) throw new Error(`config fields without a description in common/run-config.ts: ${missing.join(', ')}`);

  const body = sections
    .filter((s) => s.rows.length > 0)
    .map((s) => {
      const head = s.kinds
        ? ['| kind | field | values | default | meaning |', '|---|---|---|---|---|']
        : ['| field | values | default | meaning |', '|---|---|---|---|'];
      return [`## ${s.title}`, '', ...(s.intro ? [s.intro, ''] : []), ...head, ...s.rows].join('\n');
    })
    .join('\n\n');
  return `# Run configuration reference

<!-- generated by scripts/config-reference.ts from the schema and common/run-config.ts: do not edit -->

A run is made from one JSON object: \`rnn-workbench train --config FILE\`
reads it, the app's New run form writes it, a sweep spec's \`base\` is one.
Every field may be left out and takes its default; a variant (\`task\`,
\`method\`, \`loss\`, \`training.optimizer\`, \`training.schedule\`) is chosen
by its \`kind\`, and only that variant's fields are allowed. An unknown field
or a value out of range is refused with a message naming the field, such
as \`training.lr: must be greater than 0\`. Copy and text default to the
\`xent\` loss, the other tasks to \`mse\`.

\`\`\`json
${JSON.stringify({ task: { kind: 'sine', T: 50 }, method: { kind: 'rtrl' }, model: { hidden: 16 }, training: { steps: 2000, lr: 0.003 } }, null, 2)}
\`\`\`

${body}
`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeFileSync(fileURLToPath(new URL('../docs/config.md', import.meta.url)), configReference());
}
