import type { InstanceView, Member } from "../catalog/kind";
import { portsOf, type PortUse } from "../catalog/instance";
import { error, warning, type Diagnostic } from "./diagnostic";

/** Where a Nix file fails to parse: 1-based line and column. */
export interface NixSyntaxError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/**
 * Parses Nix source. Core has no parser of its own: the CLI passes one backed by
 * `nix-instantiate --parse`; without one, imported files are not checked.
 */
export type NixSyntaxCheck = (source: string) => NixSyntaxError | null;

export function checkInstance(view: InstanceView, parseNix: NixSyntaxCheck | undefined): Diagnostic[] {
  return [
    ...conflicts(view),
    ...portClashes(view),
    ...missingNats(view),
    ...unauthenticatedClients(view),
    ...clientsWithoutCertificates(view),
    ...missingSecrets(view),
    ...unbootable(view),
    ...missingSshHostKey(view),
    ...(parseNix ? unparsableImports(view, parseNix) : []),
  ];
}

const label = (m: Member): string => `${m.kind.label} ${m.node.id}`;

/** Two nodes that would define the same NixOS option or systemd unit. */
function conflicts(view: InstanceView): Diagnostic[] {
  const owner = new Map<string, Member>();
  const reported = new Set<string>();
  const out: Diagnostic[] = [];
  const claim = (m: Member, what: string): void => {
    const first = owner.get(what);
    if (!first) owner.set(what, m);
    // One message per pair of nodes: a NATS hub beside a leaf clashes on the option and the unit.
    else if (first !== m && !reported.has(`${first.node.id}\u0000${m.node.id}`)) {
      reported.add(`${first.node.id}\u0000${m.node.id}`);
      out.push(error("E_OPTION_CONFLICT", `${label(first)} and ${label(m)} both define ${what} on instance ${view.hostId}; keep one of them`, { nodeId: m.node.id }));
    }
  };
  // Claims one by one rather than a Set of each member's claims: this runs for every node.
  for (const m of view.members) {
    for (const option of m.kind.claims?.(m.config) ?? []) claim(m, option);
    for (const unit of m.kind.units?.(m.config) ?? []) claim(m, `the unit ${unit}`);
  }
  return out;
}

function portClashes(view: InstanceView): Diagnostic[] {
  const byPort = new Map<number, PortUse>();
  const out: Diagnostic[] = [];
  const who = (p: PortUse) => `${p.label} (${p.nodeId})`;
  for (const use of portsOf(view)) {
    const first = byPort.get(use.port);
    if (!first) {
      byPort.set(use.port, use);
      continue;
    }
    // On the one whose port can be changed: a fixed port (an exporter's) has no field.
    const at = use.field ? use : first;
    out.push(error("E_PORT_CLASH", `${who(first)} and ${who(use)} both use port ${use.port} on instance ${view.hostId}; change ${use.field && first.field ? "one of them" : `the port of ${who(at)}`}`, { nodeId: at.nodeId, field: at.field }));
  }
  return out;
}

function missingNats(view: InstanceView): Diagnostic[] {
  if (view.nats) return [];
  return view.members
    .filter((m) => m.kind.needsNats)
    .map((m) => error("E_NO_NATS", `${m.kind.label} needs a NATS server, but instance ${view.hostId} has none; connect a NATS hub or leaf to it`, { nodeId: m.node.id }));
}

/**
 * A NATS server with users refuses clients that bring no credentials, and the CIM services
 * the compiler emits connect with none: without a user for local services, the host would
 * build and then not work.
 */
function unauthenticatedClients(view: InstanceView): Diagnostic[] {
  const server = view.members.find((m) => m.kind.natsServer);
  const refused = server?.kind.natsServer?.(server.config).refusesAnonymous;
  const clients = view.members.filter((m) => m.kind.needsNats);
  if (!server || !refused || clients.length === 0) return [];
  const fieldLabel = server.kind.fields[refused.field]?.label ?? refused.field;
  return [
    warning(
      "W_NATS_AUTH",
      `${label(server)} has users, so it refuses clients without credentials, and ${clients.map(label).join(", ")} on instance ${view.hostId} connect without any; set its "${fieldLabel}"`,
      { nodeId: server.node.id, field: refused.field },
    ),
  ];
}

/** A NATS server that verifies client certificates, and the instance's own services have none. */
function clientsWithoutCertificates(view: InstanceView): Diagnostic[] {
  if (!view.nats) return [];
  const verifier = view.members.find((m) => m.kind.natsTls?.(m.config)?.verify);
  const clients = view.members.filter((m) => m.kind.needsNats);
  if (!verifier || clients.length === 0) return [];
  return [
    warning(
      "W_NATS_VERIFY",
      `${label(verifier)} makes the NATS server of instance ${view.hostId} require a client certificate, and ${clients.map(label).join(", ")} connect without one, so the server would refuse them; turn "Verify clients" off, or give every client a certificate in an Existing Nix file`,
      { nodeId: verifier.node.id, field: "verify" },
    ),
  ];
}

/**
 * NixOS's own assertions refuse a host without a root file system or a boot loader; say so on
 * the instance node, with what the person can add, before a deployment fails on the machine.
 */
function unbootable(view: InstanceView): Diagnostic[] {
  const host = view.members.find((m) => m.kind.role === "instance");
  const facts = view.members.map((m) => m.kind.boots?.(m.config) ?? {});
  const place = host ? { nodeId: host.node.id } : {};
  const out: Diagnostic[] = [];
  if (!facts.some((f) => f.rootFileSystem)) {
    out.push(error(
      "E_NO_ROOT_FS",
      `instance ${view.hostId} has no root file system (fileSystems."/"), and NixOS refuses to build a host without one; connect an Existing Nix file node holding this machine's hardware-configuration.nix (nixos-generate-config --show-hardware-config prints it), or a Hardware node with its "Root device"`,
      place,
    ));
  }
  if (!facts.some((f) => f.bootLoader)) {
    out.push(error(
      "E_NO_BOOT_LOADER",
      `instance ${view.hostId} has no boot loader, and NixOS refuses to build a host without one (GRUB is on by default and asks for boot.loader.grub.devices); connect a Hardware node with its "Boot loader" (systemd-boot for UEFI, GRUB with a device for BIOS), or an Existing Nix file node that sets boot.loader`,
      place,
    ));
  }
  return out;
}

/** A node decrypting with the SSH host key on a host where nothing starts sshd, which makes it. */
function missingSshHostKey(view: InstanceView): Diagnostic[] {
  const uses = view.members.map((m) => [m, m.kind.sshHostKey?.(m.config)] as const);
  if (uses.some(([, u]) => u && "makes" in u)) return [];
  return uses.flatMap(([m, u]) =>
    u && "reads" in u
      ? [warning(
          "W_NO_SSH_HOST_KEY",
          `${label(m)} decrypts with the host's SSH key /etc/ssh/ssh_host_ed25519_key, which sshd makes on its first start, and nothing in instance ${view.hostId} turns openssh on, so there will be no key and no secret; connect a Security hardening node (it enables openssh), or choose the age key file source`,
          { nodeId: m.node.id, field: u.reads },
        )]
      : [],
  );
}

const SECRET_PATH = /\/run\/(agenix|secrets)\/([A-Za-z0-9._-]+)/g;

/** Paths such as /run/agenix/<name> that no `secrets` entry of the instance provides. */
function missingSecrets(view: InstanceView): Diagnostic[] {
  const provided = new Set(view.members.flatMap((m) => m.kind.providedSecrets?.(m.config) ?? []));
  const out: Diagnostic[] = [];
  for (const m of view.members) {
    eachString(m.config, [], (at, text) => {
      // matchAll copies the expression on every call, and few strings mention /run/ at all.
      if (!text.includes("/run/")) return;
      for (const match of text.matchAll(SECRET_PATH)) {
        const name = match[2]!;
        if (!provided.has(name)) {
          out.push(warning("W_SECRET_MISSING", `${match[0]} is not provided by any secrets entry of instance ${view.hostId}; add a secrets node with an entry named ${name}`, { nodeId: m.node.id, field: fieldOf(at) }));
        }
      }
    });
  }
  return out;
}

// A callback rather than a generator: it runs over every string of every node, and nested
// generators are several times slower. The path is one array, pushed and popped, and made a
// field name only for a string that is reported. `for … in` rather than `Object.keys`: no array
// per object (a checked config is plain data, with nothing enumerable inherited).
function eachString(value: unknown, at: (string | number)[], visit: (at: readonly (string | number)[], text: string) => void): void {
  if (typeof value === "string") visit(at, value);
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      at.push(i);
      eachString(value[i], at, visit);
      at.pop();
    }
  } else if (typeof value === "object" && value !== null) {
    for (const k in value) {
      at.push(k);
      eachString((value as Record<string, unknown>)[k], at, visit);
      at.pop();
    }
  }
}

/** `users[0].password` */
const fieldOf = (at: readonly (string | number)[]): string =>
  at.reduce<string>((field, step) => (typeof step === "number" ? `${field}[${step}]` : field ? `${field}.${step}` : step), "");

function unparsableImports(view: InstanceView, parseNix: NixSyntaxCheck): Diagnostic[] {
  return view.members.flatMap((m) =>
    (m.kind.importedNix?.(m.config) ?? []).flatMap((file) => {
      const problem = parseNix(file.source);
      if (!problem) return [];
      return [error("E_NIX_IMPORT_PARSE", `${file.name} does not parse at line ${problem.line}, column ${problem.column}: ${problem.message}`, { nodeId: m.node.id, field: file.field })];
    }),
  );
}
