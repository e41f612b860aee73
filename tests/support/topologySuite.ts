import { afterAll, beforeAll } from "vitest";
import { Topology } from "./deployTopology";

/** A topology of its own for the enclosing describe: started before its tests, stopped after. */
export function topologyPerSuite(start: () => Promise<Topology> = () => Topology.start()): () => Topology {
  let t: Topology | undefined;
  beforeAll(async () => {
    t = await start();
  });
  afterAll(async () => {
    await t?.stop();
  });
  return () => t!;
}
