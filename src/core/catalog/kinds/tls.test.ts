import { describe, expect, it } from "vitest";
import { checkConfig } from "../check-config";
import { tls } from "./tls";

const configOf = (raw: Record<string, unknown>) => checkConfig(tls.fields, raw).value;
const problems = (raw: Record<string, unknown>) => tls.check!(configOf(raw)).map((p) => p.field);

describe("TLS / ACME for the NATS server", () => {
  it("takes the certificate's name from an ACME path, or asks for it", () => {
    const acme = { natsCert: "/var/lib/acme/cim.example.com/cert.pem", natsKey: "/var/lib/acme/cim.example.com/key.pem" };
    expect(problems(acme)).toEqual([]);
    expect(tls.natsTls!(configOf(acme))).toEqual({ certFile: acme.natsCert, keyFile: acme.natsKey, caFile: undefined, verify: false, serverName: "cim.example.com" });
    const own = { natsCert: "/etc/nats/cert.pem", natsKey: "/etc/nats/key.pem" };
    expect(problems(own)).toEqual(["natsName"]);
    expect(problems({ ...own, natsName: "nats.example.com" })).toEqual([]);
  });

  it("verifies clients only with a CA, and not by default (the instance's services have no client certificate)", () => {
    const base = { natsCert: "/etc/nats/cert.pem", natsKey: "/etc/nats/key.pem", natsName: "nats.example.com" };
    expect(tls.natsTls!(configOf(base))?.verify).toBe(false);
    expect(problems({ ...base, verify: true })).toEqual(["natsCa"]);
    expect(problems({ ...base, verify: true, natsCa: "/etc/nats/ca.pem" })).toEqual([]);
  });

  it("gives the NATS server nothing without both certificate and key", () => {
    expect(tls.natsTls!(configOf({ domains: ["a.example.com"], email: "a@example.com" }))).toBeUndefined();
    expect(problems({ natsCert: "/etc/nats/cert.pem", natsName: "n.example.com" })).toEqual(["natsKey"]);
  });
});
