// The API's argument schemas are held to the contract at compile time:
// handlers.ts and transfer/handlers.ts type every channel's schema as an
// ArgsSchema of that channel, so one that drifts from ApiCalls fails the
// typecheck (the @ts-expect-error lines below are that check).

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHandlers, invoke, type ArgsSchema } from '../../../main/api/handlers';

describe('argument schemas', () => {
  it("must output the contract's arguments", () => {
    const same: ArgsSchema<'runs:resume'> = z.strictObject({ id: z.number(), steps: z.number().nullable() });
    // @ts-expect-error id is a number in the contract
    const retyped: ArgsSchema<'runs:get'> = z.strictObject({ id: z.string() });
    // @ts-expect-error the contract's runs:resume also takes steps
    const missing: ArgsSchema<'runs:resume'> = z.strictObject({ id: z.number() });
    // @ts-expect-error import:archive's data is the file's bytes
    const bytes: ArgsSchema<'import:archive'> = z.strictObject({ fileName: z.string(), data: z.string() });
    expect([same, retyped, missing, bytes].every((s) => s instanceof z.ZodType)).toBe(true);
  });

  it('check the arguments before any handler runs', async () => {
    const handlers = createHandlers({} as Parameters<typeof createHandlers>[0]);
    expect(await invoke(handlers, 'runs:get', { id: '1' })).toEqual({
      ok: false,
      error: { code: 'invalid-argument', message: expect.stringMatching(/^runs:get: id: /) },
    });
    expect(await invoke(handlers, 'runs:nope', null)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  });
});
