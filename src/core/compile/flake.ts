import type { FlakeInput } from "../catalog/kind";
import { attrs, bind, call, fn, formals, id, importPath, list, path, sel, str, type NixAttrEntry, type NixExpr } from "../nix";
import { hostFolder } from "./paths";

/** Where each optional input comes from and the module it adds to every host that uses it. */
const INPUTS: Readonly<Record<FlakeInput, { url: string; module: string }>> = {
  agenix: { url: "github:ryantm/agenix", module: "default" },
  "sops-nix": { url: "github:Mic92/sops-nix", module: "sops" },
};

const NIXPKGS = "github:NixOS/nixpkgs/nixos-24.11";

export interface FlakeHost {
  readonly id: string;
  readonly inputs: ReadonlySet<FlakeInput>;
}

export function flake(description: string, hosts: readonly FlakeHost[]): NixExpr {
  const used = [...new Set(hosts.flatMap((h) => [...h.inputs]))].sort();
  const inputs: NixAttrEntry[] = [
    bind(["nixpkgs", "url"], str(NIXPKGS)),
    ...used.map((name) => bind([name], attrs([bind(["url"], str(INPUTS[name].url)), bind(["inputs", "nixpkgs", "follows"], str("nixpkgs"))]))),
  ];
  const configurations = hosts.map((h) =>
    bind([h.id], call(sel(id("nixpkgs"), "lib", "nixosSystem"), attrs({
      modules: list([
        sel(id("self"), "nixosModules", "cim"),
        ...[...h.inputs].sort().map((name) => sel(id("inputs"), name, "nixosModules", INPUTS[name].module)),
        path(`./${hostFolder(h.id)}`),
      ]),
    }))),
  );
  return attrs([
    bind(["description"], str(description)),
    bind(["inputs"], attrs(inputs)),
    bind(["outputs"], fn(
      formals(["self", "nixpkgs"], { as: "inputs" }),
      attrs([
        bind(["nixosConfigurations"], attrs(configurations)),
        bind(["nixosModules", "cim"], importPath("./modules/cim.nix")),
      ]),
    )),
  ]);
}
