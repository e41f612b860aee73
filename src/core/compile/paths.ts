// Where a host's files stand in the flake: the compiler writes them there, a deploy command
// must hold the instance's module, and the app looks for it before deploying.

/** A host's folder in the flake: `hosts/<id>`. */
export const hostFolder = (hostId: string): string => `hosts/${hostId}`;

/** A host's module, the one file every host has: `hosts/<id>/default.nix`. */
export const hostModuleFile = (hostId: string): string => `${hostFolder(hostId)}/default.nix`;

/** A file the design imports, relative to its host's folder: `imports/<name>`. */
export const importedFile = (name: string): string => `imports/${name}`;

/** The design itself, at the flake's root: what a deploy's designHash is the hash of. */
export const DESIGN_FILE = "alchemist.json";
