import { defineKind } from "../kind";
import { oneOf, port, strings, text } from "../fields";
import { IPV4 } from "../patterns";
import { SETTINGS_ONLY } from "../builds-on";

export const ollama = defineKind({
  kind: "ollama",
  label: "Ollama",
  group: "Data",
  role: "service",
  help: "Runs language models locally and pulls the listed models at start.",
  buildsOn: SETTINGS_ONLY,
  fields: {
    host: text({ label: "Listen address", help: "127.0.0.1 keeps it on the host; 0.0.0.0 opens it to the network.", default: "127.0.0.1", required: true, pattern: IPV4 }),
    port: port({ label: "Port", help: "The API port.", default: 11434 }),
    models: strings({
      label: "Models",
      help: "Models pulled when the service starts.",
      default: ["llama3"],
      itemPattern: { source: "[a-z0-9][a-z0-9._:/-]{0,127}", hint: "a model name such as llama3 or codellama:13b" },
      placeholder: "codellama",
    }),
    acceleration: oneOf(["none", "cuda", "rocm"], { label: "Acceleration", help: "The GPU library to use.", default: "none" }),
  },
  claims: () => ["services.ollama"],
  units: () => ["ollama.service"],
  dataDirs: () => ["/var/lib/private/ollama"],
  ports: (c) => [{ port: c.port, label: "Ollama API", field: "port", exposed: c.host !== "127.0.0.1" }],
  emit: ({ config: c }) => ({
    options: {
      services: {
        ollama: {
          enable: true,
          acceleration: c.acceleration === "none" ? undefined : c.acceleration,
          host: c.host,
          loadModels: c.models,
          port: c.port,
        },
      },
    },
  }),
});
