import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { evalModuleWithStub, nixEvalJson, nixParse, parseFiles } from "../support/nix";

const dir = mkdtempSync(join(tmpdir(), "alchemist-stub-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("nixParse / nixEvalJson / parseFiles", () => {
  it("reports syntax errors with line and column", () => {
    expect(nixParse("{ a = 1; }")).toEqual({ ok: true });
    const bad = nixParse("{\n  a = 1;\n  b = ;\n}\n");
    expect(bad).toMatchObject({ ok: false, line: 3, column: 7 });
    if (!bad.ok) expect(bad.message).toMatch(/syntax error/);
  });

  it("evaluates strictly to JSON and throws Nix's message", () => {
    expect(nixEvalJson('{ a = [ 1 "x" null ]; b.c = true; }')).toEqual({ a: [1, "x", null], b: { c: true } });
    expect(() => nixEvalJson("throw \"boom\"")).toThrow(/boom/);
  });

  it("parses every .nix file below a folder and names each bad one", () => {
    const root = join(dir, "flake");
    mkdirSync(join(root, "hosts", "a"), { recursive: true });
    writeFileSync(join(root, "flake.nix"), "{ outputs = _: { }; }\n");
    writeFileSync(join(root, "hosts", "a", "default.nix"), "{ ... }: { x = ; }\n");
    writeFileSync(join(root, "hosts", "a", "other.nix"), "{ ... }: { y = }\n");
    writeFileSync(join(root, "README.md"), "not nix");
    const results = parseFiles(root);
    expect(results.map((r) => [r.file.slice(root.length), r.result.ok])).toEqual([
      ["/flake.nix", true],
      ["/hosts/a/default.nix", false],
      ["/hosts/a/other.nix", false],
    ]);
    expect(results[1]?.result).toMatchObject({ line: 1, column: 16 });
  });
});

describe("evalModuleWithStub", () => {
  const cimModule = `
    { config, lib, pkgs, ... }:
    let cfg = config.cim; in
    {
      options.cim = {
        enable = lib.mkEnableOption "the CIM";
        port = lib.mkOption { type = lib.types.port; default = 4222; };
        notes = lib.mkOption { type = lib.types.lines; default = ""; };
        domains = lib.mkOption {
          default = { };
          type = lib.types.attrsOf (lib.types.submodule ({ name, ... }: {
            options.label = lib.mkOption { type = lib.types.str; default = "domain-\${name}"; };
            options.maxNodes = lib.mkOption { type = lib.types.int; default = 100; };
          }));
        };
      };
      config = lib.mkIf cfg.enable {
        networking.firewall.allowedTCPPorts = [ cfg.port ];
        systemd.services.cim = {
          after = [ "network.target" ];
          serviceConfig.ExecStart = "\${pkgs.cim-agent}/bin/cim-agent --port \${toString cfg.port}";
        };
        services.nats.enable = lib.mkDefault false;
      };
    }
  `;

  it("merges a host module with the module it imports, like NixOS", () => {
    const cimFile = join(dir, "cim.nix");
    writeFileSync(cimFile, cimModule);
    const hostFile = join(dir, "host.nix");
    writeFileSync(
      hostFile,
      `{ lib, pkgs, ... }: {
        imports = [ ./cim.nix ];
        cim.enable = true;
        cim.notes = lib.mkMerge [ "one" "two" ];
        cim.domains.graph.maxNodes = 5000;
        cim.domains.workflow = { };
        services.nats.enable = true;
        services.neo4j = lib.mkIf false { enable = true; };
        networking.firewall.allowedTCPPorts = lib.mkBefore [ 22 ];
        environment.systemPackages = [ pkgs.git pkgs.python3Packages.requests ];
        time.timeZone = lib.mkForce "UTC";
        i18n.defaultLocale = lib.mkDefault "en_US.UTF-8";
      }`,
    );
    expect(evalModuleWithStub({ file: hostFile })).toEqual({
      cim: {
        enable: true,
        port: 4222,
        notes: "one\ntwo",
        domains: {
          graph: { label: "domain-graph", maxNodes: 5000 },
          workflow: { label: "domain-workflow", maxNodes: 100 },
        },
      },
      environment: { systemPackages: ["/nix/store/stub-git", "/nix/store/stub-python3Packages.requests"] },
      i18n: { defaultLocale: "en_US.UTF-8" },
      networking: { firewall: { allowedTCPPorts: [22, 4222] } },
      services: { nats: { enable: true } },
      systemd: {
        services: {
          cim: {
            after: ["network.target"],
            serviceConfig: { ExecStart: "/nix/store/stub-cim-agent/bin/cim-agent --port 4222" },
          },
        },
      },
      time: { timeZone: "UTC" },
    });
  });

  it("drops a disabled mkIf and keeps option defaults; accepts module text", () => {
    expect(evalModuleWithStub(cimModule)).toEqual({
      cim: { enable: false, port: 4222, notes: "", domains: {} },
    });
  });

  it("applies priorities and reports conflicting definitions", () => {
    expect(
      evalModuleWithStub([
        "{ lib, ... }: { a = lib.mkDefault 1; b = lib.mkForce 2; }",
        "{ lib, ... }: { a = 3; b = 4; c = lib.mkMerge [ (lib.mkIf true 5) (lib.mkIf false 6) ]; }",
      ]),
    ).toEqual({ a: 3, b: 2, c: 5 });
    expect(() => evalModuleWithStub(["{ a = 1; }", "{ a = 2; }"])).toThrow(/conflicting definitions/);
  });

  it("can ignore imports it cannot follow", () => {
    const text = `{ modulesPath, ... }: {
      imports = [ (modulesPath + "/installer/scan/not-detected.nix") ];
      boot.initrd.availableKernelModules = [ "nvme" ];
    }`;
    expect(evalModuleWithStub(text, { imports: "ignore" })).toEqual({
      boot: { initrd: { availableKernelModules: ["nvme"] } },
    });
  });
});
