import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { spawnSync } from "node:child_process";
import { AlchemistFailure, err } from "../../core/errors";

export function findOnPath(name: string, pathEnv = process.env.PATH ?? ""): string | undefined {
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const INSTALL_HINT = "install the Debian package: sudo apt-get install nats-server (or pass --nats-server /path/to/nats-server)";

/**
 * Finds nats-server. When it is missing and we are root on a Debian-like system, installs the
 * Debian package, because the first command of the README promises a working stack on a fresh
 * machine; anywhere else it says exactly what to install.
 */
export function resolveNatsServer(opts: { explicit?: string; allowInstall: boolean; log: (line: string) => void }): string {
  if (opts.explicit) {
    if (isExecutable(opts.explicit)) return opts.explicit;
    throw new AlchemistFailure(err("E_NATS_MISSING", `nats-server not found at ${opts.explicit} (--nats-server); ${INSTALL_HINT}`));
  }
  const found = findOnPath("nats-server");
  if (found) return found;
  const aptGet = findOnPath("apt-get");
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!opts.allowInstall || !aptGet || !isRoot) {
    throw new AlchemistFailure(err("E_NATS_MISSING", `nats-server is not on PATH; ${INSTALL_HINT}`));
  }
  opts.log("nats-server is missing: installing the Debian package nats-server (apt-get)…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync(aptGet, ["update"], { stdio: "ignore", env });
  const install = spawnSync(aptGet, ["install", "-y", "--no-install-recommends", "nats-server"], { stdio: "inherit", env });
  const installed = findOnPath("nats-server") ?? (isExecutable("/usr/bin/nats-server") ? "/usr/bin/nats-server" : undefined);
  if (install.status !== 0 || !installed) {
    throw new AlchemistFailure(err("E_NATS_MISSING", `apt-get could not install nats-server (exit ${install.status}); ${INSTALL_HINT}`));
  }
  return installed;
}
