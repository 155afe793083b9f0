/**
 * Optimistic updates: show the change at once, undo it if the API refuses,
 * and say why.
 */
export interface OptimisticChange {
  /** Shows the change now. */
  apply(): void;
  /** Undoes exactly what `apply` did. */
  revert(): void;
  /** The API call that makes the change real. */
  request(): Promise<unknown>;
  /** Told why the change was undone: the message, and the error itself (to describe it, see problems.ts). */
  onRefused(message: string, error: unknown): void;
}

/** Runs one optimistic change; resolves true if it stuck, false if it was rolled back. */
export async function optimistic(change: OptimisticChange): Promise<boolean> {
  change.apply();
  try {
    await change.request();
    return true;
  } catch (error) {
    change.revert();
    change.onRefused(error instanceof Error ? error.message : String(error), error);
    return false;
  }
}

/** Replaces the item with the given id in a list (a new list; the others untouched). */
export function replaceById<T extends { id: string }>(
  items: readonly T[],
  id: string,
  patch: Partial<T>,
): T[] {
  return items.map((item) => (item.id === id ? { ...item, ...patch } : item));
}
