import { createPublicKey, verify } from "node:crypto";
import { userKeyBytes, type VerifierFactory } from "../core/protocol";

/**
 * Ed25519 verification by Node's crypto: the same check as nkeys' pure-JS one, about fifty
 * times faster (0.2 ms against 9 ms on a small machine), which matters on the path from a
 * command to its `accepted` event.
 */
export const nativeVerifier: VerifierFactory = (publicKey) => {
  const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(userKeyBytes(publicKey)).toString("base64url") }, format: "jwk" });
  return (body, signature) => {
    try {
      return verify(null, body, key, signature);
    } catch {
      return false;
    }
  };
};
