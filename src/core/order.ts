// Orders that are the same on every machine: no locale, so browser, CLI, executor and the
// golden files sort alike.

/** Code-unit order of two strings (-1, 0 or 1): the order of every sorted id and name list. */
export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
