// README command 1: set everything up, then run `alchemist up` (arguments are passed on).
import { spawn } from "node:child_process";
import { build, ensureNodeModules, ensureSystemPackages } from "./setup.mjs";

ensureSystemPackages(["nats-server"]);
ensureNodeModules();
build();
const child = spawn(process.execPath, [new URL("../bin/alchemist.mjs", import.meta.url).pathname, "up", ...process.argv.slice(2)], {
  stdio: "inherit",
});
// The stack handles Ctrl-C itself; this process only waits for it to finish.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
