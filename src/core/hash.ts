import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** `sha256-` followed by the lower-case hex SHA-256 of the UTF-8 text (same as `sha256sum`). */
export type Sha256Hex = (text: string) => string;

/**
 * The pure one, for every runtime. In Node pass `node:crypto`'s instead where it counts: on a
 * 5 000-node design it hashes alchemist.json in a fifth of the time, and the browser has no
 * synchronous native digest to offer in its place.
 */
export const sha256Hex: Sha256Hex = (text) => `sha256-${bytesToHex(sha256(utf8ToBytes(text)))}`;
