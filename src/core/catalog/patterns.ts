import type { Pattern } from "./fields";

/**
 * Patterns shared by several kinds. Names that become Nix attributes, systemd units, host names
 * or file names are held to what all of those accept, so a name can never carry code or a path.
 */

export const HOST_ID: Pattern = {
  source: "[a-z][a-z0-9-]{0,62}",
  hint: "lower-case letters, digits and '-', starting with a letter (at most 63), e.g. cim-prod-001",
};

export const UNIT_NAME: Pattern = {
  source: "[a-zA-Z_][a-zA-Z0-9_-]{0,63}",
  hint: "letters, digits, '_' and '-', starting with a letter or '_' (it becomes a systemd unit and a Nix attribute)",
};

export const SECRET_NAME: Pattern = {
  source: "[A-Za-z0-9_][A-Za-z0-9._-]{0,127}",
  hint: "letters, digits, '.', '_' and '-', not starting with '.'",
};

export const NIX_FILE_NAME: Pattern = {
  source: "[A-Za-z0-9_][A-Za-z0-9._-]{0,127}\\.nix",
  hint: "a file name ending in .nix, without '/' (e.g. hardware-configuration.nix)",
};

export const PACKAGE_ATTR: Pattern = {
  source: "[a-zA-Z_][a-zA-Z0-9_'-]*(\\.[a-zA-Z_][a-zA-Z0-9_'-]*)*",
  hint: "a nixpkgs attribute path such as htop or python3Packages.numpy",
};

export const ABSOLUTE_PATH: Pattern = {
  source: "/[^\\s]*",
  hint: "an absolute path without spaces, e.g. /run/secrets/nats-leaf.creds",
};

export const SIZE: Pattern = {
  source: "[0-9]+(B|KB|MB|GB|TB)",
  hint: "a whole number with a unit B, KB, MB, GB or TB (powers of 1024), e.g. 8MB",
};

export const DURATION: Pattern = {
  source: "[0-9]+(s|m|h|d)",
  hint: "a whole number with a unit s, m, h or d, e.g. 30m",
};

export const NATS_URL: Pattern = {
  source: "(nats|tls|ws|wss)://[^\\s/]+(:[0-9]{1,5})?",
  hint: "a NATS URL such as nats://hub.example.com:7422",
};

export const IPV4: Pattern = {
  source: "((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])",
  hint: "an IPv4 address such as 10.0.0.10",
};

export const CIDR: Pattern = {
  source: `${IPV4.source}/([0-9]|[12][0-9]|3[0-2])`,
  hint: "an IPv4 network such as 10.0.0.0/8",
};

export const INTERFACE_NAME: Pattern = {
  source: "[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,14}",
  hint: "a network interface name such as eth0 (at most 15 characters)",
};

export const NATS_SUBJECT: Pattern = {
  source: "[^\\s]+",
  hint: "a NATS subject without spaces, e.g. agent.>",
};

const compiled = new Map<string, RegExp>();

/** Whether the whole of `value` matches; compiled once per pattern. */
export function matches(pattern: Pattern, value: string): boolean {
  let re = compiled.get(pattern.source);
  if (!re) {
    re = new RegExp(`^(?:${pattern.source})$`, "u");
    compiled.set(pattern.source, re);
  }
  return re.test(value);
}

/** Size strings as NATS takes them: bytes, with units in powers of 1024. */
export function sizeInBytes(size: string): number {
  const m = /^([0-9]+)(B|KB|MB|GB|TB)$/.exec(size);
  if (!m) return 0;
  const power = ["B", "KB", "MB", "GB", "TB"].indexOf(m[2] ?? "B");
  return Number(m[1]) * 1024 ** power;
}
