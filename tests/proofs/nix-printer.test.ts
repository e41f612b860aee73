import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  attrs,
  binary,
  bind,
  bool,
  call,
  float,
  fn,
  formals,
  id,
  ifThenElse,
  importPath,
  inherit,
  int,
  interp,
  letIn,
  list,
  not,
  nul,
  path,
  printFile,
  sel,
  selOr,
  str,
  withScope,
  type NixExpr,
} from "../../src/core/nix";
import { nixEvalJson, parseFiles } from "../support/nix";

const lib = (name: string) => sel(id("lib"), name);

interface Sample {
  readonly name: string;
  readonly expr: NixExpr;
  readonly text: string;
  /** What nix-instantiate evaluates the file to, for closed expressions. */
  readonly value?: unknown;
}

const samples: Sample[] = [
  {
    name: "scalars",
    expr: list([int(3), int(-4), float(1.5), float(2), float(1e21), bool(true), nul, str("x")]),
    text: '[ 3 (-4) 1.5 2.0 1.0e+21 true null "x" ]\n',
    value: [3, -4, 1.5, 2, 1e21, true, null, "x"],
  },
  {
    name: "keys sorted, bare or quoted, two-space indent",
    expr: attrs({ zeta: int(1), alpha: attrs({ b: int(2), a: int(1) }), "with space": int(3), or: int(4), "a.b": int(5), "x-y'": int(6) }),
    text: [
      "{",
      '  "a.b" = 5;',
      "  alpha = {",
      "    a = 1;",
      "    b = 2;",
      "  };",
      '  "or" = 4;',
      '  "with space" = 3;',
      "  x-y' = 6;",
      "  zeta = 1;",
      "}",
      "",
    ].join("\n"),
    value: { "a.b": 5, alpha: { a: 1, b: 2 }, or: 4, "with space": 3, "x-y'": 6, zeta: 1 },
  },
  {
    name: "dotted paths sort segment by segment, empty sets and lists",
    expr: attrs([
      bind(["services", "nats", "settings", "port"], int(4222)),
      bind(["services", "nats-exporter"], attrs({})),
      bind(["services", "nats", "enable"], bool(true)),
      bind(["services"], attrs({ a: list([]) })),
    ]),
    text: [
      "{",
      "  services = {",
      "    a = [ ];",
      "  };",
      "  services.nats.enable = true;",
      "  services.nats.settings.port = 4222;",
      "  services.nats-exporter = { };",
      "}",
      "",
    ].join("\n"),
    value: { services: { a: [], nats: { enable: true, settings: { port: 4222 } }, "nats-exporter": {} } },
  },
  {
    name: "paths",
    expr: list([path("./imports/hardware-configuration.nix"), path("../x"), path("/etc/nixos"), path("<nixpkgs>")]),
    text: "[ ./imports/hardware-configuration.nix ../x /etc/nixos <nixpkgs> ]\n",
  },
  {
    name: "a NixOS module with let, mkIf, interpolation and a long list",
    expr: fn(
      ["config", "lib", "pkgs"],
      letIn(
        { cfg: sel(id("config"), "cim", "instance") },
        attrs([
          bind(["imports"], list([importPath("./imports/hardware-configuration.nix")])),
          bind(
            ["config"],
            call(
              lib("mkIf"),
              sel(id("cfg"), "enable"),
              attrs([
                bind(["systemd", "services", "cim-agent", "serviceConfig", "ExecStart"], interp(sel(id("pkgs"), "cim-agent"), "/bin/cim-agent --port ", call(id("toString"), sel(id("cfg"), "port")))),
                bind(["environment", "systemPackages"], list(["git", "vim", "htop", "curl", "jq", "tmux", "ripgrep"].map((p) => sel(id("pkgs"), p)))),
                bind(["time", "timeZone"], call(lib("mkDefault"), str("UTC")), "from node n3 (base-system)"),
              ]),
            ),
          ),
        ]),
      ),
    ),
    text: [
      "{ config, lib, pkgs, ... }:",
      "let",
      "  cfg = config.cim.instance;",
      "in",
      "{",
      "  config = lib.mkIf cfg.enable {",
      "    environment.systemPackages = [",
      "      pkgs.git",
      "      pkgs.vim",
      "      pkgs.htop",
      "      pkgs.curl",
      "      pkgs.jq",
      "      pkgs.tmux",
      "      pkgs.ripgrep",
      "    ];",
      '    systemd.services.cim-agent.serviceConfig.ExecStart = "${pkgs.cim-agent}/bin/cim-agent --port ${toString cfg.port}";',
      "    # from node n3 (base-system)",
      '    time.timeZone = lib.mkDefault "UTC";',
      "  };",
      "  imports = [ (import ./imports/hardware-configuration.nix) ];",
      "}",
      "",
    ].join("\n"),
  },
  {
    name: "nested lets, lambdas, inherit, with, if, operators",
    expr: letIn(
      [
        inherit(["attrNames"], id("builtins")),
        bind(["add"], fn("a", fn("b", binary(id("a"), "+", id("b"))))),
        bind(["inner"], letIn({ x: int(2) }, binary(id("x"), "*", binary(int(3), "+", int(4))))),
        bind(["opt"], fn(formals([{ name: "x", default: int(1) }, "y"], { ellipsis: false, as: "args" }), id("x"))),
      ],
      attrs({
        sum: call(id("add"), id("inner"), int(1)),
        names: call(id("attrNames"), attrs({ b: nul, a: nul })),
        merged: binary(binary(attrs({ a: int(1) }), "//", attrs({ b: int(2) })), "//", attrs({ c: int(3) })),
        lists: binary(list([int(1)]), "++", list([int(2)])),
        picked: withScope(attrs({ q: int(7) }), id("q")),
        branch: ifThenElse(not(binary(id("inner"), "==", int(14))), str("no"), str("yes")),
        fallback: selOr(attrs({}), ["missing"], int(0)),
        called: call(id("opt"), attrs({ y: int(5) })),
        grouped: binary(binary(int(10), "-", int(3)), "-", binary(int(2), "-", int(1))),
      }),
    ),
    text: [
      "let",
      "  inherit (builtins) attrNames;",
      "  add = a: b: a + b;",
      "  inner = let",
      "    x = 2;",
      "  in",
      "  x * (3 + 4);",
      "  opt = args@{ x ? 1, y }: x;",
      "in",
      "{",
      '  branch = if !(inner == 14) then "no" else "yes";',
      "  called = opt {",
      "    y = 5;",
      "  };",
      "  fallback = { }.missing or 0;",
      "  grouped = 10 - 3 - (2 - 1);",
      "  lists = [ 1 ] ++ [ 2 ];",
      "  merged = ({",
      "    a = 1;",
      "  } // {",
      "    b = 2;",
      "  }) // {",
      "    c = 3;",
      "  };",
      "  names = attrNames {",
      "    a = null;",
      "    b = null;",
      "  };",
      "  picked = with {",
      "    q = 7;",
      "  }; q;",
      "  sum = add inner 1;",
      "}",
      "",
    ].join("\n"),
    value: {
      branch: "yes",
      called: 1,
      fallback: 0,
      grouped: 6,
      lists: [1, 2],
      merged: { a: 1, b: 2, c: 3 },
      names: ["a", "b"],
      picked: 7,
      sum: 15,
    },
  },
  {
    name: "multi-line strings inside a recursive set",
    expr: attrs(
      [
        bind(["script"], interp("set -e\necho '${HOME}' ''quoted''\n", sel(id("pkgs"), "hello"), "/bin/hello\n")),
        bind(["pkgs", "hello"], str("/nix/store/hello")),
      ],
      { rec: true },
    ),
    text: [
      "rec {",
      '  pkgs.hello = "/nix/store/hello";',
      "  script = ''",
      "    set -e",
      "    echo ''\\'''${HOME}' '''quoted'''",
      "    ${pkgs.hello}/bin/hello",
      "  '';",
      "}",
      "",
    ].join("\n"),
    value: {
      pkgs: { hello: "/nix/store/hello" },
      script: "set -e\necho '${HOME}' ''quoted''\n/nix/store/hello/bin/hello\n",
    },
  },
];

describe("printer layout", () => {
  it.each(samples)("$name", ({ expr, text }) => {
    expect(printFile(expr)).toBe(text);
  });

  it("a header becomes `#` lines and the file ends with exactly one newline", () => {
    expect(printFile(int(1), { header: "Generated by Alchemist.\n\nDo not edit." })).toBe(
      "# Generated by Alchemist.\n#\n# Do not edit.\n1\n",
    );
  });

  it("entry order in the AST does not change the output", () => {
    const entries = [
      bind(["b"], int(2)),
      bind(["a", "y"], int(1)),
      bind(["a", "x"], int(0)),
      inherit(["lib"]),
      bind(["c"], attrs({ z: int(1), y: int(2) })),
    ];
    const forward = printFile(fn(["lib"], attrs(entries)));
    expect(printFile(fn(["lib"], attrs([...entries].reverse())))).toBe(forward);
  });
});

describe("printed Nix is accepted by nix-instantiate", () => {
  const dir = mkdtempSync(join(tmpdir(), "alchemist-printer-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("every sample file parses (one nix-instantiate run)", () => {
    samples.forEach((s, i) => writeFileSync(join(dir, `sample-${i}.nix`), printFile(s.expr)));
    const parsed = parseFiles(dir);
    expect(parsed).toHaveLength(samples.length);
    for (const p of parsed) expect(p.result, p.file).toEqual({ ok: true });
  });

  it("closed samples evaluate to the expected values (one nix-instantiate run)", () => {
    const closed = samples.filter((s) => s.value !== undefined);
    const text = `[ ${closed.map((s) => `(${printFile(s.expr)})`).join(" ")} ]`;
    expect(nixEvalJson(text)).toEqual(closed.map((s) => s.value));
  });
});
