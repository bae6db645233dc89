import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate } from "selfsigned";

/** A throwaway TLS identity for servers on this machine: key and certificate (PEM), and a file the
 * certificate is in (for NODE_EXTRA_CA_CERTS, as a corporate CA would be trusted). */
export interface LoopbackTls {
  key: string;
  cert: string;
  certFile: string;
}

/**
 * Names the certificate is for: the loopback addresses, and names that never resolve
 * (`.invalid`, RFC 2606) which only the tests' proxy knows where to send.
 */
const DNS_NAMES = ["localhost", "nexxt.invalid", "login.invalid", "graph.invalid"];
const IPS = ["127.0.0.1", "::1"];

let made: Promise<LoopbackTls> | undefined;

/**
 * Made when a test file first asks, in JavaScript (no openssl on the machine, no private key in
 * the repository), valid for a day and trusted nowhere; one per test process.
 */
export function loopbackTls(): Promise<LoopbackTls> {
  made ??= (async () => {
    const notBeforeDate = new Date(Date.now() - 60_000);
    const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
      keySize: 2048,
      algorithm: "sha256",
      notBeforeDate,
      notAfterDate: new Date(notBeforeDate.getTime() + 24 * 3600_000),
      extensions: [
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
        { name: "extKeyUsage", serverAuth: true },
        { name: "subjectAltName", altNames: [...DNS_NAMES.map((value) => ({ type: 2 as const, value })), ...IPS.map((ip) => ({ type: 7 as const, ip }))] },
      ],
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopback-tls-"));
    const certFile = path.join(dir, "cert.pem");
    fs.writeFileSync(certFile, pems.cert);
    return { key: pems.private, cert: pems.cert, certFile };
  })();
  return made;
}
