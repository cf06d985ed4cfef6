/** The layer graph lives with the components (Platform wires by it); programs and automation import it from here too. */
export * from "../components/layers";
