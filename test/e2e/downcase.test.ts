import { describe, expect, it } from 'vitest';
import { api } from './support.js';

describe('GET /downcase', () => {
  it('answers 200 JSON with the lower-cased input and the original sentence', async () => {
    const response = await api('downcase?param=HeLLo');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.body).toEqual({
      input: 'HeLLo',
      result: 'hello',
      message: 'lower case of HeLLo is hello',
    });
  });

  it('handles any Unicode input', async () => {
    const input = 'ÀÉÎ İSTANBUL ΣΑΣ ẞ 😀 中文';
    const response = await api(`downcase?param=${encodeURIComponent(input)}`);
    expect(response.status).toBe(200);
    expect(response.body.result).toBe(input.toLowerCase());
  });

  it('accepts a param of exactly 4096 characters', async () => {
    const response = await api(`downcase?param=${'Q'.repeat(4096)}`);
    expect(response.status).toBe(200);
    expect(response.body.result).toBe('q'.repeat(4096));
  });

  it.each([
    ['missing', 'downcase', 'is required'],
    ['empty', 'downcase?param=', 'must not be empty'],
    ['longer than 4096 characters', `downcase?param=${'Q'.repeat(4097)}`, 'must be at most 4096 characters'],
  ])('rejects a %s param with 400 naming the field', async (_case, path, message) => {
    const response = await api(path);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: 'ValidationError',
      fields: [{ field: 'query.param', message }],
    });
  });
});
