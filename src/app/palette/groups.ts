import type { PaletteGroup } from "../../core/catalog/kind";

/** A tint per palette group, shared by the palette and the node headers so a kind is recognised at a glance. */
export const GROUP_COLOR: Record<PaletteGroup, string> = {
  Hosts: "bg-violet-50",
  Messaging: "bg-sky-50",
  Domains: "bg-emerald-50",
  Data: "bg-amber-50",
  Observability: "bg-rose-50",
  Security: "bg-slate-100",
  Imports: "bg-stone-100",
};
