import { parser } from "@replit/codemirror-lang-nix";
import type { NixSyntaxCheck } from "../../core/validate";

/**
 * The browser's check of imported Nix files (the CLI uses `nix-instantiate --parse`): the
 * Lezer grammar that also highlights the editor. It reports the first place the grammar had to
 * recover from, as Nix would report the first syntax error.
 */
export const checkNixSyntax: NixSyntaxCheck = (source) => {
  let at = -1;
  parser.parse(source).iterate({
    enter: (node) => {
      if (at >= 0) return false;
      if (node.type.isError) at = node.from;
      return undefined;
    },
  });
  if (at < 0) return null;
  const lineStart = source.lastIndexOf("\n", at - 1) + 1;
  const line = source.slice(0, at).split("\n").length;
  const token = /^\S{1,20}/.exec(source.slice(at))?.[0];
  return { line, column: at - lineStart + 1, message: token ? `unexpected ${JSON.stringify(token)}` : "unexpected end of file" };
};
