/** The provider registry and the backend interface every cloud implements. */
export * from "./backend";
export * from "./registry";
