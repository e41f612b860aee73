import fc from "fast-check";
import { createAccount, createUser } from "@nats-io/nkeys";
import { describe, expect, it } from "vitest";
import { base64urlDecode, base64urlEncode } from "../base64url";
import {
  COMMAND_FUTURE_SKEW_SECONDS,
  HEADER_SIGNATURE,
  HEADER_SIGNER,
  isUserPublicKey,
  parseTrustedKeys,
  requestedAtProblem,
  shortKey,
  signatureHeaders,
  signerFromSeed,
  trustList,
  userKeyBytes,
  verifyCommandSignature,
  type CommandSigner,
} from "./signing";

const newSigner = (): CommandSigner => {
  const r = signerFromSeed(new TextDecoder().decode(createUser().getSeed()));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const alice = newSigner();
const mallory = newSigner();
const trusted = trustList([{ key: alice.publicKey, name: "alice" }]);
const body = new TextEncoder().encode(JSON.stringify({ v: 1, type: "cancel", commandId: "c1", deploymentId: "d1", leafId: "leaf-01", requestedAt: "2026-11-23T10:00:00Z" }));
const headersOf = (h: Record<string, string>) => ({ signer: h[HEADER_SIGNER], signature: h[HEADER_SIGNATURE] });
const verify = (bytes: Uint8Array, h: { signer?: string; signature?: string }) => verifyCommandSignature(bytes, h, trusted);
const codeOf = (r: ReturnType<typeof verify>) => (r.ok ? "ok" : r.error.code);

describe("base64url", () => {
  it("round-trips any bytes, with only URL-safe characters and no padding", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = base64urlEncode(bytes);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(base64urlDecode(text)).toEqual(bytes);
      }),
    );
  });

  it("matches the standard encoding (RFC 4648 test vectors)", () => {
    const enc = (s: string) => base64urlEncode(new TextEncoder().encode(s));
    expect(["", "f", "fo", "foo", "foob", "fooba", "foobar"].map(enc)).toEqual(["", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"]);
    expect(base64urlEncode(new Uint8Array([0xfb, 0xff]))).toBe("-_8");
  });

  it("refuses padding, other characters and impossible lengths", () => {
    expect(base64urlDecode("Zg==")).toBeNull();
    expect(base64urlDecode("Zm9v+")).toBeNull();
    expect(base64urlDecode("Z")).toBeNull();
  });
});

describe("signing and verifying a command", () => {
  it("accepts a body signed by a trusted key and names the signer", () => {
    expect(verify(body, headersOf(signatureHeaders(alice, body)))).toEqual({ ok: true, value: { key: alice.publicKey, name: "alice" } });
  });

  it("refuses a command without one of the headers: E_CMD_UNSIGNED", () => {
    const h = headersOf(signatureHeaders(alice, body));
    expect(codeOf(verify(body, {}))).toBe("E_CMD_UNSIGNED");
    expect(codeOf(verify(body, { signer: h.signer }))).toBe("E_CMD_UNSIGNED");
    expect(codeOf(verify(body, { signature: h.signature, signer: "" }))).toBe("E_CMD_UNSIGNED");
    const r = verify(body, { signer: h.signer });
    expect(!r.ok && r.error.message).toMatch(/no Alchemist-Signature header/);
  });

  it("refuses a malformed signature or key: E_CMD_BAD_SIGNATURE", () => {
    const h = headersOf(signatureHeaders(alice, body));
    expect(codeOf(verify(body, { ...h, signature: "not base64url!" }))).toBe("E_CMD_BAD_SIGNATURE");
    expect(codeOf(verify(body, { ...h, signature: h.signature!.slice(0, 40) }))).toBe("E_CMD_BAD_SIGNATURE");
    expect(codeOf(verify(body, { ...h, signer: "Unot-a-key" }))).toBe("E_CMD_BAD_SIGNATURE");
    // A well-formed key of another kind (an account) is no user's signature either.
    expect(codeOf(verify(body, { ...h, signer: createAccount().getPublicKey() }))).toBe("E_CMD_BAD_SIGNATURE");
  });

  it("refuses a signature made by another key than the header names: E_CMD_BAD_SIGNATURE", () => {
    const forged = signatureHeaders(mallory, body);
    expect(codeOf(verify(body, { signer: alice.publicKey, signature: forged[HEADER_SIGNATURE] }))).toBe("E_CMD_BAD_SIGNATURE");
  });

  it("refuses a good signature by a key that is not trusted: E_CMD_UNTRUSTED_KEY, naming the key and how to trust it", () => {
    const r = verify(body, headersOf(signatureHeaders(mallory, body)));
    expect(codeOf(r)).toBe("E_CMD_UNTRUSTED_KEY");
    expect(!r.ok && r.error.message).toContain(`add "${mallory.publicKey} <name>" to the executor's --trusted-keys`);
  });

  it("fails verification when any single byte of the body changes", () => {
    const h = headersOf(signatureHeaders(alice, body));
    fc.assert(
      fc.property(fc.nat({ max: body.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const changed = body.slice();
        changed[at] = changed[at]! ^ flip;
        expect(codeOf(verify(changed, h))).toBe("E_CMD_BAD_SIGNATURE");
      }),
      { numRuns: 200 },
    );
  });

  it("fails verification when the body grows or shrinks by a byte", () => {
    const h = headersOf(signatureHeaders(alice, body));
    expect(codeOf(verify(body.slice(0, -1), h))).toBe("E_CMD_BAD_SIGNATURE");
    expect(codeOf(verify(new Uint8Array([...body, 0x20]), h))).toBe("E_CMD_BAD_SIGNATURE");
  });
});

describe("keys", () => {
  it("tells a user public key from anything else", () => {
    expect(isUserPublicKey(alice.publicKey)).toBe(true);
    expect(isUserPublicKey(createAccount().getPublicKey())).toBe(false);
    expect(isUserPublicKey(alice.publicKey.slice(0, -1) + (alice.publicKey.endsWith("A") ? "B" : "A"))).toBe(false);
    expect(isUserPublicKey("")).toBe(false);
  });

  it("gives the 32 raw bytes of a user key (src/executor/verifier.test.ts checks them against Ed25519), and refuses other keys", () => {
    expect(userKeyBytes(alice.publicKey)).toHaveLength(32);
    expect(() => userKeyBytes(createAccount().getPublicKey())).toThrow(/not a NATS user public key/);
  });

  it("refuses a seed that is not a user's", () => {
    expect(signerFromSeed(new TextDecoder().decode(createAccount().getSeed()))).toMatchObject({ ok: false, error: { code: "E_SIGNING_KEY" } });
    expect(signerFromSeed("SUnot-a-seed")).toMatchObject({ ok: false, error: { code: "E_SIGNING_KEY" } });
  });
});

describe("parseTrustedKeys", () => {
  const where = (i: number) => `keys line ${i + 1}`;

  it("reads keys with names, keys without (named by their short form), comments and blank lines", () => {
    const text = `# who may deploy here\n${alice.publicKey} Alice Example  # ops\n\n   ${mallory.publicKey}\n`;
    expect(parseTrustedKeys(text.split("\n"), where)).toEqual({
      ok: true,
      value: [
        { key: alice.publicKey, name: "Alice Example" },
        { key: mallory.publicKey, name: shortKey(mallory.publicKey) },
      ],
    });
  });

  it("names the line of an entry that is not a user public key", () => {
    const r = parseTrustedKeys(["# ok", "not-a-key alice"], where);
    expect(r).toMatchObject({ ok: false, error: { code: "E_USAGE" } });
    expect(!r.ok && r.error.message).toMatch(/^keys line 2: "not-a-key" is not a NATS user public key/);
  });

  it("says so when a seed is given instead of a public key", () => {
    const seed = new TextDecoder().decode(createUser().getSeed());
    const r = parseTrustedKeys([seed], where);
    expect(!r.ok && r.error.message).toMatch(/^keys line 1: .* is a seed, which is secret/);
  });

  it("refuses a key listed twice, naming both lines", () => {
    const r = parseTrustedKeys([`${alice.publicKey} a`, `${alice.publicKey} b`], where);
    expect(!r.ok && r.error.message).toMatch(/^keys line 2: key .* is listed already \(keys line 1\)/);
  });
});

describe("requestedAtProblem", () => {
  const now = Date.parse("2026-11-23T10:00:00Z");
  const at = (seconds: number) => new Date(now + seconds * 1000).toISOString();

  it("accepts a command within the window and a little ahead of the clock", () => {
    expect(requestedAtProblem(at(-3600), now, 86_400)).toBeNull();
    expect(requestedAtProblem(at(COMMAND_FUTURE_SKEW_SECONDS), now, 86_400)).toBeNull();
  });

  it("refuses one older than the window, or too far ahead: E_CMD_EXPIRED", () => {
    expect(requestedAtProblem(at(-86_401), now, 86_400)).toMatchObject({ code: "E_CMD_EXPIRED", message: expect.stringMatching(/86401 s ago; this leaf takes commands at most 86400 s old/) });
    expect(requestedAtProblem(at(COMMAND_FUTURE_SKEW_SECONDS + 1), now, 86_400)).toMatchObject({ code: "E_CMD_EXPIRED", message: expect.stringMatching(/301 s ahead of this leaf's clock/) });
  });
});
