import { defineKind } from "../kind";
import { text } from "../fields";
import { NIX_FILE_NAME } from "../patterns";
import { SETTINGS_ONLY } from "../builds-on";

/** The Nix source without its comments, so a commented-out line sets nothing. */
const withoutComments = (source: string): string => source.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/#.*$/gm, "");

// What nixos-generate-config and hand-written configurations write, in either attribute style:
// `fileSystems."/" = …`, `fileSystems = { "/" = …; }`; `boot.loader.systemd-boot.enable`,
// `boot.loader = { grub.device = …; }`, `boot = { loader.grub… }`.
const mounts = (mountPoint: string) => new RegExp(`fileSystems\\s*(\\.\\s*"${mountPoint}"|=\\s*\\{[\\s\\S]*?"${mountPoint}"\\s*[=.])`);
const ROOT_FS = mounts("/");
const BOOT_FS = mounts("/boot");
const BOOT_LOADER = /loader\s*(\.\s*|=\s*\{[\s\S]*?)(systemd-boot|grub|generic-extlinux-compatible|refind|limine)\s*[.=]/;
const CONTAINER = /isContainer\s*=\s*true/;
// `services.openssh.enable = true`, `openssh = { enable = true; … }`.
const OPENSSH = /openssh\s*(\.\s*|=\s*\{[\s\S]*?)enable\s*=\s*true/;

export const nixImport = defineKind({
  kind: "nix-import",
  label: "Existing Nix file",
  group: "Imports",
  role: "setting",
  help: "A NixOS module you already have (e.g. hardware-configuration.nix), kept byte for byte and imported by the host.",
  buildsOn: SETTINGS_ONLY,
  fields: {
    fileName: text({ label: "File name", help: "The name under hosts/<id>/imports/.", default: "hardware-configuration.nix", required: true, pattern: NIX_FILE_NAME }),
    content: text({ label: "Content", help: "The file's Nix source, kept verbatim.", input: "nix", required: true, placeholder: "{ config, lib, pkgs, ... }:\n{\n}" }),
  },
  claims: (c) => {
    const code = withoutComments(c.content);
    return [`imports/${c.fileName}`, ...(ROOT_FS.test(code) ? ['fileSystems."/"'] : []), ...(BOOT_FS.test(code) ? ['fileSystems."/boot"'] : [])];
  },
  // Read from the text: Alchemist has no Nix evaluator, and these are the lines people write.
  boots: (c) => {
    const code = withoutComments(c.content);
    const container = CONTAINER.test(code);
    return { rootFileSystem: container || ROOT_FS.test(code), bootLoader: container || BOOT_LOADER.test(code) };
  },
  sshHostKey: (c) => (OPENSSH.test(withoutComments(c.content)) ? { makes: true } : undefined),
  importedNix: (c) => [{ name: c.fileName, source: c.content, field: "content" }],
  emit: ({ config: c }) => ({ importedFiles: { [c.fileName]: c.content } }),
});
