import { headers, type MsgHdrs } from "@nats-io/nats-core";
import { createUser } from "@nats-io/nkeys";
import { signatureHeaders, signerFromSeed, type CommandSigner } from "../../src/core/protocol";

/**
 * The tests' operator: a fixed user nkey pair (made once with @nats-io/nkeys createUser).
 * Every test executor trusts it unless the test says otherwise, and Topology.send signs with it.
 */
export const TEST_SEED = "SUABU545IZD7JH6RSOAF44YNLXUWQIIK6MFXO3WZJRL5U4L2STDYXFJQHI";
export const TEST_PUBLIC_KEY = "UCL6TJXP42ZCQUFM2JIBY56QA632MAI4O2JV7K34VDMQP4CPH3QJPYSY";
export const TEST_SIGNER_NAME = "test operator";
/** The --trusted-keys value of test executors. */
export const TEST_TRUSTED_KEYS = `${TEST_PUBLIC_KEY} ${TEST_SIGNER_NAME}`;

export function signerOf(seed: string): CommandSigner {
  const r = signerFromSeed(seed);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

export const TEST_SIGNER = signerOf(TEST_SEED);

/** A signer no test executor trusts. */
export const newSigner = (): CommandSigner => signerOf(new TextDecoder().decode(createUser().getSeed()));

/** A command message's bytes and headers, signed by `signer` over exactly those bytes (null: unsigned). */
export function signedMessage(data: string | Uint8Array, signer: CommandSigner | null = TEST_SIGNER): { data: Uint8Array; headers?: MsgHdrs } {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  if (!signer) return { data: bytes };
  const h = headers();
  for (const [name, value] of Object.entries(signatureHeaders(signer, bytes))) h.set(name, value);
  return { data: bytes, headers: h };
}
