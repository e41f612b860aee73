import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { KINDS } from "../../src/core/catalog/registry";
import { compile, type FlakeFiles } from "../../src/core/compile";
import { parseDesign } from "../../src/core/design/load";
import type { Design } from "../../src/core/design/types";
import { validate } from "../../src/core/validate";
import type { Diagnostic } from "../../src/core/validate/diagnostic";
import { withHardware } from "../support/hardware";
import { evalModuleWithStub } from "../support/nix";
import { build } from "../support/designBuilder";

// What a host needs before NixOS 24.11 builds it and its services work on a real machine
// (issue 11, points 1, 4, 5 and 12). Each host is compiled, then evaluated with modules/cim.nix
// against the module-system stub as a whole system, so the NixOS assertions the stub carries
// (root file system, boot loader, key sources, NVIDIA, unfree packages) fail the test where
// NixOS would fail the build.

const root = mkdtempSync(join(tmpdir(), "alchemist-nixos-hosts-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let flakes = 0;

function compiled(design: Design): FlakeFiles {
  const { files, diagnostics } = compile(design);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return files;
}

/** The host's evaluated config, or the evaluation's error. */
function evaluate(design: Design, hostId = "h"): Record<string, any> {
  const dir = join(root, `flake-${flakes++}`);
  for (const [path, text] of Object.entries(compiled(design))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  // Encrypted secrets live beside the flake; evaluating their paths needs the files.
  mkdirSync(join(dir, "secrets"), { recursive: true });
  for (const file of ["a.creds", "b.yaml", "c.age", "borg-passphrase.age", "borg-ssh-key.age", "nats-leaf.creds.age"]) writeFileSync(join(dir, "secrets", file), "");
  return evalModuleWithStub([{ file: join(dir, "modules/cim.nix") }, { file: join(dir, "hosts", hostId, "default.nix") }], { nixos: true, pkgs: domainPackages });
}

// modules/cim.nix picks each domain's package by name, which the stub cannot see in the text.
const domainPackages = KINDS.flatMap((k) => (k.domain ? [`cim-${k.domain.name}-domain`] : []));

const codes = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.severity} ${d.code} ${d.nodeId ?? "-"} ${d.field ?? "-"}`);
const host = build({ h: ["cim-instance", { id: "h" }] });
const hostWith = (nodes: Parameters<typeof build>[0]) =>
  build({ h: ["cim-instance", { id: "h" }], ...nodes }, Object.keys(nodes).map((id) => [id, "h"] as const));

const HARDWARE_FILE = `{ config, lib, modulesPath, ... }:
{
  imports = [ (modulesPath + "/installer/scan/not-detected.nix") ];
  boot.initrd.availableKernelModules = [ "nvme" "xhci_pci" ];
  # boot.loader.grub.device = "/dev/sda";
  fileSystems."/" = { device = "/dev/disk/by-uuid/0b1c"; fsType = "ext4"; };
  hardware.cpu.amd.updateMicrocode = lib.mkDefault config.hardware.enableRedistributableFirmware;
}
`;

describe("point 1: a host without a root file system or a boot loader", () => {
  it("is an error on the instance node that names what to add", () => {
    const ds = validate(host);
    expect(codes(ds)).toEqual(["error E_NO_BOOT_LOADER h -", "error E_NO_ROOT_FS h -"]);
    expect(ds.find((d) => d.code === "E_NO_ROOT_FS")?.message).toMatch(/Existing Nix file node holding this machine's hardware-configuration\.nix.*Hardware node with its "Root device"/);
    expect(ds.find((d) => d.code === "E_NO_BOOT_LOADER")?.message).toMatch(/Hardware node with its "Boot loader"/);
  });

  it("fails NixOS's own assertions in the stub, as it would on the machine", () => {
    const dir = join(root, "bare");
    mkdirSync(dir);
    writeFileSync(join(dir, "host.nix"), "{ ... }: { networking.hostName = \"h\"; }\n");
    expect(() => evalModuleWithStub({ file: join(dir, "host.nix") }, { nixos: true })).toThrow(/does not specify your root file system[\s\S]*boot\.loader\.grub\.devices/);
  });

  it("is met by a Hardware node, which the host evaluates with", () => {
    const design = hostWith({ hw: ["hardware", { rootDevice: "/dev/disk/by-label/nixos", rootFsType: "xfs", bootDevice: "/dev/disk/by-label/boot", initrdModules: ["nvme"] }] });
    expect(codes(validate(design))).toEqual([]);
    const config = evaluate(design);
    expect(config.fileSystems["/"]).toEqual({ device: "/dev/disk/by-label/nixos", fsType: "xfs" });
    expect(config.fileSystems["/boot"]).toMatchObject({ device: "/dev/disk/by-label/boot", fsType: "vfat" });
    expect(config.boot.loader).toEqual({ efi: { canTouchEfiVariables: true }, "systemd-boot": { enable: true } });
    expect(config.boot.initrd.availableKernelModules).toEqual(["nvme"]);
  });

  it("with GRUB, needs the GRUB device", () => {
    const grub = (grubDevice: string) => hostWith({ hw: ["hardware", { rootDevice: "/dev/sda1", bootLoader: "grub", grubDevice }] });
    expect(codes(validate(grub("")))).toEqual(["error E_FIELD hw grubDevice"]);
    expect(evaluate(grub("/dev/sda")).boot.loader.grub).toEqual({ device: "/dev/sda", enable: true });
  });

  it("an imported hardware-configuration.nix gives what its text sets, commented lines not", () => {
    const imported = hostWith({ hw: ["nix-import", { content: HARDWARE_FILE }] });
    expect(codes(validate(imported))).toEqual(["error E_NO_BOOT_LOADER h -"]);
    const both = build(
      { h: ["cim-instance", { id: "h" }], hw: ["nix-import", { content: HARDWARE_FILE }], boot: ["hardware", { bootLoader: "grub", grubDevice: "/dev/nvme0n1" }] },
      [["hw", "h"], ["boot", "h"]],
    );
    expect(codes(validate(both))).toEqual([]);
    // The stub follows the file's modulesPath import, as NixOS does.
    expect(evaluate(both).fileSystems["/"].device).toBe("/dev/disk/by-uuid/0b1c");
  });

  it("two nodes giving the root file system conflict", () => {
    const design = build(
      { h: ["cim-instance", { id: "h" }], a: ["nix-import", { content: HARDWARE_FILE }], b: ["hardware", { rootDevice: "/dev/sdb1" }] },
      [["a", "h"], ["b", "h"]],
    );
    expect(codes(validate(design))).toContain("error E_OPTION_CONFLICT b -");
  });

  it("templates: no errors; each without a hardware file has a placeholder Hardware node the problems list names", () => {
    for (const file of readdirSync("templates").filter((f) => f.endsWith(".json"))) {
      const design = parseDesign(readFileSync(`templates/${file}`, "utf8")).design!;
      const ds = validate(design);
      expect(ds.filter((d) => d.severity === "error"), file).toEqual([]);
      const imports = design.nodes.some((n) => n.kind === "nix-import");
      const placeholder = ds.filter((d) => d.code === "W_FIELD" && d.field === "placeholder");
      expect(placeholder.length, file).toBe(imports ? 0 : 1);
      if (!imports) expect(placeholder[0]!.message).toMatch(/placeholder values, not this machine's disks/);
    }
  });
});

describe("point 4: Ollama with CUDA", () => {
  const cuda = (extra: Record<string, unknown> = {}) => withHardware(hostWith({ o: ["ollama", { acceleration: "cuda", ...extra }] }));

  it("allows the unfree CUDA packages and installs the NVIDIA driver, which NixOS then evaluates", () => {
    const config = evaluate(cuda());
    expect(config.nixpkgs.config.allowUnfree).toBe(true);
    expect(config.services.xserver.videoDrivers).toEqual(["nvidia"]);
    expect(config.hardware.nvidia).toEqual({ nvidiaSettings: false, open: true });
    expect(config.hardware.graphics.enable).toBe(true);
    expect(evaluate(cuda({ nvidiaOpen: false })).hardware.nvidia.open).toBe(false);
  });

  it("without CUDA, nothing of it", () => {
    const config = evaluate(withHardware(hostWith({ o: ["ollama", {}] })));
    expect([config.nixpkgs.config, config.services.xserver, config.hardware]).toEqual([undefined, undefined, undefined]);
  });

  it("the stub refuses CUDA without unfree packages allowed, and the driver without `open`", () => {
    const dir = join(root, "cuda");
    mkdirSync(dir);
    const module = (body: string) => {
      writeFileSync(join(dir, "m.nix"), `{ lib, ... }: { fileSystems."/".device = "/dev/x"; boot.loader.systemd-boot.enable = true; ${body} }`);
      return () => evalModuleWithStub({ file: join(dir, "m.nix") }, { nixos: true });
    };
    expect(module('services.ollama = { enable = true; acceleration = "cuda"; };')).toThrow(/unfree license/);
    expect(module('services.ollama = { enable = true; acceleration = "cuda"; }; nixpkgs.config.allowUnfreePredicate = p: builtins.elem (lib.getName p) [ "cuda_cudart" "libcublas" "cuda_cccl" "cuda_nvcc" ];')).not.toThrow();
    expect(module('services.xserver.videoDrivers = [ "nvidia" ]; nixpkgs.config.allowUnfree = true;')).toThrow(/hardware\.nvidia\.open/);
  });
});

describe("point 5: secrets have a key source; sops reads raw files as binary", () => {
  const entries = [{ name: "a.creds", file: "a.creds" }, { name: "b", file: "b.yaml" }];

  it("sops: the host's SSH key, or an age key file; .creds binary, .yaml YAML", () => {
    const sops = (extra: Record<string, unknown>) => evaluate(withHardware(hostWith({ s: ["secrets", { backend: "sops", entries, ...extra }] }))).sops;
    const byHostKey = sops({});
    expect(byHostKey.age).toEqual({ sshKeyPaths: ["/etc/ssh/ssh_host_ed25519_key"] });
    expect(byHostKey.secrets["a.creds"].format).toBe("binary");
    expect(byHostKey.secrets.b.format).toBe("yaml");
    expect(sops({ keySource: "age-key-file", ageKeyFile: "/var/lib/sops/key.txt" }).age).toEqual({ keyFile: "/var/lib/sops/key.txt" });
    expect(sops({ entries: [{ name: "b", file: "b.yaml", format: "binary" }] }).secrets.b.format).toBe("binary");
  });

  it("agenix: identityPaths, so a host without openssh still decrypts", () => {
    const age = evaluate(withHardware(hostWith({ s: ["secrets", { entries: [{ name: "c", file: "c.age" }] }] }))).age;
    expect(age.identityPaths).toEqual(["/etc/ssh/ssh_host_ed25519_key"]);
  });

  it("the stub fails as sops-nix and agenix do without one", () => {
    const dir = join(root, "keys");
    mkdirSync(dir);
    const module = (body: string) => {
      writeFileSync(join(dir, "m.nix"), `{ ... }: { fileSystems."/".device = "/dev/x"; boot.loader.systemd-boot.enable = true; ${body} }`);
      return () => evalModuleWithStub({ file: join(dir, "m.nix") }, { nixos: true });
    };
    expect(module('sops.secrets.x.format = "binary";')).toThrow(/No key source configured for sops/);
    expect(module('sops.secrets.x.format = "binary"; services.openssh.enable = true;')).not.toThrow();
    expect(module('age.secrets.x.mode = "0400";')).toThrow(/age\.identityPaths must be set/);
  });
});

describe("point 12: interface names, Neo4j's Bolt TLS, Qdrant's data, Borg over SSH", () => {
  it("eth0 under predictable interface names is a warning; turning them off is emitted", () => {
    const net = (extra: Record<string, unknown>) => withHardware(hostWith({ n: ["network", { useDHCP: false, interfaces: [{ name: "eth0", address: "10.0.0.10" }], ...extra }] }));
    expect(codes(validate(net({})))).toEqual(["warning W_FIELD n interfaces[0].name"]);
    expect(codes(validate(net({ predictableNames: false })))).toEqual([]);
    expect(evaluate(net({ predictableNames: false })).networking.usePredictableInterfaceNames).toBe(false);
  });

  it("Neo4j on localhost: Bolt TLS DISABLED, not the module's OPTIONAL; TLS asks for its certificate", () => {
    expect(evaluate(withHardware(hostWith({ db: ["neo4j", {}] }))).services.neo4j.bolt).toEqual({ enable: true, tlsLevel: "DISABLED" });
    expect(codes(validate(withHardware(hostWith({ db: ["neo4j", { boltTls: "REQUIRED" }] }))))).toEqual(["warning W_FIELD db boltTls"]);
  });

  it("Qdrant's data is backed up where DynamicUser keeps it, not through the symlink", () => {
    const design = withHardware(build({ h: ["cim-instance", { id: "h" }], q: ["qdrant"], b: ["backup", { repo: "/mnt/backup" }] }, [["q", "b"], ["b", "h"]]));
    const paths = evaluate(design).services.borgbackup.jobs.cim.paths;
    expect(paths).toContain("/var/lib/private/qdrant");
    expect(paths).not.toContain("/var/lib/qdrant");
  });

  it("an SSH repository gets its key (BORG_RSH) and its known host; without them, warnings", () => {
    const borg = (extra: Record<string, unknown>) => withHardware(hostWith({ b: ["backup", { repo: "ssh://borg@backup.example.com:2222/./cim", ...extra }] }));
    expect(codes(validate(borg({})))).toEqual(["warning W_FIELD b hostKey", "warning W_FIELD b sshKeyFile"]);
    const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
    const config = evaluate(borg({ sshKeyFile: "/run/keys/borg", hostKey: key }));
    expect(config.services.borgbackup.jobs.cim.environment).toEqual({ BORG_RSH: "ssh -i /run/keys/borg" });
    expect(config.programs.ssh.knownHosts["borg-repository"]).toEqual({ hostNames: ["[backup.example.com]:2222"], publicKey: key });
    expect(codes(validate(withHardware(hostWith({ b: ["backup", { repo: "borg@backup.example.com:cim" }] }))))).toHaveLength(2);
    expect(codes(validate(withHardware(hostWith({ b: ["backup", { repo: "/mnt/backup" }] }))))).toEqual([]);
  });
});
