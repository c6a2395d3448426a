// ConfigPath, the dotted paths of RunConfig that config issues and the
// form's fields are typed with: every field of every variant and the
// objects holding them, and nothing else (checked by the typecheck).

import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ConfigIssue, ConfigPath } from '../../common/contract';
import { ConfigError, parseConfig } from '../../native-worker/config';

describe('ConfigPath', () => {
  it('names every field of every variant, and the objects that hold them', () => {
    expectTypeOf<'seed' | 'model' | 'model.hidden' | 'task.csv' | 'task.delay' | 'method.k'>().toExtend<ConfigPath>();
    expectTypeOf<'training.optimizer.beta1' | 'training.schedule.minLr' | 'loss.scale'>().toExtend<ConfigPath>();
  });

  it('names nothing else', () => {
    // @ts-expect-error a misspelt field
    const typo: ConfigPath = 'model.hiden';
    // @ts-expect-error a field no variant of the optimizer has
    const stray: ConfigIssue = { path: 'training.optimizer.gamma', message: 'must be at most 1' };
    expect([typo, stray.path]).toHaveLength(2);
  });

  it("is what the schema's issues name", () => {
    let issues: ConfigIssue[] = [];
    try {
      parseConfig({ x: 1, training: { schedule: { kind: 'cosine', period: 0 } } });
    } catch (e) {
      if (e instanceof ConfigError) issues = e.issues;
    }
    expect(issues.map((i) => i.path)).toEqual(['training.schedule.period', 'config']);
  });
});
