import { describe, expect, it } from "vitest";
import type { DesignNode } from "../../../core/design/types";
import { findNodes } from "./match";

const node = (id: string, kind: string, label?: string): DesignNode => ({ id, kind, config: {}, position: { x: 0, y: 0 }, ...(label ? { label } : {}) });

const nodes = [node("redis-cache", "redis"), node("web", "postgresql", "Front door"), node("redis", "redis"), node("host", "cim-instance", "Edge redis box")];
const ids = (q: string, limit = 10) => findNodes(nodes, q, limit).map((n) => n.id);

describe("findNodes", () => {
  it("puts a whole id or label first, then a start, then a part, then the kind", () => {
    expect(ids("redis")).toEqual(["redis", "redis-cache", "host"]);
    expect(ids("front door")).toEqual(["web"]);
    expect(ids("door")).toEqual(["web"]);
  });

  it("finds a node by its kind's name or id when neither its id nor its label says it", () => {
    expect(ids("postgres")).toEqual(["web"]);
    expect(ids("CIM instance")).toEqual(["host"]);
  });

  it("ignores case and the spaces around the query, and lists every node for an empty one", () => {
    expect(ids("  WEB ")).toEqual(["web"]);
    expect(ids("")).toEqual(["redis-cache", "web", "redis", "host"]);
  });

  it("stops at the limit and finds nothing for a query nothing answers", () => {
    expect(ids("", 2)).toEqual(["redis-cache", "web"]);
    expect(ids("neo4j")).toEqual([]);
  });
});
