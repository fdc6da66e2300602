// proxy-from-env 2.1.0 ships no type declarations (its index.js, read here).
declare module 'proxy-from-env' {
  /**
   * The proxy URL for `url` from `<scheme>_proxy` / `all_proxy` in `process.env` (either case), or `''` when none
   * is set or `no_proxy` / `NO_PROXY` names the URL's host (`*` = all, `.domain` or `*.domain` = its subdomains,
   * `host:port` = that port only).
   */
  export function getProxyForUrl(url: string | URL): string;
}
