import { defineKind } from "../kind";
import { record, strings, text } from "../fields";
import { SETTINGS_ONLY } from "../builds-on";

const PORT = 5432;
const memory = (label: string, help: string, placeholder: string) =>
  text({ label, help, placeholder, pattern: { source: "[0-9]+(kB|MB|GB|TB)", hint: "a size with a PostgreSQL unit, e.g. 256MB" } });

export const postgresql = defineKind({
  kind: "postgresql",
  label: "PostgreSQL",
  group: "Data",
  role: "service",
  help: "A PostgreSQL server on localhost with the listed databases.",
  buildsOn: SETTINGS_ONLY,
  fields: {
    databases: strings({
      label: "Databases",
      help: "Databases created if missing.",
      itemPattern: { source: "[a-z_][a-z0-9_]{0,62}", hint: "lower-case letters, digits and '_'" },
      placeholder: "cim",
    }),
    settings: record(
      {
        shared_buffers: memory("Shared buffers", "Memory for shared buffers.", "256MB"),
        effective_cache_size: memory("Effective cache size", "What the planner assumes is cached.", "1GB"),
        work_mem: memory("Work memory", "Memory per sort or hash.", "16MB"),
      },
      { label: "Tuning", help: "Memory settings; empty ones keep PostgreSQL's defaults." },
    ),
  },
  claims: () => ["services.postgresql"],
  units: () => ["postgresql.service"],
  dataDirs: () => ["/var/lib/postgresql"],
  ports: () => [{ port: PORT, label: "PostgreSQL", field: "settings", exposed: false }],
  emit: ({ config: c }) => ({
    options: {
      services: {
        postgresql: {
          enable: true,
          ensureDatabases: c.databases.length > 0 ? c.databases : undefined,
          settings: {
            effective_cache_size: c.settings.effective_cache_size || undefined,
            shared_buffers: c.settings.shared_buffers || undefined,
            work_mem: c.settings.work_mem || undefined,
          },
        },
      },
    },
  }),
});
