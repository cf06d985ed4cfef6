/**
 * The offline plan's answer for a remote-mode stack's StackReference to its central platform:
 * the `central` output a central observability stack exports (components/observabilityCentral.ts
 * CentralEndpoints), with a credential for this platform's tenant and the central CA. Marked secret, as the real one is.
 */
import { PlatformConfig } from "../../components/types";

/** The write path's URL the mock central stack reports. */
export const MOCK_CENTRAL_URL = "https://tenant-gateway.observability.central.internal";
/** The central platform's CA certificate the mock reports (a placeholder PEM). */
export const MOCK_CENTRAL_CA =
  "-----BEGIN CERTIFICATE-----\nbW9jayBjZW50cmFsIENB\n-----END CERTIFICATE-----\n";

export function centralStackMock(config: PlatformConfig): {
  outputs: Record<string, Record<string, unknown>>;
  secretOutputs: Record<string, string[]>;
} {
  const stack =
    config.observability.mode === "remote" ? config.observability.remote?.stack : undefined;
  if (!stack) return { outputs: {}, secretOutputs: {} };
  return {
    outputs: {
      [stack]: {
        central: {
          url: MOCK_CENTRAL_URL,
          tenants: { [config.name]: "mock-central-password" },
          caCertificate: MOCK_CENTRAL_CA,
        },
      },
    },
    secretOutputs: { [stack]: ["central"] },
  };
}
