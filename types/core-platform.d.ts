// The only platform globals src/core may use, checked by tsconfig.core.json (which has no DOM
// and no Node types): the Encoding API, which browsers and Node share.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
