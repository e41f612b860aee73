import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import type { FlakeFiles } from "../../core/compile";
import { parseDesign } from "../../core/design/load";
import type { Design } from "../../core/design/types";
import type { Diagnostic } from "../../core/validate/diagnostic";
import { messageOf } from "../../core/errors";
import { LOCK_FILE, lockedInputs } from "../../core/compile/lock";
import { designInstances } from "../../core/design/instances";
import { DESIGN_FILE } from "../../core/compile/paths";

/** The exported flake as a .zip, the files at its root (`unzip` gives a flake directory). */
export const flakeZip = (files: FlakeFiles): Uint8Array =>
  zipSync(Object.fromEntries(Object.entries(files).map(([path, text]) => [path, strToU8(text)])), { level: 6, mtime: new Date(1980, 0, 1) });

export type ImportResult = { readonly ok: true; readonly design: Design } | { readonly ok: false; readonly problems: readonly string[] };

const isZip = (bytes: Uint8Array) => bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

const where = (d: Diagnostic) => (d.path ? `${d.path}: ` : "");

/**
 * Reads what a person chose to import: a design file (JSON) or a flake exported by Alchemist
 * (.zip with `alchemist.json`). A file that is neither, or does not hold a readable design,
 * is refused with the reasons, each naming its place in the file.
 */
export function readImport(fileName: string, bytes: Uint8Array): ImportResult {
  let text: string;
  let lock: string | undefined;
  if (isZip(bytes)) {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(bytes);
    } catch (e) {
      return { ok: false, problems: [`${fileName} looks like a .zip but cannot be unpacked (${messageOf(e)}).`] };
    }
    // At the root, or in one folder (a zipped flake directory).
    const inner = Object.keys(entries).find((p) => {
      const slash = p.indexOf("/");
      return p === DESIGN_FILE || (slash > 0 && p.slice(slash + 1) === DESIGN_FILE);
    });
    if (!inner) return { ok: false, problems: [`${fileName} has no alchemist.json: only flakes exported by Alchemist can be opened.`] };
    text = strFromU8(entries[inner]!);
    const lockPath = inner.slice(0, -DESIGN_FILE.length) + LOCK_FILE;
    if (Object.hasOwn(entries, lockPath)) lock = strFromU8(entries[lockPath]!);
  } else {
    text = new TextDecoder().decode(bytes);
  }
  const { design, diagnostics } = parseDesign(text);
  if (design && lock !== undefined) return withFlakeLock(fileName, design, lock);
  if (design) return { ok: true, design };
  const problems = diagnostics.map((d) => `${where(d)}${d.message}`);
  if (!isZip(bytes) && diagnostics.some((d) => d.code === "E_DESIGN_JSON")) {
    return { ok: false, problems: [`${fileName} is neither a design file (JSON) nor an exported flake (.zip).`, ...problems] };
  }
  return { ok: false, problems };
}

/** The flake's lock pins every instance built from it, as `nixos-rebuild --flake` would use it for any of its hosts. */
function withFlakeLock(fileName: string, design: Design, lock: string): ImportResult {
  const read = lockedInputs(lock);
  if (!read.ok) return { ok: false, problems: [`${fileName}: ${read.error.message}; remove flake.lock from the .zip to open the design without its pins.`] };
  return { ok: true, design: { ...design, locks: Object.fromEntries(designInstances(design.nodes, design.edges).map((i) => [i.hostId, lock])) } };
}

/** A file name from a design name: what a person would type, nothing a shell trips on. */
export const fileStem = (name: string): string => name.trim().toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "design";
