import { HARDENED } from "../catalog/systemd";
import {
  attrs,
  bind,
  binary,
  call,
  fn,
  id,
  inherit,
  int,
  interp,
  letIn,
  list,
  sel,
  str,
  type NixExpr,
} from "../nix";
import { toNix } from "./values";

/**
 * modules/cim.nix: declares `cim.instance`, `cim.domains.<name>` and `services.cim-agent`,
 * and runs each enabled domain or agent as a hardened systemd service. The CIM programs are
 * expected from an overlay (`pkgs.cim-<name>-domain`, `pkgs.cim-agent`); each `package`
 * option lets a host point elsewhere.
 */

const lib = id("lib");
const pkgs = id("pkgs");
const types = id("types");
const mkOption = (o: Record<string, NixExpr>): NixExpr => call(id("mkOption"), attrs(o));
const described = (type: NixExpr, description: string, extra: Record<string, NixExpr> = {}): NixExpr =>
  mkOption({ type, description: str(description), ...extra });
const enable = (what: NixExpr): NixExpr => call(id("mkEnableOption"), what);
const listOfStr = call(sel(types, "listOf"), sel(types, "str"));
const toJson = (value: NixExpr): NixExpr => call(sel(id("builtins"), "toJSON"), value);

const startsAfterNetwork = {
  after: list([str("network-online.target")]),
  wants: list([str("network-online.target")]),
  wantedBy: list([str("multi-user.target")]),
};

const hardened = (extra: Record<string, NixExpr>): NixExpr => binary(toNix(HARDENED), "//", attrs(extra));

const name = id("name");
const cfg = id("cfg");
/** `"cim-${name}-domain<suffix>"`, one string rather than a string nested in another. */
const unitName = (suffix = ""): NixExpr => interp("cim-", name, `-domain${suffix}`);

const LOCAL_NATS = "nats://127.0.0.1:4222";

const domainOptions = (metricsPorts: readonly (readonly [string, number])[]): NixExpr => fn(
  "name",
  attrs({
    enable: enable(interp("the CIM ", name, " domain")),
    package: described(sel(types, "package"), "The domain's package.", {
      default: call(sel(id("builtins"), "getAttr"), unitName(), pkgs),
      defaultText: interp("pkgs.cim-", name, "-domain"),
    }),
    natsUrl: described(sel(types, "str"), "The NATS server the domain connects to.", { default: str(LOCAL_NATS) }),
    metricsPort: described(sel(types, "port"), "Where the domain serves Prometheus metrics.", {
      default: call(sel(id("builtins"), "getAttr"), name, attrs(Object.fromEntries(metricsPorts.map(([d, port]) => [d, int(port)])))),
    }),
    settings: described(call(sel(types, "attrsOf"), sel(types, "anything")), "The domain's settings, passed to it as JSON in CIM_SETTINGS.", { default: attrs({}) }),
  }),
);

const domainUnit = fn(
  "name",
  fn(
    "cfg",
    attrs({
      description: interp("CIM ", name, " domain"),
      ...startsAfterNetwork,
      environment: attrs({
        CIM_SETTINGS: toJson(sel(cfg, "settings")),
        METRICS_PORT: call(id("toString"), sel(cfg, "metricsPort")),
        NATS_URL: sel(cfg, "natsUrl"),
      }),
      serviceConfig: hardened({
        ExecStart: interp(sel(cfg, "package"), "/bin/cim-", name, "-domain"),
        StateDirectory: unitName(),
      }),
    }),
  ),
);

const config = id("config");
const agent = id("agent");

/** `mkIf config.cim.domains.graph.enable { cim-graph-domain = domainUnit "graph" config.cim.domains.graph; }` */
function domainService(domain: string): NixExpr {
  const domainCfg = sel(config, "cim", "domains", domain);
  return call(id("mkIf"), sel(domainCfg, "enable"), attrs({ [`cim-${domain}-domain`]: call(id("domainUnit"), str(domain), domainCfg) }));
}

const agentService = call(
  id("mkIf"),
  sel(agent, "enable"),
  attrs({
    "cim-agent": attrs({
      description: str("CIM agent"),
      ...startsAfterNetwork,
      environment: attrs({
        AGENT_CAPABILITIES: call(sel(lib, "concatStringsSep"), str(","), sel(agent, "capabilities")),
        AGENT_ID: sel(agent, "agentId"),
        NATS_URL: sel(agent, "natsUrl"),
      }),
      serviceConfig: hardened({
        ExecStart: interp(sel(agent, "package"), "/bin/cim-agent"),
        StateDirectory: str("cim-agent"),
      }),
    }),
  }),
);

/** A CIM domain as the module declares it; the default metrics port is the catalog's. */
export interface DomainModule {
  readonly name: string;
  readonly metricsPort: number;
}

/** The module, declaring one `cim.domains.<name>` per domain kind of the catalog. */
export function cimModule(domains: readonly DomainModule[]): NixExpr {
  return fn(["config", "lib", "pkgs"], letIn(
    [
      inherit(["mkEnableOption", "mkIf", "mkMerge", "mkOption", "types"], lib),
      bind(["domainOptions"], domainOptions(domains.map((d) => [d.name, d.metricsPort]))),
      bind(["domainUnit"], domainUnit),
      bind(["agent"], sel(config, "services", "cim-agent")),
    ],
    attrs([
      bind(["options", "cim", "instance"], attrs({
        id: described(sel(types, "str"), "The instance id (also its host name).", { default: str("") }),
        name: described(sel(types, "str"), "A name for people.", { default: str("") }),
        location: described(sel(types, "str"), "Where the instance runs.", { default: str("") }),
        capabilities: described(listOfStr, "What the instance offers.", { default: list([]) }),
      })),
      bind(["options", "cim", "domains"], call(sel(lib, "genAttrs"), list(domains.map((d) => str(d.name))), id("domainOptions"))),
      bind(["options", "services", "cim-agent"], attrs({
        enable: enable(str("a CIM agent")),
        package: described(sel(types, "package"), "The agent's package.", { default: sel(pkgs, "cim-agent"), defaultText: str("pkgs.cim-agent") }),
        agentId: described(sel(types, "str"), "The agent's id."),
        capabilities: described(listOfStr, "What the agent does.", { default: list([]) }),
        natsUrl: described(sel(types, "str"), "The NATS server the agent connects to.", { default: str(LOCAL_NATS) }),
      })),
      bind(["config", "environment", "etc", "cim/instance.json"], call(
        id("mkIf"),
        binary(sel(config, "cim", "instance", "id"), "!=", str("")),
        attrs({ text: toJson(sel(config, "cim", "instance")) }),
      )),
      bind(["config", "systemd", "services"], call(id("mkMerge"), list([...domains.map((d) => domainService(d.name)), agentService]))),
    ],
  )));
}
