import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** `sha256-` followed by the lower-case hex SHA-256 of the UTF-8 text (same as `sha256sum`). */
export function sha256Hex(text: string): string {
  return `sha256-${bytesToHex(sha256(utf8ToBytes(text)))}`;
}
