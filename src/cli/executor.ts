import { parseArgs } from "node:util";
import { AlchemistFailure, err } from "../core/errors";
import { connectExecutor } from "../executor/connection";
import { usageProblem, type Command } from "./main";

const HELP = `usage: alchemist executor [options]

Runs the leaf-side executor: connects to NATS and takes deploy commands for its leaf.

options (environment variable in brackets):
  --nats-url URL[,URL…]   NATS servers [NATS_URL] (default nats://127.0.0.1:4222)
  --leaf-id ID            this leaf's id [ALCHEMIST_LEAF_ID] (required)
`;

export const executorCommand: Command = {
  summary: "run the leaf-side executor",
  async run(argv) {
    let values: Record<string, string | boolean | undefined>;
    try {
      values = parseArgs({
        args: argv,
        strict: true,
        options: { help: { type: "boolean", short: "h" }, "nats-url": { type: "string" }, "leaf-id": { type: "string" } },
      }).values;
    } catch (e) {
      throw new AlchemistFailure(err("E_USAGE", usageProblem(e, "executor")));
    }
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const leafId = (values["leaf-id"] as string | undefined) ?? process.env.ALCHEMIST_LEAF_ID;
    if (!leafId || !/^[A-Za-z0-9_-]+$/.test(leafId)) {
      throw new AlchemistFailure(err("E_USAGE", `--leaf-id (or ALCHEMIST_LEAF_ID) must be letters, digits, "-" or "_", got "${leafId ?? ""}"`));
    }
    const servers = ((values["nats-url"] as string | undefined) ?? process.env.NATS_URL ?? "nats://127.0.0.1:4222")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const log = (line: string) => console.log(line);
    const nc = await connectExecutor({ servers, leafId }, log);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    await nc.drain().catch(() => nc.close());
    return 0;
  },
};
