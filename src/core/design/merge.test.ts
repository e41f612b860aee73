import { describe, expect, it } from "vitest";
import { diffDesigns, mergeDesigns, suggestedChoices } from "./merge";
import { DESIGN_VERSION, type Design, type DesignNode } from "./types";

const node = (id: string, config: Record<string, unknown> = {}, x = 0): DesignNode => ({ id, kind: "nats", position: { x, y: 0 }, config });
const design = (nodes: DesignNode[], edges: [string, string][] = [], name = "d"): Design => ({
  version: DESIGN_VERSION,
  name,
  nodes,
  edges: edges.map(([source, target]) => ({ id: `${source}->${target}`, source, target })),
});

describe("diffDesigns", () => {
  it("lists only the nodes that differ, with each side's version", () => {
    const mine = design([node("a", { port: 1 }), node("b")]);
    const theirs = design([node("a", { port: 2 }), node("b"), node("c")]);
    const d = diffDesigns(mine, theirs);
    expect(d.map((x) => x.id)).toEqual(["a", "c"]);
    expect(d[0]!.mine?.config).toEqual({ port: 1 });
    expect(d[0]!.theirs?.config).toEqual({ port: 2 });
    expect(d[1]!.mine).toBeNull();
    // Without a base nobody is known to have kept the node as it was.
    expect(d.map((x) => x.changedBy)).toEqual(["both", "both"]);
  });

  it("counts a changed edge into a node as a change of that node", () => {
    const mine = design([node("a"), node("b"), node("c")], [["a", "c"]]);
    const theirs = design([node("a"), node("b"), node("c")], [["b", "c"]]);
    const [c] = diffDesigns(mine, theirs);
    expect(c).toMatchObject({ id: "c", mineSources: ["a"], theirsSources: ["b"], movedOnly: false });
  });

  it("tells a move on the canvas from a change of meaning", () => {
    const [moved] = diffDesigns(design([node("a", {}, 0)]), design([node("a", {}, 50)]));
    expect(moved!.movedOnly).toBe(true);
    const [changed] = diffDesigns(design([node("a", {}, 0)]), design([node("a", { port: 3 }, 50)]));
    expect(changed!.movedOnly).toBe(false);
  });

  it("with the common base, says who changed each node and suggests that side", () => {
    const base = design([node("a"), node("b"), node("gone")]);
    const mine = design([node("a", { port: 1 }), node("b"), node("gone")]);
    const theirs = design([node("a"), node("b", { port: 2 }), node("new")]);
    const d = diffDesigns(mine, theirs, base);
    expect(d.map((x) => [x.id, x.changedBy, x.suggested])).toEqual([
      ["a", "mine", "mine"],
      ["b", "theirs", "theirs"],
      ["gone", "theirs", "theirs"],
      ["new", "theirs", "theirs"],
    ]);
  });

  it("a node both sides changed differently is for the person to choose", () => {
    const base = design([node("a")]);
    const [a] = diffDesigns(design([node("a", { port: 1 })]), design([node("a", { port: 2 })]), base);
    expect(a).toMatchObject({ changedBy: "both", suggested: "mine" });
    expect(diffDesigns(design([node("a", { port: 1 })]), design([node("a", { port: 1 })]), base)).toEqual([]);
  });
});

describe("mergeDesigns", () => {
  it("takes each node, with the edges into it, from the side chosen", () => {
    const base = design([node("a"), node("b"), node("c")], [["a", "c"]]);
    const mine = design([node("a", { port: 1 }), node("b"), node("c")], [["a", "c"]]);
    const theirs = design([node("a"), node("b", { port: 2 }), node("c")], [["b", "c"]]);
    const merged = mergeDesigns(mine, theirs, suggestedChoices(diffDesigns(mine, theirs, base)));
    expect(merged.nodes.map((n) => [n.id, n.config])).toEqual([
      ["a", { port: 1 }],
      ["b", { port: 2 }],
      ["c", {}],
    ]);
    // c was changed by theirs only (a new source): it comes with the edge it has there.
    expect(merged.edges.map((e) => e.id)).toEqual(["b->c"]);
  });

  it("leaves out a node whose chosen side has none, and the edges from it", () => {
    const mine = design([node("a"), node("b")], [["a", "b"]]);
    const theirs = design([node("b")]);
    const merged = mergeDesigns(mine, theirs, { a: "theirs", b: "mine" });
    expect(merged.nodes.map((n) => n.id)).toEqual(["b"]);
    expect(merged.edges).toEqual([]);
  });

  it("keeps the notes of both, mine where both have one", () => {
    const note = (id: string, text: string) => ({ id, text, color: "yellow" as const, position: { x: 0, y: 0 } });
    const mine = { ...design([node("a")]), notes: [note("n1", "mine")] };
    const theirs = { ...design([node("a")]), notes: [note("n1", "theirs"), note("n2", "only theirs")] };
    expect(mergeDesigns(mine, theirs, {}).notes?.map((n) => n.text)).toEqual(["mine", "only theirs"]);
  });

  it("keeps mine's name and the locks of both", () => {
    const mine = { ...design([node("a")], [], "mine"), locks: { h1: "m" } };
    const theirs = { ...design([node("a"), node("x")], [], "theirs"), locks: { h1: "t", h2: "t" } };
    const merged = mergeDesigns(mine, theirs, { x: "theirs" });
    expect(merged.name).toBe("mine");
    expect(merged.locks).toEqual({ h1: "m", h2: "t" });
    expect(merged.nodes.map((n) => n.id)).toEqual(["a", "x"]);
  });
});
