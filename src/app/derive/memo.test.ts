import { describe, expect, it } from "vitest";
import { lastCall, perObject } from "./memo";

describe("the memo helper", () => {
  it("works a function out again only when an argument is another object, keeping what the last answer shares", () => {
    const calls: unknown[][] = [];
    const pairs = lastCall(
      (a: readonly number[], b: readonly number[]) => {
        calls.push([a, b]);
        return a.map((x, i) => ({ x, y: b[i] }));
      },
      (previous, next) => next.map((p, i) => (previous[i]?.x === p.x && previous[i]?.y === p.y ? previous[i]! : p)),
    );
    const a = [1, 2];
    const b = [3, 4];
    const first = pairs(a, b);
    expect(pairs(a, b)).toBe(first);
    expect(calls).toHaveLength(1);
    const second = pairs(a, [3, 5]);
    expect(calls).toHaveLength(2);
    expect(second).not.toBe(first);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toEqual({ x: 2, y: 5 });
  });

  it("works a function of an object out once per object", () => {
    let calls = 0;
    const size = perObject((o: { items: number[] }) => (calls++, o.items.length));
    const one = { items: [1, 2] };
    expect([size(one), size(one), size({ items: [] })]).toEqual([2, 2, 0]);
    expect(calls).toBe(2);
  });
});
