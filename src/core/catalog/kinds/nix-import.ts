import { defineKind } from "../kind";
import { text } from "../fields";
import { NIX_FILE_NAME } from "../patterns";
import { SETTINGS_ONLY } from "../builds-on";

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
  claims: (c) => [`imports/${c.fileName}`],
  importedNix: (c) => [{ name: c.fileName, source: c.content, field: "content" }],
  emit: ({ config: c }) => ({ importedFiles: { [c.fileName]: c.content } }),
});
