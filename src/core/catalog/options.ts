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

// Classes, so that telling the two marked values from a set is an `instanceof`: the compiler
// asks it of every value of every option tree, and `in` on objects of many shapes is slow.
class MarkedExpression implements Expression {
  readonly [EXPRESSION]: NixExpr;
  constructor(e: NixExpr) {
    this[EXPRESSION] = e;
  }
}

class MarkedUnion implements UnionList {
  readonly [UNION]: readonly string[];
  constructor(items: readonly string[]) {
    this[UNION] = items;
  }
}

export const expr = (e: NixExpr): Expression => new MarkedExpression(e);
export const union = (items: readonly string[]): UnionList => new MarkedUnion(items);

export const isExpression = (v: unknown): v is Expression => v instanceof MarkedExpression;
export const isUnion = (v: unknown): v is UnionList => v instanceof MarkedUnion;
export const expressionOf = (v: Expression): NixExpr => v[EXPRESSION];
export const unionItems = (v: UnionList): readonly string[] => v[UNION];
