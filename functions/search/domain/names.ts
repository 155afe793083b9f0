/**
 * The name index: how a search by name finds the things whose name contains a
 * fragment (case-insensitively) by reading only items that contain it.
 *
 * Each thing is stored under every distinct *window* of its lower-cased name:
 * the (at most {@link NAME_WINDOW}) characters starting at each position. An
 * item's partition is the window's first character, its sort key the window,
 * a separator and the thing's id. A fragment occurring at some position of a
 * name is a prefix of that position's window (or, when longer than a window,
 * starts with the window), so one Query on the fragment's first character with
 * `begins_with(key, fragment)` reads exactly the occurrences of the fragment's
 * first {@link NAME_WINDOW} characters; the rule itself ({@link nameContains})
 * then decides. The result is the same set the rule gives over every thing.
 *
 * Characters are code points, so no key splits a surrogate pair (DynamoDB
 * keys are UTF-8). A name holds no control characters (`nameText`), so the
 * separator, U+001F, cannot occur in a window.
 *
 * A thing's items are written in the transaction that writes the thing, as
 * many as fit (DynamoDB takes 100 actions per transaction; the thing, its
 * cells and the counter come first): a name of up to 66 characters always
 * fits whole. The windows of a longer name that do not fit ("overflow") are
 * written before that transaction and deleted after the one that removes the
 * thing, each naming an *anchor*: one of the thing's items written in the
 * transaction. A thing found only through overflow items counts once its
 * anchor is read, so a crash between the two writes leaves items that no
 * search shows.
 */

/** Most characters of a name one index item holds; fragments up to this long are found by key alone. */
export const NAME_WINDOW = 16;
/** Between the window and the id in an item's sort key; no name holds it. */
export const KEY_SEPARATOR = '\u001f';
/** DynamoDB's most actions in one TransactWriteItems. */
export const TRANSACTION_ACTIONS = 100;

/**
 * The matching rule of a search by name: the lower-cased name contains
 * `fragment`, the query lower-cased once (as every function here takes it).
 */
export const nameContains = (name: string, fragment: string) => name.toLowerCase().includes(fragment);

/** One item of the name index. */
export interface NameItem {
  /** Partition: the window's first character. */
  initial: string;
  /** Sort key: the window, {@link KEY_SEPARATOR}, the thing's id. */
  key: string;
  id: string;
  name: string;
  /** Only on overflow items: the sort key of an item written with the thing (its partition is the key's first character). */
  anchor?: string;
}

/** The distinct windows of a name, lower-cased, in order of first occurrence. */
export function nameWindows(name: string): string[] {
  const characters = Array.from(name.toLowerCase());
  const windows = new Set<string>();
  for (let i = 0; i < characters.length; i++) windows.add(characters.slice(i, i + NAME_WINDOW).join(''));
  return [...windows];
}

const initialOf = (text: string) => String.fromCodePoint(text.codePointAt(0) ?? 0);

/**
 * A thing's index items: `inline` go in the transaction that writes the
 * thing (at most `room` of them), `overflow` before it, each anchored to the
 * first inline item.
 */
export function nameItems(thing: { id: string; name: string }, room: number) {
  const items: NameItem[] = nameWindows(thing.name).map((window) => ({
    initial: initialOf(window),
    key: `${window}${KEY_SEPARATOR}${thing.id}`,
    id: thing.id,
    name: thing.name,
  }));
  const inline = items.slice(0, Math.max(1, room));
  const anchor = inline[0]?.key;
  const overflow = items.slice(inline.length).map((item) => ({ ...item, anchor }));
  return { inline, overflow };
}

/** How many name items fit in the transaction that writes a thing with `cells` cells: the rest of 100 after the thing, its cells and the counter. */
export const inlineRoom = (cells: number) => TRANSACTION_ACTIONS - 2 - cells;

/** The one partition and sort-key prefix a search for `fragment` (lower-cased, not empty) reads. */
export function nameLookup(fragment: string): { initial: string; prefix: string } {
  const prefix = Array.from(fragment).slice(0, NAME_WINDOW).join('');
  return { initial: initialOf(prefix), prefix };
}

/**
 * The things among the items a lookup read that match `fragment`: those seen
 * through an inline item are `found`; those seen only through overflow items
 * are `unconfirmed`, with the anchor to read before they count.
 */
export function matchesAmong(items: Iterable<NameItem>, fragment: string) {
  const found = new Map<string, { id: string; name: string }>();
  const unconfirmed = new Map<string, { id: string; name: string; anchor: string }>();
  for (const item of items) {
    if (!nameContains(item.name, fragment) || found.has(item.id)) continue;
    if (item.anchor === undefined) {
      found.set(item.id, { id: item.id, name: item.name });
      unconfirmed.delete(item.id);
    } else {
      unconfirmed.set(item.id, { id: item.id, name: item.name, anchor: item.anchor });
    }
  }
  return { found, unconfirmed };
}

/** The partition and sort key of an anchor. */
export const anchorKey = (anchor: string) => ({ initial: initialOf(anchor), key: anchor });
