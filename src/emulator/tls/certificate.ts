import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/** The TLS material the emulator listens with. */
export interface TlsMaterial {
  /** Server certificate chain, PEM. */
  cert: string;
  /** Server private key, PEM. */
  key: string;
  /** PEM file clients trust (`NODE_EXTRA_CA_CERTS`, `HUB_CA_FILE`, Python's `connection_verify`). */
  caFile: string;
  /** Removes what was generated (nothing for given files). */
  dispose(): Promise<void>;
}

/** How long a generated certificate is valid (ms): a day, for a process that is restarted far more often. */
const VALIDITY_MS = 86_400_000;

/**
 * A fresh certificate authority and a server certificate it signs for `localhost`, `127.0.0.1`, `::1` and `host`
 * (EC P-256, SHA-256, valid from an hour ago for a day), made with `selfsigned`. The CA's PEM is written to
 * `<tmpdir>/iothub-emulator-tls-<random suffix>/ca.pem` (removed by `dispose`); the private keys never reach the disk.
 */
export async function generateTlsMaterial(host: string): Promise<TlsMaterial> {
  const notBeforeDate = new Date(Date.now() - 3_600_000);
  const notAfterDate = new Date(Date.now() + VALIDITY_MS);
  const base = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256', notBeforeDate, notAfterDate } as const;
  const ca = await generate([{ name: 'commonName', value: 'Local IoT hub emulator CA (not Azure)' }], {
    ...base,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const altNames: { type: 2 | 7; value?: string; ip?: string }[] = [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }];
  const bare = host.replace(/^\[|\]$/g, '');
  if (!['localhost', '127.0.0.1', '::1', '0.0.0.0', '::'].includes(bare)) altNames.push(isIP(bare) ? { type: 7, ip: bare } : { type: 2, value: bare });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    ...base,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  const dir = await mkdtemp(join(tmpdir(), 'iothub-emulator-tls-'));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, ca.cert, { mode: 0o644 });
  return { cert: server.cert, key: server.private, caFile, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * TLS material from PEM files the user gives (`--tls-cert`, `--tls-key`); clients trust `certFile` itself unless
 * `caFile` names the issuing CA.
 * @throws the file system's error when a file cannot be read.
 */
export async function readTlsMaterial(certFile: string, keyFile: string, caFile?: string): Promise<TlsMaterial> {
  const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  return { cert, key, caFile: caFile ?? certFile, dispose: () => Promise.resolve() };
}
