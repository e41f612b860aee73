import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { SRC, resolveSpecifier, sourceTree, specifiersOf } from "../support/importGraph";

/**
 * The app's folders say their role (docs/app-structure.md), and their imports keep to it:
 * - `derive/` is pure: no React, no zustand, not the page's store, nothing that talks to the
 *   hub or draws;
 * - `hub/` talks to the hub and draws nothing (no .tsx, no component folder);
 * - `ui/` holds generic widgets: nothing of the app outside `ui/` (no store, no hub);
 * - `store/` is below everything that reads it: no hub, derivation or component.
 */

const APP = join(SRC, "app");
const COMPONENTS = ["deploy", "designs", "header", "notices", "output", "canvas", "inspector", "palette", "templates", "code"];

/** A folder's rule: what is wrong with one of its files, or with one import of it. */
type Rule = { folder: string; file?: (file: string) => string | undefined; import: (target: string | undefined, spec: string) => string | undefined };

const folderOf = (path: string): string | undefined => (path.startsWith(`${APP}/`) ? relative(APP, path).split("/")[0] : undefined);
const inFolders = (target: string | undefined, folders: readonly string[]): string | undefined => {
  const folder = target && folderOf(target);
  return folder && folders.includes(folder) ? `app/${folder}` : undefined;
};

const rules: Rule[] = [
  {
    folder: "derive",
    import: (target, spec) => {
      if (/^(react|react-dom|zustand|zundo|@xyflow\/|@nats-io\/)/.test(spec)) return "a UI or NATS library";
      if (target === join(APP, "store/index.ts")) return "the page's store";
      return inFolders(target, ["hub", ...COMPONENTS]);
    },
  },
  {
    folder: "hub",
    file: (file) => (file.endsWith(".tsx") ? "a component: hub/ draws nothing" : undefined),
    import: (target) => inFolders(target, COMPONENTS),
  },
  { folder: "ui", import: (target) => (target && folderOf(target) !== "ui" ? inFolders(target, [folderOf(target)!]) : undefined) },
  { folder: "store", import: (target) => inFolders(target, ["hub", "derive", ...COMPONENTS]) },
];

/** Where the files of a rule's folder break it (test files are held to it too). */
function violations(files: ReadonlyMap<string, string>, rule: Rule): string[] {
  return [...files].flatMap(([file, text]) => {
    if (folderOf(file) !== rule.folder) return [];
    const name = relative(APP, file);
    const own = rule.file?.(file);
    return [
      ...(own ? [`${name} is ${own}`] : []),
      ...specifiersOf(text).flatMap((spec) => {
        const why = rule.import(resolveSpecifier(files, file, spec), spec);
        return why ? [`${name} imports "${spec}" (${why})`] : [];
      }),
    ];
  });
}

describe("the app's folders keep to their role", () => {
  const files = sourceTree(APP);
  for (const rule of rules) {
    it(`app/${rule.folder} imports only what its role allows`, () => {
      expect(violations(files, rule)).toEqual([]);
    });
  }

  it("the rules catch a derivation reading the page's store or drawing, a widget reading the store, and a component in hub/", () => {
    const at = (path: string) => join(APP, path);
    const files = new Map([
      [at("store/index.ts"), "export const useAppStore = 1;"],
      [at("deploy/DeployBar.tsx"), "export const DeployBar = 1;"],
      [at("derive/bad.ts"), `import { useAppStore } from "../store";\nimport { DeployBar } from "../deploy/DeployBar";\nimport { useState } from "react";`],
      [at("ui/Bad.tsx"), `import { useAppStore } from "../store";`],
      [at("hub/Bad.tsx"), `import { useAppStore } from "../store";`],
      [at("store/bad.ts"), `import { DeployBar } from "../deploy/DeployBar";`],
    ]);
    expect(rules.flatMap((r) => violations(files, r))).toEqual([
      `derive/bad.ts imports "../store" (the page's store)`,
      `derive/bad.ts imports "../deploy/DeployBar" (app/deploy)`,
      `derive/bad.ts imports "react" (a UI or NATS library)`,
      "hub/Bad.tsx is a component: hub/ draws nothing",
      `ui/Bad.tsx imports "../store" (app/store)`,
      `store/bad.ts imports "../deploy/DeployBar" (app/deploy)`,
    ]);
  });
});
