import { createHash } from "node:crypto";
import { err, type AlchemistError } from "../core/errors";
import type { Sha256Hex } from "../core/hash";
import { DESIGN_FILE } from "../core/compile/paths";

/** node:crypto's SHA-256, a few dozen times the pure one's speed: for whatever runs on Node. */
export const nativeSha256Hex: Sha256Hex = (text) => `sha256-${createHash("sha256").update(text, "utf8").digest("hex")}`;

/**
 * Why a deploy's designHash cannot be recorded: the summary and the history show it as the
 * design deployed, so it must be that of the alchemist.json among the files. Files without one
 * (not the compiler's) leave it unchecked, as nothing can tell it wrong.
 */
export function designHashProblem(files: Readonly<Record<string, string>>, designHash: string): AlchemistError | undefined {
  if (!Object.hasOwn(files, DESIGN_FILE)) return undefined;
  const actual = nativeSha256Hex(files[DESIGN_FILE]!);
  if (actual === designHash) return undefined;
  return err("E_CMD_FIELD", `designHash is ${designHash}, but the ${DESIGN_FILE} sent with it hashes to ${actual}; send the designHash the compiler gave for these files`);
}
