import fc from "fast-check";
import { createUser } from "@nats-io/nkeys";
import { describe, expect, it } from "vitest";
import { nkeysVerifier } from "../core/protocol";
import { nativeVerifier } from "./verifier";

describe("nativeVerifier", () => {
  const pair = createUser();
  const native = nativeVerifier(pair.getPublicKey());
  const portable = nkeysVerifier(pair.getPublicKey());

  it("agrees with nkeys on signed bodies and on bodies changed after signing", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (body, at, flip) => {
        const signature = pair.sign(body);
        expect(native(body, signature)).toBe(true);
        const changed = body.slice();
        changed[at % body.length] = changed[at % body.length]! ^ flip;
        expect(native(changed, signature)).toBe(false);
        expect(portable(changed, signature)).toBe(false);
      }),
      { numRuns: 30 },
    );
  });

  it("refuses another key's signature and a signature of the wrong length, without throwing", () => {
    const body = new TextEncoder().encode("{}");
    expect(native(body, createUser().sign(body))).toBe(false);
    expect(native(body, new Uint8Array(10))).toBe(false);
  });
});
