import type { DesignNode } from "../design/types";
import type { FieldProblem } from "./check-config";
import type { ConfigOf, Fields } from "./fields";
import type { OptionTree } from "./options";

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
  /** The config field the port comes from, so a clash can point at the input. */
  readonly field: string;
  /** Whether the firewall opens it; services bound to loopback keep theirs closed. */
  readonly exposed: boolean;
}

export interface MetricsTarget {
  readonly job: string;
  readonly port: number;
  readonly path?: string;
}

export interface NatsEndpoint {
  readonly port: number;
}

export type FlakeInput = "agenix" | "sops-nix";

/** A resolved node of an instance: its node, its kind and its config with defaults filled in. */
export interface Member {
  readonly node: DesignNode;
  readonly kind: Kind;
  readonly config: ConfigOf<Fields>;
}

export interface InstanceView {
  readonly hostId: string;
  readonly stateVersion: string;
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
  readonly domain?: string;
  /** Needs a NATS server (hub or leaf) in its instance. */
  readonly needsNats?: boolean;
  /** NixOS options this node owns: two nodes of an instance claiming one option conflict. */
  claims?(config: ConfigOf<F>): readonly string[];
  ports?(config: ConfigOf<F>): readonly ServicePort[];
  units?(config: ConfigOf<F>): readonly string[];
  dataDirs?(config: ConfigOf<F>): readonly string[];
  metrics?(config: ConfigOf<F>): readonly MetricsTarget[];
  natsServer?(config: ConfigOf<F>): NatsEndpoint;
  /** Rules between fields of one node that a single field's constraints cannot state. */
  check?(config: ConfigOf<F>): readonly FieldProblem[];
  emit(ctx: EmitContext<F>): Emission;
}

export type Kind = KindSpec<Fields>;

/** Keeps the kind's own field types for its hooks and hands the registry the common type. */
export const defineKind = <F extends Fields>(spec: KindSpec<F>): Kind => spec as unknown as Kind;
