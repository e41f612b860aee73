import { describe, expect, it } from "vitest";
import { securePerSuite } from "../support/auth";
import { milestones } from "../support/deployTopology";
import { deployCommand } from "../support/commands";

// Decentralised auth (operator → account → user JWTs), the way NATS deployments hand a leaf a
// .creds file: the executor takes it from NATS_CREDS (the variable the NixOS module sets) and
// never sees a password.
describe("the executor with a NATS .creds file from the environment", () => {
  const secure = securePerSuite();

  it("authenticates with NATS_CREDS and deploys", async () => {
    const s = secure();
    await s.t.startExecutor("leaf-creds", s.t.hub, { env: { NATS_CREDS: await s.credsFile({ role: "executor", leafId: "leaf-creds" }) } });
    const cmd = deployCommand("leaf-creds");
    await s.t.send(cmd);
    expect(milestones(await s.t.waitFor(cmd.deploymentId)).at(-1)).toBe("succeeded");
    expect(s.t.hub.output()).not.toMatch(/authentication error|Authorization Violation|Permissions Violation/i);
  });
});
