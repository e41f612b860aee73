// Preloaded with `node --expose-gc --require` into an executor under a soak (bench/soak.ts): on
// SIGUSR2 it runs a full garbage collection and writes process.memoryUsage() to
// $ALCHEMIST_MEMORY_PROBE/<pid>.json, so memory is compared without the collector's timing.
const { writeFileSync, renameSync } = require("node:fs");
const { join } = require("node:path");
const dir = process.env.ALCHEMIST_MEMORY_PROBE;
if (dir) {
  process.on("SIGUSR2", () => {
    if (typeof global.gc === "function") global.gc();
    // ALCHEMIST_HEAP_SNAPSHOTS=1: also a heap snapshot each time, to see what is held.
    if (process.env.ALCHEMIST_HEAP_SNAPSHOTS) require("node:v8").writeHeapSnapshot(join(dir, `${process.pid}-${Date.now()}.heapsnapshot`));
    const file = join(dir, `${process.pid}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify({ at: Date.now(), ...process.memoryUsage() }));
    renameSync(`${file}.tmp`, file);
  });
}
