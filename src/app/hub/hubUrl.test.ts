import { describe, expect, it } from "vitest";
import { checkHubUrl, resolveHubUrl } from "./hubUrl";

const base = { search: "", hostname: "cim.example.com", saved: null, runtime: undefined };

describe("resolveHubUrl", () => {
  it("defaults to the hub's WebSocket port on the page's host", () => {
    expect(resolveHubUrl(base)).toEqual({ home: "ws://cim.example.com:9222", members: [] });
  });
  it("uses the port the local stack announces", () => {
    expect(resolveHubUrl({ ...base, runtime: { hubWebSocketPort: 19222 } })).toEqual({ home: "ws://cim.example.com:19222", members: [] });
  });
  it("prefers the saved URL", () => {
    expect(resolveHubUrl({ ...base, saved: "wss://hub.example.com:443", runtime: { hubWebSocketPort: 1 } })).toEqual({ home: "wss://hub.example.com:443", members: [] });
  });
  it("only asks about another hub named by ?hub=", () => {
    expect(resolveHubUrl({ ...base, search: "?hub=ws%3A%2F%2F10.1.2.3%3A9000", saved: "wss://hub.example.com" })).toEqual({ home: "wss://hub.example.com", members: [], asked: "ws://10.1.2.3:9000" });
    expect(resolveHubUrl({ ...base, search: "?hub=ws%3A%2F%2Fcim.example.com%3A9222" })).toEqual({ home: "ws://cim.example.com:9222", members: [] });
  });
  it("ignores a malformed ?hub= or saved URL", () => {
    expect(resolveHubUrl({ ...base, search: "?hub=nats://x:4222", saved: "garbage" })).toEqual({ home: "ws://cim.example.com:9222", members: [] });
  });
  it("fails over to every member of a local cluster the stack announces, never for a saved hub", () => {
    const runtime = { hubWebSocketPort: 9222, hubWebSocketPorts: [9222, 9223, 9224] };
    expect(resolveHubUrl({ ...base, runtime })).toEqual({ home: "ws://cim.example.com:9222", members: ["ws://cim.example.com:9223", "ws://cim.example.com:9224"] });
    expect(resolveHubUrl({ ...base, runtime, saved: "wss://hub.example.com" })).toEqual({ home: "wss://hub.example.com", members: [] });
    // What a page cannot trust the shape of is left out.
    expect(resolveHubUrl({ ...base, runtime: { hubWebSocketPorts: [9223, 0, 70000, 1.5] as number[] } }).members).toEqual(["ws://cim.example.com:9223"]);
  });
  it("brackets an IPv6 host", () => {
    expect(resolveHubUrl({ ...base, hostname: "::1" })).toEqual({ home: "ws://[::1]:9222", members: [] });
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
