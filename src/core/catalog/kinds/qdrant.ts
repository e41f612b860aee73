import { defineKind } from "../kind";
import { port } from "../fields";
import { SETTINGS_ONLY } from "../builds-on";

export const qdrant = defineKind({
  kind: "qdrant",
  label: "Qdrant",
  group: "Data",
  role: "service",
  help: "The Qdrant vector database (HTTP API; gRPC on the next port).",
  buildsOn: SETTINGS_ONLY,
  fields: { port: port({ label: "HTTP port", help: "The REST API port; gRPC listens on the port after it.", default: 6333, max: 65534 }) },
  claims: () => ["services.qdrant"],
  units: () => ["qdrant.service"],
  // The NixOS module runs qdrant with DynamicUser and StateDirectory = "qdrant": the data is in
  // /var/lib/private/qdrant, and /var/lib/qdrant is a symlink, which Borg would store as a link.
  dataDirs: () => ["/var/lib/private/qdrant"],
  ports: (c) => [
    { port: c.port, label: "Qdrant HTTP", field: "port", exposed: false },
    { port: c.port + 1, label: "Qdrant gRPC", field: "port", exposed: false },
  ],
  emit: ({ config: c }) => ({
    options: { services: { qdrant: { enable: true, settings: { service: { grpc_port: c.port + 1, http_port: c.port } } } } },
  }),
});
