/**
 * Which function bundles there are: one per function declared by a service
 * (functions/services.ts), named by its key in the declaration.
 */
import { declaredFunctions } from '../../functions/services.js';
import type { FunctionDeclaration } from '../../functions/shared/service.js';

/** Every declared function, by bundle name. */
export const FUNCTION_DECLARATIONS: Readonly<Record<string, FunctionDeclaration>> = declaredFunctions();

/** Handler files, relative to `functions/`, each exporting `handler`: every declared service's functions. */
export const FUNCTION_ENTRIES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(FUNCTION_DECLARATIONS).map(([bundle, fn]) => [bundle, fn.entry]),
);

export type FunctionBundle = keyof typeof FUNCTION_ENTRIES;

/** Template metadata key naming the bundle a function runs (`npm run dev` updates functions by it). */
export const FUNCTION_BUNDLE_METADATA = 'function-bundle';
