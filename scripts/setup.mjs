// Set-up shared by `npm start` and `npm test`: the Debian packages the project needs, the npm
// packages (installed when missing or when package-lock.json changed since the last install),
// and a fresh build. It runs with Node only, before any dependency exists.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import { delimiter, join } from "node:path";

const root = new URL("..", import.meta.url).pathname;

function onPath(name) {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: root, ...opts });
  if (r.status !== 0) {
    console.error(`error E_CHILD_FAILED: ${cmd} ${args.join(" ")} exited with ${r.status ?? r.signal}`);
    process.exit(1);
  }
}

/** Debian packages, by the command each provides. */
export const SYSTEM_PACKAGES = { "nats-server": "nats-server", "nix-instantiate": "nix-bin", chromium: "chromium", jq: "jq", promtool: "prometheus", "systemd-tmpfiles": "systemd" };

export function ensureSystemPackages(commands) {
  const missing = commands.filter((c) => !onPath(c)).map((c) => SYSTEM_PACKAGES[c]);
  if (missing.length === 0) return;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !onPath("apt-get")) {
    console.error(`error E_NATS_MISSING: missing Debian packages: ${missing.join(" ")}; install them with: sudo apt-get install ${missing.join(" ")}`);
    process.exit(1);
  }
  console.log(`installing Debian packages: ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update"], { env });
  run("apt-get", ["install", "-y", "--no-install-recommends", ...missing], { env });
}

/**
 * npm keeps its own record of the last install in node_modules/.package-lock.json. Installed
 * again when that is missing, or older than package-lock.json and no longer what it lists (a
 * pull changed the dependencies). Not on age alone: a fresh clone's or a checkout's lock is
 * always newer, and `npm ci` empties node_modules first, a minute's work for nothing.
 */
export function ensureNodeModules() {
  const installed = join(root, "node_modules", ".package-lock.json");
  const lock = join(root, "package-lock.json");
  if (existsSync(installed) && (statSync(installed).mtimeMs >= statSync(lock).mtimeMs || installedAsLocked(installed, lock))) return;
  console.log("installing npm packages (npm ci)…");
  run("npm", ["ci", "--no-audit", "--no-fund"]);
}

/**
 * Every package the lock lists for this machine is installed at its version, and nothing else.
 * An optional package may be missing only when it is for another platform (esbuild's and
 * rolldown's native binaries, by os, cpu and libc) or depends on one: one for this platform is
 * what the build loads.
 */
function installedAsLocked(installedFile, lockFile) {
  try {
    const have = JSON.parse(readFileSync(installedFile, "utf8")).packages;
    const want = JSON.parse(readFileSync(lockFile, "utf8")).packages;
    // Only those that name a platform: an optional package that names none is there for another optional one.
    const libc = process.report?.getReport().header.glibcVersionRuntime ? "glibc" : "musl";
    const forHere = (p) => (p.os || p.cpu) && fits(p.os, process.platform) && fits(p.cpu, process.arch) && fits(p.libc, libc);
    const missing = Object.entries(want).some(([path, p]) => path !== "" && (!p.optional || forHere(p)) && (have[path]?.version !== p.version || have[path]?.integrity !== p.integrity));
    return !missing && Object.entries(have).every(([path, p]) => want[path]?.version === p.version);
  } catch {
    return false;
  }
}

/** npm's `os` / `cpu` lists: names allowed, or `!name` refused. */
function fits(list, value) {
  if (!Array.isArray(list) || list.length === 0) return true;
  if (list.includes(`!${value}`)) return false;
  const allowed = list.filter((x) => !x.startsWith("!"));
  return allowed.length === 0 || allowed.includes(value);
}

export function build() {
  run("npm", ["run", "--silent", "build"]);
}
