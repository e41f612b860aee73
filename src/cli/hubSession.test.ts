import { afterEach, describe, expect, it, vi } from "vitest";
import { printer } from "./hubSession";

afterEach(() => vi.restoreAllMocks());

describe("the review as the CLI prints it", () => {
  it("names a node by its label with its id beside, and by its id alone without one", () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    printer(false).review({
      instance: "cim-a",
      leaf: "leaf-1",
      action: "switch",
      confirm: { mode: "auto", timeoutSeconds: 60 },
      baseline: "d-1",
      nodes: { added: ["redis"], changed: ["nats"], removed: [] },
      labels: { redis: 'Cache "${x}"' },
      files: [],
      unchangedFiles: 3,
    });
    expect(lines).toContain('  nodes added Cache "${x}" (redis); changed nats; removed —');
  });
});
