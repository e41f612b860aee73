export * from "./names";
export * from "./commands";
export * from "./events";
export * from "./records";
export * from "./permissions";
export * from "./signing";
export * from "./limits";
export * from "./layout";
export * from "./view";
export * from "./presence";
export * from "./leafChoice";
// Not "./schemas": it brings zod, which the first page load does not need; its readers
// (the hub client, loaded with the NATS client) import it by its own path.
