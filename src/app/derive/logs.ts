import { STEPS, type DeployEvent, type StepName } from "../../core/protocol";

export type LogStream = "stdout" | "stderr";

/**
 * The log lines of one deployment, appended once per event the fold accepted (so in seq
 * order, without duplicates). Kept outside the store, by the deploy runtime that follows the
 * deployment: a deployment may log 100 000 lines and copying them on every batch would cost
 * more than drawing them. The store's `view.logLines` says when there is more to draw.
 */
export class LogBuffer {
  readonly text: string[] = [];
  /** Per line: the step's index in STEPS × 2, + 1 for stderr. */
  readonly tags: number[] = [];

  append(e: Extract<DeployEvent, { type: "step-log" }>): void {
    const tag = STEPS.indexOf(e.step) * 2 + (e.stream === "stderr" ? 1 : 0);
    for (const line of e.line.split("\n")) {
      this.text.push(line);
      this.tags.push(tag);
    }
  }

  get length(): number {
    return this.text.length;
  }

  stepOf(i: number): StepName {
    return STEPS[this.tags[i]! >> 1]!;
  }

  streamOf(i: number): LogStream {
    return this.tags[i]! & 1 ? "stderr" : "stdout";
  }
}

export interface LogFilter {
  step: StepName | "all";
  stream: LogStream | "all";
  search: string;
}

/**
 * The indices of the lines that pass a filter. `previous` (the answer for the same filter on
 * fewer lines) is extended rather than recomputed, so following a fast log stays cheap.
 */
export function matchingLines(buffer: LogBuffer, filter: LogFilter, previous?: { upTo: number; indices: number[] }): { upTo: number; indices: number[] } {
  const indices = previous ? previous.indices : [];
  const needle = filter.search.toLowerCase();
  const step = filter.step === "all" ? -1 : STEPS.indexOf(filter.step);
  const stream = filter.stream === "all" ? -1 : filter.stream === "stderr" ? 1 : 0;
  for (let i = previous?.upTo ?? 0; i < buffer.length; i++) {
    const tag = buffer.tags[i]!;
    if (step >= 0 && tag >> 1 !== step) continue;
    if (stream >= 0 && (tag & 1) !== stream) continue;
    if (needle && !buffer.text[i]!.toLowerCase().includes(needle)) continue;
    indices.push(i);
  }
  return { upTo: buffer.length, indices };
}
