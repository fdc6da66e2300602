import { getProxyForUrl } from 'proxy-from-env';

/** The process environment keys proxy-from-env reads for an `https:` URL, set while it decides. */
const KEYS = ['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY'] as const;

/**
 * The proxy URL (credentials included) through which `url` (`wss://host:port/...` or `https://...`) is reached, or
 * `null` when there is no proxy or `noProxy` names the host: proxy-from-env's `getProxyForUrl` decides with
 * `HTTPS_PROXY` = `proxy` and `NO_PROXY` = `noProxy` (config values, which may come from `.env`). proxy-from-env
 * 2.1.0 reads only `process.env` and picks `wss_proxy` for `wss:`, so the URL is asked about as `https://<its host>/`
 * (same host and port; 443 when it names none) with the environment set to the config's values for the synchronous call, then put back.
 */
export function proxyForUrl(url: string, proxy: string | null, noProxy: readonly string[]): string | null {
  if (!proxy) return null;
  const target = `https://${new URL(url).host}/`;
  const saved = KEYS.map((key) => [key, process.env[key]] as const);
  try {
    for (const key of KEYS) delete process.env[key];
    process.env.https_proxy = proxy;
    if (noProxy.length > 0) process.env.no_proxy = noProxy.join(',');
    return getProxyForUrl(target) || null;
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** `proxy` without its credentials (`http://user:password@proxy:3128` → `http://proxy:3128`), for logs and errors. */
export function redactProxy(proxy: string): string {
  try {
    const u = new URL(proxy);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'an invalid proxy URL';
  }
}
