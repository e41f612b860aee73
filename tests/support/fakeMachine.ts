import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, readlinkSync, realpathSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { deployCommand } from "./commands";
import { REPO } from "./stack";

const INIT = join(REPO, "tests/fixtures/machine/init");

/** What the fake machine (tests/fixtures/machine/lib.sh) is on: the names of the systems, as store paths' last parts. */
export interface MachineState {
  /** The running system (/run/current-system). */
  running: string;
  /** What the boot loader boots. */
  boot: string;
  /** The system profile's current generation's number, and its system. */
  generation: number;
  profile: string;
  /** Every generation, oldest first: its number and its system. */
  generations: { n: number; system: string }[];
}

/**
 * The fake NixOS machine of an executor's control folder, made when first asked for, with the
 * settings that point an executor at it instead of the real /run/current-system and profile.
 */
export function fakeMachine(control: string) {
  const root = join(control, "machine");
  const profile = join(root, "nix/var/nix/profiles/system");
  const currentSystem = join(root, "run/current-system");
  const bootDefault = join(root, "boot/default");
  const bootId = join(root, "boot-id");
  execFileSync(INIT, { env: { ...process.env, FAKE_NIXOS_CONTROL: control } });
  const system = (link: string) => basename(realpathSync(link));
  return {
    root,
    env: { ALCHEMIST_CURRENT_SYSTEM: currentSystem, ALCHEMIST_SYSTEM_PROFILE: profile, ALCHEMIST_BOOT_ID: bootId },
    state(): MachineState {
      const generations = readdirSync(join(root, "nix/var/nix/profiles"))
        .map((name) => /^system-(\d+)-link$/.exec(name))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ n: Number(m[1]), system: system(join(root, "nix/var/nix/profiles", m[0])) }))
        .sort((a, b) => a.n - b.n);
      return {
        running: system(currentSystem),
        boot: system(bootDefault),
        generation: Number(/^system-(\d+)-link$/.exec(readlinkSync(profile))![1]),
        profile: system(profile),
        generations,
      };
    },
    /** A reboot: a new boot id, and the machine runs what its boot loader boots. */
    reboot(): void {
      writeFileSync(bootId, `boot-${Date.now()}\n`);
      const target = realpathSync(bootDefault);
      unlinkSync(currentSystem);
      symlinkSync(target, currentSystem);
    },
    /** The lines the fake tools appended to calls.log, in order. */
    calls(): string[] {
      const log = join(control, "calls.log");
      return existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
    },
  };
}

export type FakeMachine = ReturnType<typeof fakeMachine>;

/** A deploy command whose system is its own (one more file in its flake): on the fake machine it becomes a new generation. */
export function newSystemCommand(leafId: string, over: Record<string, unknown> = {}): ReturnType<typeof deployCommand> {
  const base = deployCommand(leafId, over);
  return { ...base, files: { ...(base.files as Record<string, string>), "variant.nix": `# the system of ${base.deploymentId}\n{ }\n` } };
}
