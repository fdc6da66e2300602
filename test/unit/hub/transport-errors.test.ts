import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server } from 'node:tls';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxyError } from '../../../src/hub/bounded-proxy-agent.js';
import { describeHubError } from '../../../src/hub/describe-hub-error.js';

const TRUST =
  "trust its CA: start the gateway with NODE_EXTRA_CA_CERTS=<CA file> (HUB_TRANSPORT=amqp; Node reads it only at start), or set HUB_CA_FILE=<CA file> (HUB_TRANSPORT=websockets and the IoT Hub endpoint discovery); the emulator prints its CA file at start; behind a TLS-inspecting proxy, trust the proxy's CA the same way";

describe('describeHubError: the proxy', () => {
  it('an unreachable proxy: proxy_unreachable, what to check', () => {
    const e = new ProxyError('unreachable', 'proxy http://127.0.0.1:9 unreachable: connect ECONNREFUSED 127.0.0.1:9');
    expect(describeHubError(e)).toEqual({
      kind: 'proxy_unreachable',
      unauthorized: false,
      reason:
        "proxy_unreachable: the proxy in HTTPS_PROXY cannot be reached: check HTTPS_PROXY's host and port and that the proxy is running, or list the hub's host in NO_PROXY to connect without it (ProxyUnreachable: proxy http://127.0.0.1:9 unreachable: connect ECONNREFUSED 127.0.0.1:9)",
    });
  });

  it('a CONNECT answered 407, 403 or 5xx: proxy_refused, each with what to do', () => {
    const refused = (status: string, extra = '') => describeHubError(new ProxyError('refused', `proxy http://p:3128 answered CONNECT h:443 with ${status}${extra}`, Number(status.slice(0, 3))));
    expect(refused('407 Proxy Authentication Required')).toEqual({
      kind: 'proxy_refused',
      unauthorized: false,
      reason:
        'proxy_refused: the proxy requires authentication (407): put its user and password in HTTPS_PROXY (http://user:password@host:port) (ProxyRefused: proxy http://p:3128 answered CONNECT h:443 with 407 Proxy Authentication Required)',
    });
    expect(refused('407 Proxy Authentication Required', ' (credentials sent)').reason).toMatch(
      /^proxy_refused: the proxy refused the user and password in HTTPS_PROXY \(407\): correct them \(percent-encode special characters\) \(/,
    );
    expect(refused('403 Access violation').reason).toBe(
      "proxy_refused: the proxy does not allow a tunnel to the hub (403): ask its administrator to allow CONNECT to the hub's host and port (443 for Azure) (ProxyRefused: proxy http://p:3128 answered CONNECT h:443 with 403 Access violation)",
    );
    expect(refused('502 Bad Gateway').reason).toBe(
      "proxy_refused: the proxy could not open a tunnel to the hub: check the hub's host and port in the connection string and that the proxy can reach them (ProxyRefused: proxy http://p:3128 answered CONNECT h:443 with 502 Bad Gateway)",
    );
    expect(refused('500 Unable to connect').kind).toBe('proxy_refused');
  });

  it('never shows the credentials of a URL inside an error message', () => {
    const d = describeHubError(new Error('getaddrinfo ENOTFOUND for http://alice:s3cret@proxy.corp:3128/'));
    expect(d.reason).toBe('Error: getaddrinfo ENOTFOUND for http://***@proxy.corp:3128/');
    expect(d.kind).toBe('hub_unreachable');
  });
});

/** Real TLS failures from Node: a server with `cert`, a client trusting `ca` (or not) for `servername`. */
describe('describeHubError: real TLS certificate errors', () => {
  let ca: { cert: string; key: string };
  const servers: Server[] = [];
  beforeAll(async () => {
    const made = await generate([{ name: 'commonName', value: 'test CA' }], {
      algorithm: 'sha256', keySize: 2048, extensions: [{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true }],
    });
    ca = { cert: made.cert, key: made.private };
  });
  afterAll(() => {
    for (const s of servers) s.close();
  });

  async function failure(serverOptions: { cert: string; key: string }, client: { ca?: string; servername: string }): Promise<unknown> {
    const server = createServer(serverOptions);
    servers.push(server);
    server.on('tlsClientError', () => undefined);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const socket = connect({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', servername: client.servername, ...(client.ca ? { ca: client.ca } : {}) });
    const [error] = (await once(socket, 'error').catch((e: unknown) => [e])) as [unknown];
    socket.destroy();
    return error;
  }
  const leaf = (options: { notBeforeDate?: Date; notAfterDate?: Date } = {}) =>
    generate([{ name: 'commonName', value: 'localhost' }], {
      algorithm: 'sha256', keySize: 2048, ca, ...options,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] }],
    }).then((g) => ({ cert: g.cert, key: g.private }));

  it('self-signed, not trusted: hub_tls_untrusted with how to trust the CA', async () => {
    const own = await generate([{ name: 'commonName', value: 'localhost' }], { algorithm: 'sha256', keySize: 2048 });
    const error = await failure({ cert: own.cert, key: own.private }, { servername: 'localhost' });
    expect((error as { code?: string }).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(describeHubError(error)).toEqual({
      kind: 'hub_tls_untrusted', unauthorized: false,
      reason: `hub_tls_untrusted: the hub's TLS certificate is not trusted: ${TRUST} (DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate)`,
    });
  });

  it('signed by an unknown CA: hub_tls_untrusted', async () => {
    const error = await failure(await leaf(), { servername: 'localhost' });
    expect((error as { code?: string }).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(describeHubError(error).reason).toBe(`hub_tls_untrusted: the hub's TLS certificate is not trusted: ${TRUST} (UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate)`);
  });

  it('trusted but for another name: hub_tls_untrusted naming the host mismatch', async () => {
    const error = await failure(await leaf(), { ca: ca.cert, servername: 'myhub.example' });
    expect((error as { code?: string }).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    const d = describeHubError(error);
    expect(d.kind).toBe('hub_tls_untrusted');
    expect(d.reason).toBe(
      "hub_tls_untrusted: the hub's TLS certificate does not name the host dialled: use the host name it was issued for in the connection string (the emulator's: localhost) (ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match certificate's altnames: Host: myhub.example. is not in the cert's altnames: DNS:localhost)",
    );
  });

  it('trusted but expired: hub_tls_untrusted (not unauthorized, though the message says expired)', async () => {
    const error = await failure(await leaf({ notBeforeDate: new Date(Date.now() - 2 * 86_400_000), notAfterDate: new Date(Date.now() - 86_400_000) }), { ca: ca.cert, servername: 'localhost' });
    expect((error as { code?: string }).code).toBe('CERT_HAS_EXPIRED');
    expect(describeHubError(error)).toEqual({
      kind: 'hub_tls_untrusted', unauthorized: false,
      reason: "hub_tls_untrusted: the hub's TLS certificate has expired or is not yet valid: renew it (the emulator makes a new one at each start unless given --tls-cert), and check this machine's clock (CERT_HAS_EXPIRED: certificate has expired)",
    });
  });
});
