export function boom(): never {
  throw new Error('boom from src.ts line 2');
}
