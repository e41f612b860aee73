/**
 * Who saved a revision, as the design list and the versions show it: the name (a claim) and the
 * start of the key whose signature proves the save, or that nothing proves it.
 */
export const savedByText = (by: { readonly name: string; readonly key?: string } | undefined): string => (by ? (by.key ? `${by.name} (${by.key.slice(0, 8)}…)` : `${by.name} (no verified key)`) : "someone");
