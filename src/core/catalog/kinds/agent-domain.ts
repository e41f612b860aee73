import { bool, int, strings } from "../fields";
import { CIM_DOMAIN_AGENT, domainKind } from "./cim-domain";
import { NATS_AND_DATA_CLIENT } from "../builds-on";

export const agentDomain = domainKind({
  kind: "agent-domain",
  name: "agent",
  label: "Agent domain",
  help: "The CIM agent domain: AI agents and the model providers they use.",
  buildsOn: NATS_AND_DATA_CLIENT,
  metricsPort: 9103,
  source: CIM_DOMAIN_AGENT,
  fields: {
    providers: strings({
      label: "Providers",
      help: "Model providers the agents may use.",
      default: ["ollama"],
      itemPattern: { source: "openai|anthropic|ollama", hint: "one of openai, anthropic, ollama" },
    }),
    maxAgents: int({ label: "Max agents", help: "Agents running at once.", default: 100, min: 1, max: 100000 }),
    gpu: bool({ label: "GPU", help: "Let agents use the host's GPU.", default: false }),
  },
  settings: (c) => ({ gpu: c.gpu, maxAgents: c.maxAgents, providers: c.providers }),
});
