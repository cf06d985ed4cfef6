/**
 * Checks of a user's own certificate for a private endpoint, for config validation: Node's X.509
 * parser only (no Pulumi SDK is loaded by validation).
 */
import * as crypto from "crypto";
import * as net from "net";

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Why a user's certificate, key and CA do not fit an endpoint, or nothing: each must parse, the
 * key must be the certificate's, the certificate must name the host clients dial and be issued by
 * the CA, and it must not have expired. Node's own X.509 parser, so a typo fails at validation.
 */
export function userTlsProblems(
  tls: { certificate: string; privateKey: string; caCertificate: string },
  host: string | undefined,
  now: Date = new Date(),
): { field: "certificate" | "privateKey" | "caCertificate"; message: string }[] {
  const out: { field: "certificate" | "privateKey" | "caCertificate"; message: string }[] = [];
  const parse = (pem: string) => {
    const first = pem.match(PEM_CERT)?.[0];
    if (!first) return undefined;
    try {
      return new crypto.X509Certificate(first);
    } catch {
      return undefined;
    }
  };
  const cert = parse(tls.certificate);
  const ca = parse(tls.caCertificate);
  if (!cert)
    out.push({
      field: "certificate",
      message: "is not a PEM certificate (-----BEGIN CERTIFICATE-----)",
    });
  if (!ca)
    out.push({
      field: "caCertificate",
      message: "is not a PEM certificate (-----BEGIN CERTIFICATE-----)",
    });
  let key: crypto.KeyObject | undefined;
  try {
    key = crypto.createPrivateKey(tls.privateKey);
  } catch {
    out.push({ field: "privateKey", message: "is not a PEM private key (PKCS#8, PKCS#1 or SEC1)" });
  }
  if (cert && key && !cert.checkPrivateKey(key))
    out.push({ field: "privateKey", message: "is not the key of the certificate" });
  if (cert && host && !(net.isIP(host) ? cert.checkIP(host) : cert.checkHost(host)))
    out.push({ field: "certificate", message: `does not name ${host}, the host clients dial` });
  if (cert && new Date(cert.validTo).getTime() <= now.getTime())
    out.push({ field: "certificate", message: `expired on ${cert.validTo}` });
  // The last certificate of the chain is the one the CA signed (the server's, or an intermediate).
  const chain = tls.certificate.match(PEM_CERT) ?? [];
  const top = chain.length > 0 ? parse(chain[chain.length - 1]) : undefined;
  if (
    top &&
    ca &&
    top.fingerprint256 !== ca.fingerprint256 &&
    !(top.checkIssued(ca) && top.verify(ca.publicKey))
  )
    out.push({ field: "caCertificate", message: "did not issue the certificate (or its chain)" });
  return out;
}
