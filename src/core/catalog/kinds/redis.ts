import { defineKind } from "../kind";
import { port } from "../fields";
import { SETTINGS_ONLY } from "../builds-on";

export const redis = defineKind({
  kind: "redis",
  label: "Redis",
  group: "Data",
  role: "service",
  help: "A Redis server named cim, on localhost.",
  buildsOn: SETTINGS_ONLY,
  fields: { port: port({ label: "Port", help: "The Redis port.", default: 6379 }) },
  claims: () => ["services.redis.servers.cim"],
  units: () => ["redis-cim.service"],
  dataDirs: () => ["/var/lib/redis-cim"],
  ports: (c) => [{ port: c.port, label: "Redis", field: "port", exposed: false }],
  emit: ({ config: c }) => ({ options: { services: { redis: { servers: { cim: { enable: true, port: c.port } } } } } }),
});
