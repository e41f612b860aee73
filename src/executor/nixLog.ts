/**
 * Reads Nix's `--log-format internal-json` output (lines starting with `@nix `) into log
 * lines and progress figures. Anything else is passed through as a plain log line.
 */

export interface NixProgress {
  activity: number;
  done: number;
  total: number;
  unit: string;
  label: string;
}

export type NixLogItem = { kind: "line"; line: string } | { kind: "progress"; progress: NixProgress } | { kind: "none" };

// Activity types (nix/src/libutil/logging.hh).
const ACTIVITY_UNITS: Record<number, { unit: string; label: string }> = {
  100: { unit: "bytes", label: "copying path" },
  101: { unit: "bytes", label: "downloading" },
  102: { unit: "paths", label: "realising" },
  103: { unit: "paths", label: "copying paths" },
  104: { unit: "builds", label: "building" },
  107: { unit: "paths", label: "verifying paths" },
  108: { unit: "paths", label: "substituting" },
};
const RES_BUILD_LOG_LINE = 101;
const RES_POST_BUILD_LOG_LINE = 107;
const RES_PROGRESS = 105;
const RES_SET_PHASE = 104;

// Colour codes mean nothing in a browser log view.
const ANSI = new RegExp(String.raw`\x1b\[[0-9;?]*[ -/]*[@-~]`, "g");

export class NixLogReader {
  private readonly activities = new Map<number, { type: number; text: string }>();

  read(line: string): NixLogItem {
    if (!line.startsWith("@nix ")) return { kind: "line", line };
    let m: Record<string, unknown>;
    try {
      m = JSON.parse(line.slice(5)) as Record<string, unknown>;
    } catch {
      return { kind: "line", line };
    }
    const id = typeof m.id === "number" ? m.id : -1;
    const fields = Array.isArray(m.fields) ? m.fields : [];
    switch (m.action) {
      case "msg":
        return typeof m.msg === "string" ? { kind: "line", line: m.msg.replace(ANSI, "") } : { kind: "none" };
      case "start": {
        const type = typeof m.type === "number" ? m.type : 0;
        const text = typeof m.text === "string" ? m.text.replace(ANSI, "") : "";
        this.activities.set(id, { type, text });
        return text && type === 105 ? { kind: "line", line: text } : { kind: "none" };
      }
      case "stop":
        this.activities.delete(id);
        return { kind: "none" };
      case "result": {
        if ((m.type === RES_BUILD_LOG_LINE || m.type === RES_POST_BUILD_LOG_LINE) && typeof fields[0] === "string") {
          return { kind: "line", line: fields[0].replace(ANSI, "") };
        }
        if (m.type === RES_SET_PHASE && typeof fields[0] === "string") return { kind: "line", line: `phase: ${fields[0]}` };
        if (m.type === RES_PROGRESS) {
          const activity = this.activities.get(id);
          const kind = activity ? ACTIVITY_UNITS[activity.type] : undefined;
          const [done, total] = fields;
          if (!kind || typeof done !== "number" || typeof total !== "number") return { kind: "none" };
          return { kind: "progress", progress: { activity: id, done, total, unit: kind.unit, label: activity!.text || kind.label } };
        }
        return { kind: "none" };
      }
      default:
        return { kind: "none" };
    }
  }
}
