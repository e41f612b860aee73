import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { appOrigins, parseOrigin } from "./origins";
import { isAlchemistFailure } from "../../core/errors";

describe("the origins whose pages may open the hub's WebSocket", () => {
  it("on loopback: the app's address and the other spelling of loopback", () => {
    expect(appOrigins("127.0.0.1", 8080, [])).toEqual({ origins: ["http://127.0.0.1:8080", "http://localhost:8080"], dropped: [] });
    expect(appOrigins("localhost", 8080, []).origins).toEqual(["http://localhost:8080", "http://127.0.0.1:8080"]);
  });

  it("on another address: that address only, plus what is given", () => {
    expect(appOrigins("10.0.0.5", 9000, ["https://cim.example.com"])).toEqual({ origins: ["http://10.0.0.5:9000", "https://cim.example.com"], dropped: [] });
    expect(appOrigins("fd00::5", 9000, []).origins).toEqual(["http://[fd00::5]:9000"]);
  });

  it("on 0.0.0.0: loopback, the host name and the interfaces' addresses", () => {
    const { origins } = appOrigins("0.0.0.0", 8080, []);
    expect(origins.slice(0, 2)).toEqual(["http://127.0.0.1:8080", "http://localhost:8080"]);
    expect(origins).toContain(`http://${hostname()}:8080`);
  });

  it("lists each host name once (nats-server keeps one port per host): the app's address, then what is given, then the other spellings", () => {
    expect(appOrigins("127.0.0.1", 8080, ["http://localhost:5173"])).toEqual({ origins: ["http://127.0.0.1:8080", "http://localhost:5173"], dropped: ["http://localhost:8080"] });
    expect(appOrigins("127.0.0.1", 8080, ["http://127.0.0.1:5173"])).toEqual({ origins: ["http://127.0.0.1:8080", "http://localhost:8080"], dropped: ["http://127.0.0.1:5173"] });
  });
});

describe("--allowed-origin values", () => {
  it("are the origin a browser sends", () => {
    expect(parseOrigin("http://localhost:5173/", "--allowed-origin")).toBe("http://localhost:5173");
    expect(parseOrigin(" https://cim.example.com:443 ", "--allowed-origin")).toBe("https://cim.example.com");
  });

  it.each(["localhost:5173", "ws://localhost:9222", "http://localhost:5173/app", "http://localhost:5173/?x=1", "http://u:p@localhost", "nonsense"])("%s is refused with the source named", (value) => {
    let thrown: unknown;
    try {
      parseOrigin(value, "ALCHEMIST_ALLOWED_ORIGINS");
    } catch (e) {
      thrown = e;
    }
    expect(isAlchemistFailure(thrown) && thrown.error.code).toBe("E_USAGE");
    expect(isAlchemistFailure(thrown) && thrown.error.message).toContain("ALCHEMIST_ALLOWED_ORIGINS");
  });
});
