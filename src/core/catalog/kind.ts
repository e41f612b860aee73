import type { DesignNode } from "../design/types";
import type { FieldProblem } from "./check-config";
import type { ConfigOf, Fields } from "./fields";
import type { OptionTree } from "./options";
import type { NixExpr } from "../nix";

export type PaletteGroup = "Hosts" | "Messaging" | "Domains" | "Data" | "Observability" | "Security" | "Imports";

/**
 * instance: a NixOS host (the root of what gets exported);
 * service: runs something (has units, may open ports, may hold data);
 * setting: shapes the host without running anything of its own.
 */
export type Role = "instance" | "service" | "setting";

/**
 * What a node of a kind may build on: the kinds its incoming edges may come from, named by
 * role (every kind of that role) or by kind. An edge from anything else means nothing to the
 * target (a NATS server does not use a Redis), so the canvas refuses it and validation reports
 * it on the edge (E_EDGE_KIND). No kind builds on an instance: an instance is a whole host.
 */
export interface BuildsOn {
  readonly roles: readonly Exclude<Role, "instance">[];
  readonly kinds?: readonly string[];
}

export interface ServicePort {
  readonly port: number;
  readonly label: string;
  /** The config field the port comes from, so a clash can point at the input; "" for a fixed port. */
  readonly field: string;
  /** Whether the firewall opens it; services bound to loopback keep theirs closed. */
  readonly exposed: boolean;
}

export interface MetricsTarget {
  readonly job: string;
  readonly port: number;
  readonly path?: string;
  /**
   * When the node serves no Prometheus metrics itself (NATS's monitoring port has no /metrics):
   * the NixOS exporter `services.prometheus.exporters.<name>` that serves them on `port`, and
   * its options. The node that scrapes the target enables it.
   */
  readonly exporter?: { readonly name: string; readonly options: OptionTree };
}

/** A certificate a setting gives the instance's NATS server (client port). */
export interface NatsTls {
  /** Absolute paths on the host; the NATS kinds hand them to the unit with LoadCredential. */
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile?: string;
  /** Require client certificates signed by `caFile`. */
  readonly verify: boolean;
  /** A name the certificate is for: the instance's services dial the server by it. */
  readonly serverName: string;
}

export interface NatsEndpoint {
  readonly port: number;
  /**
   * Set when the server refuses clients that bring no credentials (it has users and none of
   * them is for local services): the field that would let the instance's services in.
   */
  readonly refusesAnonymous?: { readonly field: string };
}

/** What an instance kind says about its host. */
export interface HostFacts {
  /** The flake attribute and host name; empty while the person has not given a valid one. */
  readonly hostId: string;
  readonly stateVersion: string;
  /** A name for people. */
  readonly name?: string;
  /** The platform, e.g. `x86_64-linux`. */
  readonly system: string;
  /** The leaf executor that deploys the host. */
  readonly leafId?: string;
  /**
   * With `leafId`: what the host's own `services.alchemist-executor` needs besides its leaf id
   * (see nix/modules/alchemist-executor.nix), and the field each comes from.
   */
  readonly executor?: {
    /** The executor's NATS credentials on the host: a path read at run time. */
    readonly credentialsFile?: string;
    readonly credentialsField: string;
    /** Public keys (each with an optional name after a space) whose signed commands it runs. */
    readonly trustedKeys: readonly string[];
    readonly trustedKeysField: string;
  };
  /** Where `nixos-rebuild --target-host` deploys to, when no leaf executor does. */
  readonly targetHost?: string;
}

/** One line of a node's card on the canvas: a setting and its value, or a remark in grey. */
export type SummaryLine = { readonly name: string; readonly value: string } | { readonly note: string };

/** A Nix file a node brings in verbatim; validation parses it when it has a parser. */
export interface ImportedNixFile {
  readonly name: string;
  readonly source: string;
  /** The config field the source comes from, so a parse error points at the input. */
  readonly field: string;
}

/** A CIM domain kind: enables `cim.domains.<name>`, which modules/cim.nix declares. */
export interface DomainDeclaration {
  readonly name: string;
  /** The option's default metrics port, the field's default. */
  readonly metricsPort: number;
}

/**
 * What a node gives its host to boot with. NixOS refuses to build a system without a root file
 * system (`fileSystems."/"`, nixos/modules/system/boot/stage-1.nix) and, GRUB being on by
 * default, without a boot loader (grub.nix asks for `boot.loader.grub.devices`; systemd-boot
 * turns GRUB off): an instance none of whose members gives both is an error on the instance.
 */
export interface BootFacts {
  readonly rootFileSystem?: boolean;
  readonly bootLoader?: boolean;
}

/** An attribute path of a module and what it is bound to. */
export type ModuleEntry = readonly [path: readonly string[], value: NixExpr];

/**
 * What a kind adds to the shared modules/cim.nix: the options it declares (and writes into
 * from `emit`) and the config those options drive. The same for every node of the kind.
 */
export interface CimModulePart {
  /** `let` bindings the part's own expressions refer to. */
  readonly lets?: readonly ModuleEntry[];
  /** Bindings under `options`, e.g. `cim.instance`. */
  readonly options: readonly ModuleEntry[];
  /** Bindings under `config` other than systemd services. */
  readonly config?: readonly ModuleEntry[];
  /** Entries merged (mkMerge) into `config.systemd.services`. */
  readonly services?: readonly NixExpr[];
}

export type FlakeInput = "agenix" | "sops-nix";

/**
 * A CIM program a node runs and the flake it comes from. flake.nix takes each such flake as an
 * input, and the node's host (and, through the host's overlays, each of its containers) gets
 * the program as `pkgs.<attr>`: the input's `packages.<system>.<attr>`, else its
 * `packages.<system>.default`, else an evaluation error naming the node.
 */
export interface CimPackage {
  /** The name under `pkgs`, e.g. `cim-graph-domain`. */
  readonly attr: string;
  /** The input's name in flake.nix; nodes naming one input must give it one URL. */
  readonly input: string;
  /** The flake reference, e.g. `github:TheCowboyAI/cim-domain-graph`. */
  readonly url: string;
  /** The config field the URL is set in, so a problem can point at it. */
  readonly field: string;
}

/** A resolved node of an instance: its node, its kind and its config with defaults filled in. */
export interface Member {
  readonly node: DesignNode;
  readonly kind: Kind;
  readonly config: ConfigOf<Fields>;
}

export interface InstanceView extends HostFacts {
  /** In topological order (ties by node id). */
  readonly members: readonly Member[];
  /** The instance's NATS server, when it has one. */
  readonly nats?: NatsEndpoint;
}

export interface EmitContext<F extends Fields> {
  readonly node: DesignNode;
  readonly config: ConfigOf<F>;
  readonly instance: InstanceView;
}

/** What one node adds to its host: NixOS options, imported files, flake inputs. */
export interface Emission {
  readonly options?: OptionTree;
  /** Files beside the host module (`imports/<name>`), added to its `imports`. */
  readonly importedFiles?: Readonly<Record<string, string>>;
  readonly flakeInputs?: readonly FlakeInput[];
}

/**
 * Everything Alchemist knows about one kind of node: the palette entry, the inspector's
 * fields, what the node contributes to checks (ports, units, data, NATS) and the Nix it emits.
 * Hooks are methods so a kind typed by its own fields still fits the registry's `Kind`.
 */
export interface KindSpec<F extends Fields> {
  readonly kind: string;
  readonly label: string;
  readonly group: PaletteGroup;
  readonly role: Role;
  readonly help: string;
  readonly fields: F;
  /** The nodes it may build on (the sources of its edges); see `BuildsOn`. */
  readonly buildsOn: BuildsOn;
  /** The `cim.domains.<name>` entry this kind enables; modules/cim.nix declares one per such kind. */
  readonly domain?: DomainDeclaration;
  /** What the kind declares in modules/cim.nix besides domains. */
  readonly cimModule?: CimModulePart;
  /** Needs a NATS server (hub or leaf) in its instance. */
  readonly needsNats?: boolean;
  /** Scrapes the instance's metrics targets, so it runs their exporters (and they take their ports). */
  readonly scrapesMetrics?: boolean;
  /** NixOS options this node owns: two nodes of an instance claiming one option conflict. */
  claims?(config: ConfigOf<F>): readonly string[];
  ports?(config: ConfigOf<F>): readonly ServicePort[];
  units?(config: ConfigOf<F>): readonly string[];
  dataDirs?(config: ConfigOf<F>): readonly string[];
  metrics?(config: ConfigOf<F>): readonly MetricsTarget[];
  natsServer?(config: ConfigOf<F>): NatsEndpoint;
  /** The certificate this node gives the instance's NATS server, if any. */
  natsTls?(config: ConfigOf<F>): NatsTls | undefined;
  /** Every instance kind has it: the host the node stands for. */
  host?(config: ConfigOf<F>): HostFacts;
  /** Every instance kind has it: the field of `hostId`, which no two instances share (a copied instance gets a new one). */
  readonly hostIdField?: keyof F & string;
  /** The card's lines; without it, a service shows its ports and a setting what was changed. */
  summary?(config: ConfigOf<F>): readonly SummaryLine[];
  /** Names of the secrets the node decrypts on the host (`/run/agenix/<name>`, `/run/secrets/<name>`). */
  providedSecrets?(config: ConfigOf<F>): readonly string[];
  importedNix?(config: ConfigOf<F>): readonly ImportedNixFile[];
  /** The CIM programs the node runs; see `CimPackage`. */
  cimPackages?(config: ConfigOf<F>): readonly CimPackage[];
  /** Rules between fields of one node that a single field's constraints cannot state. */
  check?(config: ConfigOf<F>): readonly FieldProblem[];
  /**
   * Settings that compile but would fail on a real machine until the person supplies what is
   * missing (a placeholder to replace, a key to give): warnings (W_FIELD) on the field.
   */
  warnings?(config: ConfigOf<F>): readonly FieldProblem[];
  /** The root file system and boot loader the node gives its host; see `BootFacts`. */
  boots?(config: ConfigOf<F>): BootFacts;
  /**
   * The host's SSH key /etc/ssh/ssh_host_ed25519_key: sshd makes it on first start, so a node
   * that turns openssh on `makes` it, and one that decrypts with it `reads` it (on `field`).
   */
  sshHostKey?(config: ConfigOf<F>): { readonly makes: true } | { readonly reads: string } | undefined;
  emit(ctx: EmitContext<F>): Emission;
}

export type Kind = KindSpec<Fields>;

/** Keeps the kind's own field types for its hooks and hands the registry the common type. */
export const defineKind = <F extends Fields>(spec: KindSpec<F>): Kind => spec as unknown as Kind;
