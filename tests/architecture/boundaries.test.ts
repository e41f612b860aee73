import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx|mts)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** Every module specifier a file imports, statically or dynamically, or re-exports from. */
export function importsOf(text: string): string[] {
  const specs: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"]*?\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g];
  for (const re of patterns) for (const m of text.matchAll(re)) specs.push(m[1]!);
  return specs;
}

const NODE_BUILTINS = new Set(["fs", "path", "os", "child_process", "net", "http", "https", "url", "util", "crypto", "stream", "events", "process", "buffer", "worker_threads", "zlib", "tty", "dns", "readline", "timers", "assert", "module", "vm", "perf_hooks"]);

type Rule = { layer: string; forbidden: (spec: string, target: string | undefined) => string | undefined };

const layerOf = (abs: string) => relative(join(ROOT, "src"), abs).split("/")[0];

/** What code shared by the browser, the CLI and the executor may not import. */
function runsAnywhere(spec: string, target: string | undefined): string | undefined {
  if (spec.startsWith("node:") || NODE_BUILTINS.has(spec.split("/")[0]!)) return "a Node API";
  if (/^(react|react-dom|@xyflow\/|zustand|zundo)/.test(spec)) return "React or UI state";
  if (/^@nats-io\/transport-node/.test(spec)) return "the Node NATS transport";
  if (target && ["app", "executor", "cli"].includes(layerOf(target)!)) return `src/${layerOf(target)}`;
  return undefined;
}

const rules: Rule[] = [
  { layer: "core", forbidden: runsAnywhere },
  // The operator's client of the protocol: the same code in the browser and in the CLI.
  { layer: "client", forbidden: runsAnywhere },
  { layer: "app", forbidden: (_s, target) => (target && ["executor", "cli"].includes(layerOf(target)!) ? `src/${layerOf(target)}` : undefined) },
  { layer: "executor", forbidden: (_s, target) => (target && ["app", "cli", "client"].includes(layerOf(target)!) ? `src/${layerOf(target)}` : undefined) },
  { layer: "cli", forbidden: (_s, target) => (target && layerOf(target) === "app" ? "src/app" : undefined) },
];

function violations(layer: string, rule: Rule): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(join(ROOT, "src", layer))) {
    const text = readFileSync(file, "utf8");
    for (const spec of importsOf(text)) {
      const target = spec.startsWith(".") ? resolve(dirname(file), spec) : undefined;
      const why = rule.forbidden(spec, target);
      if (why) out.push(`${relative(ROOT, file)} imports "${spec}" (${why})`);
    }
  }
  return out;
}

describe("layer boundaries", () => {
  for (const rule of rules) {
    it(`src/${rule.layer} imports only what its layer may`, () => {
      expect(violations(rule.layer, rule)).toEqual([]);
    });
  }

  it("the checker itself catches each kind of forbidden import", () => {
    const core = rules[0]!;
    const fakeCore = join(ROOT, "src/core/x.ts");
    const check = (spec: string) => core.forbidden(spec, spec.startsWith(".") ? resolve(dirname(fakeCore), spec) : undefined);
    expect(check("node:fs")).toBe("a Node API");
    expect(check("path")).toBe("a Node API");
    expect(check("react")).toBe("React or UI state");
    expect(check("../app/store")).toBe("src/app");
    expect(check("../executor/connection")).toBe("src/executor");
    expect(check("./graph")).toBeUndefined();
    expect(check("zod")).toBeUndefined();
    expect(rules[1]!.forbidden("../app/x", resolve(ROOT, "src/client", "../app/x"))).toBe("src/app");
    expect(rules[1]!.forbidden("node:fs", undefined)).toBe("a Node API");
    expect(rules[2]!.forbidden("../executor/x", resolve(ROOT, "src/app", "../executor/x"))).toBe("src/executor");
    expect(rules[3]!.forbidden("../app/x", resolve(ROOT, "src/executor", "../app/x"))).toBe("src/app");
    expect(rules[4]!.forbidden("../app/hub/x", resolve(ROOT, "src/cli", "../app/hub/x"))).toBe("src/app");
    expect(importsOf(`import a from "x";\nimport type { B } from 'y';\nexport * from "z";\nconst m = await import("w");\nimport "side";`)).toEqual(
      expect.arrayContaining(["x", "y", "z", "w", "side"]),
    );
  });
});

describe("src/core uses no DOM or Node globals (tsconfig.core.json: ES2023 lib, no types)", () => {
  function diagnostics(extraFile?: { name: string; text: string }): string[] {
    const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, "tsconfig.core.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const files = extraFile ? [...config.fileNames, extraFile.name] : config.fileNames;
    const host = ts.createCompilerHost(config.options);
    const read = host.readFile.bind(host);
    host.readFile = (f) => (extraFile && f === extraFile.name ? extraFile.text : read(f));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (f) => (extraFile && f === extraFile.name) || fileExists(f);
    const program = ts.createProgram(files, { ...config.options, noEmit: true }, host);
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  }

  it("src/core type-checks without them", () => {
    expect(diagnostics()).toEqual([]);
  }, 60_000);

  it("and the check catches a core module that reaches for document or process", () => {
    const probe = { name: join(ROOT, "src/core/__probe__.ts"), text: "export const a = document.title;\nexport const b = process.env.HOME;\n" };
    const found = diagnostics(probe).join("\n");
    expect(found).toMatch(/Cannot find name 'document'/);
    expect(found).toMatch(/Cannot find name 'process'/);
  }, 60_000);
});
