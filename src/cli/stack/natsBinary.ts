import { spawnSync } from "node:child_process";
import { AlchemistFailure, err } from "../../core/errors";
import { which } from "../../executor/which";

const INSTALL_HINT = "install the Debian package: sudo apt-get install nats-server (or pass --nats-server /path/to/nats-server)";

/**
 * Finds nats-server. When it is missing and we are root on a Debian-like system, installs the
 * Debian package, because the first command of the README promises a working stack on a fresh
 * machine; anywhere else it says exactly what to install.
 */
export function resolveNatsServer(opts: { explicit?: string; allowInstall: boolean; log: (line: string) => void }): string {
  if (opts.explicit) {
    const explicit = which(opts.explicit);
    if (explicit) return explicit;
    throw new AlchemistFailure(err("E_NATS_MISSING", `nats-server not found at ${opts.explicit} (--nats-server); ${INSTALL_HINT}`));
  }
  const found = which("nats-server");
  if (found) return found;
  const aptGet = which("apt-get");
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!opts.allowInstall || !aptGet || !isRoot) {
    throw new AlchemistFailure(err("E_NATS_MISSING", `nats-server is not on PATH; ${INSTALL_HINT}`));
  }
  opts.log("nats-server is missing: installing the Debian package nats-server (apt-get)…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync(aptGet, ["update"], { stdio: "ignore", env });
  const install = spawnSync(aptGet, ["install", "-y", "--no-install-recommends", "nats-server"], { stdio: "inherit", env });
  const installed = which("nats-server") ?? which("/usr/bin/nats-server");
  if (install.status !== 0 || !installed) {
    throw new AlchemistFailure(err("E_NATS_MISSING", `apt-get could not install nats-server (exit ${install.status}); ${INSTALL_HINT}`));
  }
  return installed;
}
