import { bool, int, text } from "../fields";
import { DURATION } from "../patterns";
import { domainKind } from "./cim-domain";
import { NATS_AND_DATA_CLIENT } from "../builds-on";

export const workflowDomain = domainKind({
  kind: "workflow-domain",
  name: "workflow",
  label: "Workflow domain",
  help: "The CIM workflow domain: runs workflows triggered by events.",
  buildsOn: NATS_AND_DATA_CLIENT,
  metricsPort: 9102,
  source: { input: "cim-domain-workflow", url: "github:TheCowboyAI/cim-domain-workflow" },
  fields: {
    maxConcurrent: int({ label: "Max concurrent", help: "Workflows running at once.", default: 50, min: 1, max: 100000 }),
    timeout: text({ label: "Timeout", help: "How long a workflow may run.", default: "30m", required: true, pattern: DURATION }),
    persistence: bool({ label: "Persistence", help: "Keep workflow state across restarts.", default: true }),
  },
  settings: (c) => ({ maxConcurrent: c.maxConcurrent, persistence: c.persistence, timeout: c.timeout }),
});
