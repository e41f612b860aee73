// Orders that are the same on every machine: no locale, so browser, CLI, executor and the
// golden files sort alike.

/** Code-unit order of two strings (-1, 0 or 1): the order of every sorted id and name list. */
export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Sorts `items` in place, stably, as `items.sort(order)` does. Array.prototype.sort allocates
 * a work array on every call, and the compiler sorts tens of thousands of short arrays (every
 * attribute set it prints, every object of the canonical design): they were a sixth of all it
 * allocated. Short arrays are sorted by insertion, which allocates nothing.
 */
export function sortInPlace<T>(items: T[], order: (a: T, b: T) => number): void {
  if (items.length > 16) {
    items.sort(order);
    return;
  }
  for (let i = 1; i < items.length; i++) {
    const item = items[i]!;
    let j = i;
    for (; j > 0 && order(items[j - 1]!, item) > 0; j--) items[j] = items[j - 1]!;
    items[j] = item;
  }
}
