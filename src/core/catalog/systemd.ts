import type { OptionTree } from "./options";

/**
 * The sandbox every service Alchemist defines itself runs in: no root, no new privileges, a
 * read-only system and a private /tmp. State lives in the unit's StateDirectory.
 */
export const HARDENED: OptionTree = {
  DynamicUser: true,
  NoNewPrivileges: true,
  PrivateTmp: true,
  ProtectHome: true,
  ProtectSystem: "strict",
  Restart: "on-failure",
  RestartSec: 5,
};
