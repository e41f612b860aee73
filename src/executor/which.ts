import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The executable a name or path stands for: a path is taken as it is, a bare name is looked up on PATH. */
export function which(nameOrPath: string, pathEnv = process.env.PATH ?? ""): string | undefined {
  if (nameOrPath.includes("/")) return isExecutable(nameOrPath) ? nameOrPath : undefined;
  for (const dir of pathEnv.split(delimiter)) {
    if (dir && isExecutable(join(dir, nameOrPath))) return join(dir, nameOrPath);
  }
  return undefined;
}
