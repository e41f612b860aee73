import { describe, expect, it } from "vitest";
import { deployFiles, describeChange, inputChanges, lockedInputs, sharedLock } from "./lock";

/** A flake.lock as Nix 2.8 writes it: nixpkgs from GitHub, sops-nix following it, a path: input. */
const lock = (nixpkgsRev: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    nodes: {
      nixpkgs: { locked: { owner: "NixOS", repo: "nixpkgs", rev: nixpkgsRev, narHash: "sha256-AAA=", type: "github" }, original: { owner: "NixOS", ref: "nixos-24.11", repo: "nixpkgs", type: "github" } },
      "sops-nix": { inputs: { nixpkgs: ["nixpkgs"] }, locked: { rev: "0123456789abcdef0123", narHash: "sha256-BBB=", type: "github" }, original: { type: "github" } },
      local: { locked: { path: "/srv/flake", narHash: "sha256-CCC=", type: "path" }, original: { path: "/srv/flake", type: "path" } },
      root: { inputs: { nixpkgs: "nixpkgs", "sops-nix": "sops-nix", local: "local", ...extra } },
      ...Object.fromEntries(Object.keys(extra).map((k) => [k, { inputs: { nixpkgs: "nixpkgs" }, locked: { rev: "fedcba9876543210fedc", type: "github" } }])),
    },
    root: "root",
    version: 7,
  });

describe("lockedInputs", () => {
  it("lists each input by its path with its commit (12 digits) or, without one, its content hash; a follows is no input", () => {
    expect(lockedInputs(lock("aaaaaaaaaaaabbbbbbbb"))).toEqual({
      ok: true,
      value: [
        { input: "local", revision: "sha256-CCC=" },
        { input: "nixpkgs", revision: "aaaaaaaaaaaa" },
        { input: "sops-nix", revision: "0123456789ab" },
      ],
    });
  });

  it("an input's own inputs are listed under it; one reached twice is listed once", () => {
    const r = lockedInputs(lock("aaaaaaaaaaaa", { alchemist: "alchemist" }));
    expect(r.ok && r.value.map((i) => i.input)).toEqual(["alchemist", "local", "nixpkgs", "sops-nix"]);
  });

  it("refuses what is not a Nix lock, saying what is wrong", () => {
    expect(lockedInputs("{")).toMatchObject({ ok: false, error: { code: "E_LOCK_INVALID", message: "flake.lock is not JSON" } });
    expect(lockedInputs('{"nodes": 1}')).toMatchObject({ ok: false, error: { code: "E_LOCK_INVALID" } });
    expect(lockedInputs(JSON.stringify({ nodes: { root: { inputs: { a: "a" } } }, root: "root", version: 7 }))).toMatchObject({ ok: false, error: { message: 'flake.lock names a node "a" it does not hold' } });
    expect(lockedInputs(JSON.stringify({ nodes: { root: { inputs: { a: "a" } }, a: { locked: { type: "github" } } }, root: "root", version: 7 }))).toMatchObject({ ok: false, error: { message: "flake.lock: input a has no locked revision (locked.rev or locked.narHash)" } });
    expect(lockedInputs(JSON.stringify({ nodes: { root: { inputs: { a: "__proto__" } } }, root: "root", version: 7 }))).toMatchObject({ ok: false });
  });
});

describe("a lock's pins are of the sources they name", () => {
  const one = (original: Record<string, unknown>, locked: Record<string, unknown>) => lockedInputs(JSON.stringify({ nodes: { x: { original, locked }, root: { inputs: { x: "x" } } }, root: "root", version: 7 }));

  it("refuses a pin of another repository, host, URL or path, or of another type, naming the input", () => {
    const github = { type: "github", owner: "NixOS", repo: "nixpkgs", ref: "nixos-24.11" };
    expect(one(github, { type: "github", owner: "NixOS", repo: "nixpkgs", rev: "a".repeat(40), narHash: "sha256-A=" }).ok).toBe(true);
    expect(one(github, { type: "github", owner: "evil", repo: "nixpkgs", rev: "a".repeat(40) })).toMatchObject({ ok: false, error: { code: "E_LOCK_INVALID", message: 'flake.lock: input x is locked to owner "evil", not the "NixOS" it names' } });
    expect(one(github, { type: "git", url: "https://evil.example/nixpkgs", rev: "a".repeat(40) })).toMatchObject({ ok: false, error: { message: 'flake.lock: input x is locked as "git", not "github"' } });
    expect(one({ type: "git", url: "file:///srv/cim" }, { type: "git", url: "file:///srv/other", rev: "a".repeat(40) }).ok).toBe(false);
    expect(one({ type: "path", path: "/srv/a" }, { type: "path", path: "/srv/b", narHash: "sha256-A=" }).ok).toBe(false);
  });

  it("takes a pin an indirect or tarball input resolves to elsewhere: that is what they do", () => {
    expect(one({ type: "indirect", id: "nixpkgs" }, { type: "github", owner: "NixOS", repo: "nixpkgs", rev: "a".repeat(40) }).ok).toBe(true);
    expect(one({ type: "tarball", url: "https://example.org/latest.tar.gz" }, { type: "tarball", url: "https://example.org/v1.tar.gz", narHash: "sha256-A=" }).ok).toBe(true);
  });
});

describe("inputChanges", () => {
  const pins = (text: string) => {
    const r = lockedInputs(text);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };

  it("names each input whose pin moved, was added or removed, old → new; the same pins are no change", () => {
    const before = pins(lock("aaaaaaaaaaaa"));
    expect(inputChanges(before, before)).toEqual([]);
    const after = pins(lock("bbbbbbbbbbbb", { extra: "extra" }));
    const changes = inputChanges(before, after);
    expect(changes).toEqual([
      { input: "extra", from: null, to: "fedcba987654" },
      { input: "nixpkgs", from: "aaaaaaaaaaaa", to: "bbbbbbbbbbbb" },
    ]);
    expect(changes.map(describeChange)).toEqual(["extra added (fedcba987654)", "nixpkgs aaaaaaaaaaaa → bbbbbbbbbbbb"]);
    expect(inputChanges(after, before).map(describeChange)).toEqual(["extra removed (was fedcba987654)", "nixpkgs bbbbbbbbbbbb → aaaaaaaaaaaa"]);
  });
});

describe("the lock a flake carries", () => {
  it("an export carries the lock all locked instances share, and none when they differ", () => {
    expect(sharedLock(undefined)).toBeUndefined();
    expect(sharedLock({ a: "L1", b: "L1" })).toBe("L1");
    expect(sharedLock({ a: "L1", b: "L2" })).toBeUndefined();
  });

  it("a deployment sends its own instance's lock, or none (the leaf then locks), never another instance's", () => {
    const files = { "flake.nix": "{ }", "flake.lock": "shared" };
    expect(deployFiles(files, { a: "LA" }, "a")).toEqual({ "flake.nix": "{ }", "flake.lock": "LA" });
    expect(deployFiles(files, { a: "LA" }, "b")).toEqual({ "flake.nix": "{ }" });
    expect(deployFiles(files, {}, "constructor")).toEqual({ "flake.nix": "{ }" });
  });
});
