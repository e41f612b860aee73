export * from "./names";
export * from "./commands";
export * from "./events";
export * from "./records";
export * from "./permissions";
export * from "./limits";
export * from "./layout";
export * from "./view";
