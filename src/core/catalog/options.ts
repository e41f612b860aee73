import type { NixExpr } from "../nix";

/**
 * Option values as kinds write them: plain data for the common case, nested objects for
 * option paths, and two marked values for what plain data cannot say. Object keys are single
 * attribute names (a sysctl key `net.core.rmem_max` stays one name); the printer quotes them.
 */

const EXPRESSION = Symbol("nix expression");
const UNION = Symbol("union list");

export interface Expression {
  readonly [EXPRESSION]: NixExpr;
}

/** A list that several nodes may add to (systemd `after`, `wants`): merged, sorted, unique. */
export interface UnionList {
  readonly [UNION]: readonly string[];
}

export type OptionValue = string | number | boolean | readonly OptionValue[] | Expression | UnionList | OptionTree;

export interface OptionTree {
  readonly [name: string]: OptionValue | undefined;
}

export const expr = (e: NixExpr): Expression => ({ [EXPRESSION]: e });
export const union = (items: readonly string[]): UnionList => ({ [UNION]: items });

export const isExpression = (v: unknown): v is Expression => typeof v === "object" && v !== null && EXPRESSION in v;
export const isUnion = (v: unknown): v is UnionList => typeof v === "object" && v !== null && UNION in v;
export const expressionOf = (v: Expression): NixExpr => v[EXPRESSION];
export const unionItems = (v: UnionList): readonly string[] => v[UNION];
