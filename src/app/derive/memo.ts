/**
 * The app's one memo helper, for pure derivations of the store (the canvas asks for some of
 * them on every event batch of a running deployment). A memo only saves work: what a memoised
 * function answers is what the function itself would, so nothing here is state a test or a
 * second page could notice.
 */

/**
 * `fn`, worked out again only when an argument is not the one (===) of the last call. `keep`
 * may hand back parts of the last answer that the new one equals, so a subscriber that
 * compares them shallowly does not render again.
 */
export function lastCall<A extends readonly unknown[], R>(fn: (...args: A) => R, keep?: (previous: R, next: R) => R): (...args: A) => R {
  let last: { args: A; value: R } | undefined;
  return (...args: A): R => {
    if (last && last.args.length === args.length && last.args.every((a, i) => a === args[i])) return last.value;
    const next = fn(...args);
    const value = last && keep ? keep(last.value, next) : next;
    last = { args, value };
    return value;
  };
}

/** `fn` of an object, worked out once per object (kept as long as the object lives). */
export function perObject<K extends object, R>(fn: (key: K) => R): (key: K) => R {
  const values = new WeakMap<K, R>();
  return (key: K): R => {
    if (values.has(key)) return values.get(key)!;
    const value = fn(key);
    values.set(key, value);
    return value;
  };
}
