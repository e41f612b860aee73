import type { Kind, Role } from "./kind";
import { kindOf } from "./registry";

/**
 * Whether an edge means something: `source → target` says the target builds on the source, so
 * it is allowed only when the target's kind declares it may build on the source's (`buildsOn`,
 * in the target kind's own module). The canvas refuses any other edge with this reason, and
 * validation reports a loaded one as E_EDGE_KIND on the edge.
 */

export function mayBuildOn(target: Kind, source: Kind): boolean {
  if (source.role === "instance") return false;
  return target.buildsOn.roles.includes(source.role) || (target.buildsOn.kinds ?? []).includes(source.kind);
}

const ROLE_WORDS: Record<Exclude<Role, "instance">, string> = { setting: "settings", service: "services" };

const sentence = (parts: readonly string[]) => (parts.length <= 1 ? (parts[0] ?? "nothing") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`);

/** What a kind builds on, in words: "settings only", "settings, NATS hub, NATS leaf node and Neo4j". */
export function buildsOnText(kind: Kind): string {
  const { roles, kinds = [] } = kind.buildsOn;
  const named = kinds.flatMap((k) => {
    const other = kindOf(k);
    return other && roles.includes(other.role as Exclude<Role, "instance">) ? [] : [other?.label ?? k];
  });
  const parts = [...roles.map((r) => ROLE_WORDS[r]), ...named];
  return parts.length === 1 ? `${parts[0]} only` : sentence(parts);
}

export interface EdgeEnd {
  readonly id: string;
  readonly kind: Kind;
}

/** Why `target` cannot build on `source` (one clause, no final stop), or null when it can. */
export function edgeMeaningProblem(source: EdgeEnd, target: EdgeEnd): string | null {
  if (mayBuildOn(target.kind, source.kind)) return null;
  return `${target.kind.label} (${target.id}) cannot build on ${source.kind.label} (${source.id}): it builds on ${buildsOnText(target.kind)}`;
}
