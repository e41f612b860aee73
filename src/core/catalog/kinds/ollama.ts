import { defineKind } from "../kind";
import { bool, oneOf, port, strings, text } from "../fields";
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
    acceleration: oneOf(["none", "cuda", "rocm"], {
      label: "Acceleration",
      help: "The GPU library to use. CUDA also installs the NVIDIA driver and allows unfree packages on the host (CUDA and the driver are unfree).",
      default: "none",
    }),
    nvidiaOpen: bool({
      label: "NVIDIA open kernel modules",
      help: "With CUDA: NVIDIA's open kernel modules, for Turing and later GPUs (RTX, GTX 16xx); off for older GPUs, which need the proprietary ones.",
      default: true,
    }),
  },
  claims: () => ["services.ollama"],
  units: () => ["ollama.service"],
  dataDirs: () => ["/var/lib/private/ollama"],
  ports: (c) => [{ port: c.port, label: "Ollama API", field: "port", exposed: c.host !== "127.0.0.1" }],
  // CUDA (nixpkgs 24.11): ollama's package builds against the unfree CUDA libraries, and runs
  // on the NVIDIA driver, which nvidia.nix enables for videoDrivers = [ "nvidia" ] and which
  // asks for `open` to be chosen (drivers >= 560); libcuda reaches services through
  // /run/opengl-driver, which hardware.graphics makes. The CUDA closure's unfree package names
  // change between releases, so the host allows unfree packages rather than a list of names.
  emit: ({ config: c }) => ({
    options: {
      hardware: c.acceleration === "cuda" ? { graphics: { enable: true }, nvidia: { nvidiaSettings: false, open: c.nvidiaOpen } } : undefined,
      nixpkgs: c.acceleration === "cuda" ? { config: { allowUnfree: true } } : undefined,
      services: {
        xserver: c.acceleration === "cuda" ? { videoDrivers: ["nvidia"] } : undefined,
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
