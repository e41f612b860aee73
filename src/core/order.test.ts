import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compare, sortInPlace } from "./order";

describe("sortInPlace", () => {
  it("orders as the engine's stable sort does, equal items kept in their order, short arrays and long", () => {
    // Few distinct keys, so equal keys are common and a sort that is not stable shows.
    const item = fc.record({ key: fc.constantFrom("a", "b", "c", "é", "😀", "\uffff"), at: fc.nat() });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 40 }), (items) => {
        const order = (x: { key: string }, y: { key: string }) => compare(x.key, y.key);
        const expected = [...items].sort(order);
        const actual = [...items];
        sortInPlace(actual, order);
        expect(actual).toEqual(expected);
      }),
    );
  });
});
