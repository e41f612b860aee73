/** Small words shared by the app's messages. */

/** "1 node", "2 nodes": a count with its noun, plural unless it is one. */
export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

/** The whole number a text field holds, or null when its text is not one (empty included). */
export function wholeNumber(text: string): number | null {
  const t = text.trim();
  return /^-?\d+$/.test(t) ? Number(t) : null;
}
