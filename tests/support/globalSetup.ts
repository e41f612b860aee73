import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

// Integration tests run the real CLI; make sure it is built from the current sources even
// when vitest is run on its own rather than through `npm test` (which builds first).
export default function setup(): void {
  const root = new URL("../..", import.meta.url).pathname;
  execFileSync(process.execPath, [join(root, "scripts/build-cli.mjs")], { cwd: root, stdio: "inherit" });
  if (!existsSync(join(root, "dist/web/index.html"))) execFileSync("npx", ["vite", "build"], { cwd: root, stdio: "inherit" });
}
