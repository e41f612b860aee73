import { attrs, binary, call, id, list, sel, str, type NixExpr } from "../nix";
import { toNix } from "../compile/values";
import { HARDENED } from "./systemd";

/**
 * The vocabulary kinds declare their part of modules/cim.nix with (see `CimModulePart`): NixOS
 * option declarations and the hardened systemd units the options drive. The module's `let`
 * inherits mkEnableOption, mkIf, mkMerge, mkOption and types from lib.
 */

export const lib = id("lib");
export const pkgs = id("pkgs");
export const types = id("types");
export const config = id("config");

const mkOption = (o: Record<string, NixExpr>): NixExpr => call(id("mkOption"), attrs(o));
export const described = (type: NixExpr, description: string, extra: Record<string, NixExpr> = {}): NixExpr =>
  mkOption({ type, description: str(description), ...extra });
export const enable = (what: NixExpr): NixExpr => call(id("mkEnableOption"), what);
export const listOfStr = call(sel(types, "listOf"), sel(types, "str"));
export const toJson = (value: NixExpr): NixExpr => call(sel(id("builtins"), "toJSON"), value);

export const startsAfterNetwork = {
  after: list([str("network-online.target")]),
  wants: list([str("network-online.target")]),
  wantedBy: list([str("multi-user.target")]),
};

/** A unit's serviceConfig: the catalog's HARDENED sandbox and the unit's own settings. */
export const hardenedUnit = (extra: Record<string, NixExpr>): NixExpr => binary(toNix(HARDENED), "//", attrs(extra));

/** Where the module's services reach the host's NATS server unless told otherwise. */
export const LOCAL_NATS = "nats://127.0.0.1:4222";
