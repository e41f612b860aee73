import { describe, expect, it } from "vitest";
import { checkHubUrl, resolveHubUrl } from "./hubUrl";

const base = { search: "", hostname: "cim.example.com", saved: null, runtime: undefined };

describe("resolveHubUrl", () => {
  it("defaults to the hub's WebSocket port on the page's host", () => {
    expect(resolveHubUrl(base)).toEqual({ home: "ws://cim.example.com:9222" });
  });
  it("uses the port the local stack announces", () => {
    expect(resolveHubUrl({ ...base, runtime: { hubWebSocketPort: 19222 } })).toEqual({ home: "ws://cim.example.com:19222" });
  });
  it("prefers the saved URL", () => {
    expect(resolveHubUrl({ ...base, saved: "wss://hub.example.com:443", runtime: { hubWebSocketPort: 1 } })).toEqual({ home: "wss://hub.example.com:443" });
  });
  it("only asks about another hub named by ?hub=", () => {
    expect(resolveHubUrl({ ...base, search: "?hub=ws%3A%2F%2F10.1.2.3%3A9000", saved: "wss://hub.example.com" })).toEqual({ home: "wss://hub.example.com", asked: "ws://10.1.2.3:9000" });
    expect(resolveHubUrl({ ...base, search: "?hub=ws%3A%2F%2Fcim.example.com%3A9222" })).toEqual({ home: "ws://cim.example.com:9222" });
  });
  it("ignores a malformed ?hub= or saved URL", () => {
    expect(resolveHubUrl({ ...base, search: "?hub=nats://x:4222", saved: "garbage" })).toEqual({ home: "ws://cim.example.com:9222" });
  });
  it("brackets an IPv6 host", () => {
    expect(resolveHubUrl({ ...base, hostname: "::1" })).toEqual({ home: "ws://[::1]:9222" });
  });
});

describe("checkHubUrl", () => {
  it.each([
    ["ws://127.0.0.1:9222", true],
    ["wss://hub.example.com", true],
    ["nats://hub:4222", false],
    ["http://hub", false],
    ["hub:9222", false],
    ["", false],
  ])("%s → %s", (url, good) => {
    expect(checkHubUrl(url).ok).toBe(good);
  });
  it("says what is wrong", () => {
    const r = checkHubUrl("http://hub");
    expect(r.ok || r.message).toBe("the hub URL must start with ws:// or wss://, not http://");
  });
});
