import { describe, expect, it } from 'vitest';
import { readEnv } from '../../../functions/shared/env.js';

describe('readEnv', () => {
  it('returns the named variables', () => {
    expect(readEnv(['A', 'B'], { A: '1', B: '2', C: '3' })).toEqual({ A: '1', B: '2' });
  });

  it('names every missing or empty variable', () => {
    expect(() => readEnv(['A', 'B', 'C'], { A: '1', B: '' })).toThrow(
      'Missing required environment variable(s): B, C',
    );
  });

  it('reads variables under keys of its own, naming every missing one by its variable', () => {
    expect(readEnv({ queue: 'Q_URL', topic: 'T_ARN' }, { Q_URL: 'q', T_ARN: 't' })).toEqual({
      queue: 'q',
      topic: 't',
    });
    expect(() => readEnv({ queue: 'Q_URL', topic: 'T_ARN' }, { Q_URL: 'q' })).toThrow(
      'Missing required environment variable(s): T_ARN',
    );
  });
});
