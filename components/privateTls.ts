/**
 * TLS for the platform's private endpoints (observability's central write path and Grafana): a
 * private CA per platform and a leaf certificate per endpoint, or the user's own certificate.
 *
 * Day 2 (every input of the tls provider's resources is replace-on-change, terraform-provider-tls):
 * - the leaf lives LEAF_VALIDITY_HOURS and is `readyForRenewal` LEAF_EARLY_RENEWAL_HOURS before it
 *   expires, so any `up` in that window issues a new one (same key, same names) and the endpoint's
 *   pods roll to it. Clients trust the CA, not the leaf: a renewal breaks nobody.
 * - a changed name list (a new hostname) replaces the CSR and so the leaf, signed by the same CA.
 * - the CA lives CA_VALIDITY_HOURS and renews CA_EARLY_RENEWAL_HOURS before expiry: a new CA signs
 *   new leaves at once, and every client must take the new CA certificate (remote platforms do on
 *   their next `up`, through the StackReference). It is the only event that needs the remotes' `up`.
 * - its keys never change on their own (PrivateKey has no expiry); they are secret outputs.
 */
import * as net from "net";
import * as pulumi from "@pulumi/pulumi";
import { CertRequest } from "@pulumi/tls/certRequest";
import { LocallySignedCert } from "@pulumi/tls/locallySignedCert";
import { PrivateKey } from "@pulumi/tls/privateKey";
import { SelfSignedCert } from "@pulumi/tls/selfSignedCert";
import { PrivateTlsConfig, Scope } from "./types";

/** Ten years; renewed in its last year. */
export const CA_VALIDITY_HOURS = 87600;
export const CA_EARLY_RENEWAL_HOURS = 8760;
/** Two years; renewed by any `up` in its last 90 days. */
export const LEAF_VALIDITY_HOURS = 17520;
export const LEAF_EARLY_RENEWAL_HOURS = 2160;

/** ECDSA P-256: every client here (Go, nginx/OpenSSL, curl, browsers) takes it. */
const KEY = { algorithm: "ECDSA", ecdsaCurve: "P256" } as const;
/** terraform-provider-tls key usage names. */
export const CA_USES = ["cert_signing", "crl_signing", "digital_signature"];
export const SERVER_USES = ["digital_signature", "key_encipherment", "server_auth"];

/** What an endpoint serves and what its clients trust. */
export interface EndpointTls {
  /** PEM chain the server presents. */
  readonly certificate: pulumi.Output<string>;
  /** Secret. */
  readonly privateKey: pulumi.Output<string>;
  /** PEM of the CA clients verify the server against. */
  readonly caCertificate: pulumi.Output<string>;
}

/** A platform's private CA: its certificate and a way to sign leaves. */
export interface PrivateCa {
  readonly certificate: pulumi.Output<string>;
  /**
   * Issues the leaf of one endpoint (child names `<scope>-<endpoint>-tls-*`) for the names clients
   * dial: DNS names, and IPv4 addresses, which go into IP SANs.
   */
  leaf(endpoint: string, names: readonly string[]): EndpointTls;
}

/** The platform's CA (children `<scope>-tls-ca-key`, `<scope>-tls-ca`), made on first use. */
export function privateCa(scope: Scope, commonName: string): PrivateCa {
  const opts = { parent: scope.parent };
  const key = new PrivateKey(`${scope.name}-tls-ca-key`, { ...KEY }, opts);
  const ca = new SelfSignedCert(
    `${scope.name}-tls-ca`,
    {
      privateKeyPem: key.privateKeyPem,
      subject: { commonName, organization: "officeless" },
      isCaCertificate: true,
      // No intermediates below it.
      maxPathLength: 0,
      setSubjectKeyId: true,
      allowedUses: CA_USES,
      validityPeriodHours: CA_VALIDITY_HOURS,
      earlyRenewalHours: CA_EARLY_RENEWAL_HOURS,
    },
    opts,
  );
  return {
    certificate: ca.certPem,
    leaf(endpoint, names) {
      const ipAddresses = names.filter((n) => net.isIP(n) !== 0);
      const dnsNames = names.filter((n) => net.isIP(n) === 0);
      const name = `${scope.name}-${endpoint}-tls`;
      const leafKey = new PrivateKey(`${name}-key`, { ...KEY }, opts);
      const csr = new CertRequest(
        `${name}-csr`,
        {
          privateKeyPem: leafKey.privateKeyPem,
          subject: { commonName: names[0], organization: "officeless" },
          dnsNames,
          ...(ipAddresses.length ? { ipAddresses } : {}),
        },
        opts,
      );
      const cert = new LocallySignedCert(
        `${name}-cert`,
        {
          certRequestPem: csr.certRequestPem,
          caPrivateKeyPem: key.privateKeyPem,
          caCertPem: ca.certPem,
          allowedUses: SERVER_USES,
          validityPeriodHours: LEAF_VALIDITY_HOURS,
          earlyRenewalHours: LEAF_EARLY_RENEWAL_HOURS,
        },
        opts,
      );
      return {
        certificate: cert.certPem,
        privateKey: pulumi.secret(leafKey.privateKeyPem),
        caCertificate: ca.certPem,
      };
    },
  };
}

/** An endpoint's TLS: the user's certificate when configured, else a leaf of the platform's CA. */
export function endpointTls(
  ca: () => PrivateCa,
  endpoint: string,
  names: readonly string[],
  user?: PrivateTlsConfig,
): EndpointTls {
  if (user)
    return {
      certificate: pulumi.output(user.certificate),
      privateKey: pulumi.secret(user.privateKey),
      caCertificate: pulumi.output(user.caCertificate),
    };
  return ca().leaf(endpoint, names);
}
