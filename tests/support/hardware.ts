import type { Design } from "../../src/core/design/types";
import { kindOf } from "../../src/core/catalog/registry";
import { build } from "./designBuilder";

/**
 * The design with a Hardware node (a root file system and a boot loader) connected to each
 * instance, so a test about something else gets a host NixOS would build.
 */
export function withHardware(design: Design): Design {
  const hosts = design.nodes.filter((n) => kindOf(n.kind)?.role === "instance");
  const id = (host: string) => `hardware-of-${host}`;
  return {
    ...design,
    nodes: [
      ...design.nodes,
      ...hosts.map((h) => ({ id: id(h.id), kind: "hardware", position: { x: h.position.x, y: h.position.y + 120 }, config: { rootDevice: "/dev/disk/by-label/nixos" } })),
    ],
    edges: [...design.edges, ...hosts.map((h) => ({ id: `${id(h.id)}->${h.id}`, source: id(h.id), target: h.id }))],
  };
}

/** `build` of tests/support/designBuilder, with hardware for every instance (see `withHardware`). */
export const buildBootable = (...args: Parameters<typeof build>): Design => withHardware(build(...args));
