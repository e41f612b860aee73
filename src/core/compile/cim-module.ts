import type { CimModulePart, Kind } from "../catalog/kind";
import { domainsModulePart } from "../catalog/kinds/cim-domain";
import { lib } from "../catalog/module-declarations";
import { attrs, bind, call, fn, id, inherit, letIn, list, type NixExpr } from "../nix";

/**
 * modules/cim.nix: the options the kinds declare (`cim.instance`, `cim.domains.<name>`,
 * `services.cim-agent`) and the hardened services they run. The CIM programs are expected
 * from an overlay (`pkgs.cim-<name>-domain`, `pkgs.cim-agent`); each `package` option lets a
 * host point elsewhere.
 */
export function cimModule(kinds: readonly Kind[]): NixExpr {
  const parts = partsOf(kinds);
  return fn(["config", "lib", "pkgs"], letIn(
    [inherit(["mkEnableOption", "mkIf", "mkMerge", "mkOption", "types"], lib), ...parts.flatMap((p) => (p.lets ?? []).map(([path, value]) => bind(path, value)))],
    attrs([
      ...parts.flatMap((p) => p.options.map(([path, value]) => bind(["options", ...path], value))),
      ...parts.flatMap((p) => (p.config ?? []).map(([path, value]) => bind(["config", ...path], value))),
      bind(["config", "systemd", "services"], call(id("mkMerge"), list(parts.flatMap((p) => p.services ?? [])))),
    ]),
  ));
}

/** Each kind's part in catalog order; the domain kinds share one, where the first of them stands. */
function partsOf(kinds: readonly Kind[]): CimModulePart[] {
  const domains = kinds.flatMap((k) => (k.domain ? [k.domain] : []));
  const firstDomain = kinds.findIndex((k) => k.domain);
  return kinds.flatMap((k, i) => (i === firstDomain ? [domainsModulePart(domains)] : k.cimModule ? [k.cimModule] : []));
}
