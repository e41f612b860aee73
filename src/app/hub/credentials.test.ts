import { describe, expect, it } from "vitest";
import { createAuthority, issueIdentity } from "../../cli/auth/authority";
import { inboxPrefixOf, permissionsFor } from "../../core/protocol";
import { captureLoginLink, credentialsFor, loginName, onLoginLink, signerSeed, takeLoginLink } from "./credentials";
import { grantedInboxPrefix, parseCreds } from "../../core/protocol/creds";

describe("the browser's reading of a .creds file", () => {
  it("finds the JWT, the seed, the identity's name and key, and what it may subscribe to", async () => {
    const browser = await issueIdentity(await createAuthority(), { role: "operator", name: "browser" });
    const parsed = parseCreds(browser.creds);
    expect(parsed).toEqual({
      ok: true,
      value: { jwt: browser.jwt, seed: browser.seed, name: "browser", publicKey: browser.publicKey, subscribe: permissionsFor({ role: "operator", name: "browser" }).subscribe },
    });
    expect(loginName({ kind: "creds", creds: browser.creds })).toBe("browser");
    expect(signerSeed({ kind: "creds", creds: browser.creds })).toBe(browser.seed);
  });

  it.each([
    ["", "not a NATS .creds file"],
    ["hello", "not a NATS .creds file"],
    ["-----BEGIN NATS USER JWT-----\nabc.def.ghi\n------END NATS USER JWT------\n", "not a NATS .creds file"],
    ["-----BEGIN NATS USER JWT-----\nabc.!!!.ghi\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\nSUAXYZ\n------END USER NKEY SEED------\n", "cannot be read"],
    ["-----BEGIN NATS USER JWT-----\nabc.e30.ghi\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\nSAAXYZ\n------END USER NKEY SEED------\n", "no user seed"],
    ["-----BEGIN NATS USER JWT-----\nabc.e30.ghi\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\nSUAXYZ\n------END USER NKEY SEED------\n", "no user name"],
  ])("refuses %j", (text, message) => {
    const parsed = parseCreds(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok || parsed.message).toContain(message);
  });

  it("user and token logins carry no signing key", () => {
    expect(signerSeed({ kind: "user", user: "alice", pass: "pw" })).toBeUndefined();
    expect(loginName({ kind: "user", user: "alice", pass: "pw" })).toBe("alice");
    expect(loginName({ kind: "token", token: "t" })).toBeUndefined();
  });
});

describe("the inbox prefix a login uses", () => {
  const own = inboxPrefixOf("browser");
  it("is the identity's own where the grant allows it or sets no limit", () => {
    expect(grantedInboxPrefix(undefined, own)).toBe(own);
    expect(grantedInboxPrefix([">"], own)).toBe(own);
    expect(grantedInboxPrefix([`${own}.>`], own)).toBe(own);
  });
  it("is the one the credentials grant otherwise, so replies arrive where they may be read", () => {
    expect(grantedInboxPrefix(["_INBOX.>"], own)).toBe("_INBOX");
    expect(grantedInboxPrefix(["cim.x", "_INBOX_team.>"], own)).toBe("_INBOX_team");
  });
});

describe("which credentials go to which hub", () => {
  const login = { hub: "ws://127.0.0.1:9222", credentials: { kind: "token" as const, token: "t" } };
  it("sends a login only to the hub it was given for", () => {
    expect(credentialsFor(login, "ws://127.0.0.1:9222")).toBe(login.credentials);
    expect(credentialsFor(login, "ws://evil.example:9222")).toBeUndefined();
    expect(credentialsFor(null, "ws://127.0.0.1:9222")).toBeUndefined();
  });
});

describe("a login link in the address bar", () => {
  const page = (hash: string) => {
    const urls: string[] = [];
    const loc = { hash, pathname: "/", search: "?x=1" } as Location;
    const hist = { state: null, replaceState: (_s: unknown, _t: string, url: string) => urls.push(url) } as unknown as History;
    return { loc, hist, urls };
  };

  it("is taken out of the address bar, kept once, and told to whoever listens until they stop", () => {
    const heard: (string | undefined)[] = [];
    const stop = onLoginLink(() => heard.push(takeLoginLink()));
    const a = page("#login=YWJj");
    captureLoginLink(a.loc, a.hist);
    expect(a.urls).toEqual(["/?x=1"]);
    expect(heard).toEqual(["abc"]);
    expect(takeLoginLink()).toBeUndefined();
    // A mangled link is heard too, as an empty one, so the app can say so.
    captureLoginLink(page("#login=a$b").loc, page("").hist);
    expect(heard).toEqual(["abc", ""]);
    stop();
    captureLoginLink(page("#login=YWJj").loc, page("").hist);
    expect(heard).toHaveLength(2);
    expect(takeLoginLink()).toBe("abc");
    // Any other fragment is left as it is.
    const other = page("#section");
    captureLoginLink(other.loc, other.hist);
    expect(other.urls).toEqual([]);
    expect(takeLoginLink()).toBeUndefined();
  });
});
