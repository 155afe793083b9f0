import { describe, expect, it } from 'vitest';
import { apiDocument } from '../../../functions/docs/document.js';

describe('GET /health in the API document', () => {
  const operation = (apiDocument().paths as Record<string, Record<string, any>>)['/health']?.get;

  it('is open to anyone, with a bearer token as an option', () => {
    expect(operation.security).toEqual([{}, { bearer: [] }]);
    expect(operation.summary).toMatch(/Anyone may call; a bearer token, when sent, must be valid/);
  });

  it('documents 200 and 503 with the same body, and 401 for an invalid token', () => {
    expect(Object.keys(operation.responses)).toEqual(['200', '401', '429', '500', '503']);
    expect(operation.responses['503'].content).toEqual(operation.responses['200'].content);
    const body = operation.responses['200'].content['application/json'].schema;
    expect(body.required).toEqual(['status', 'checkedAt', 'services']);
    expect(body.properties.services.items.required).toEqual(['name', 'status']);
  });
});
