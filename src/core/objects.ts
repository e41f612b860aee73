// Plain objects as JSON gives them: telling one apart, and naming a place inside one.

/** An object that is neither null nor a list: what a JSON `{ … }` parses to. */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The place of `key` below `parent`, as diagnostics name it: `a.b`, `a[0]`, `a["odd key"]`. */
export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  const name = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  if (name.startsWith('"')) return `${parent}[${name}]`;
  return parent ? `${parent}.${name}` : name;
}
