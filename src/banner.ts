/** What the startup banner shows. */
export interface BannerInfo {
  /** `emulator` (demo mode) or the hub's Event Hub-compatible namespace/name. */
  source: { kind: 'emulator'; devices: readonly string[] } | { kind: 'hub'; namespace: string; eventHubName: string };
  /** Base URL clients should use, e.g. `http://127.0.0.1:5000`. */
  url: string;
  /** The API key in force (`null`: authentication off). */
  apiKey: string | null;
  /** Where the key came from, for the user. */
  apiKeyOrigin: string;
  /** Device used in the curl example (`null`: none registered yet). */
  exampleDevice: string | null;
}

/** Quotes a value for a POSIX shell (single quotes). */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The startup banner (plain text for stdout; the only place the API key is ever printed): source (local emulator or
 * IoT hub), URL, API key and a curl line that works as printed.
 */
export function renderBanner(info: BannerInfo): string {
  const lines = ['', '  IoT Hub telemetry gateway'];
  if (info.source.kind === 'emulator') {
    lines.push(`  Source:  local IoT hub emulator with simulated devices (${info.source.devices.join(', ')}), replaying real measurements`);
  } else {
    lines.push(`  Source:  Azure IoT Hub built-in endpoint ${info.source.namespace}/${info.source.eventHubName}`);
  }
  lines.push(`  URL:     ${info.url}`);
  lines.push(info.apiKey === null ? '  API key: none (authentication is OFF)' : `  API key: ${info.apiKey}  (${info.apiKeyOrigin})`);
  const device = info.exampleDevice ?? '<device-id>';
  const url = `${info.url}/api/telemetry?deviceId=${encodeURIComponent(device)}`;
  const header = info.apiKey === null ? '' : ` -H ${shellQuote(`X-API-Key: ${info.apiKey}`)}`;
  lines.push('  Try:', `    curl -s${header} ${shellQuote(url)}`, '');
  return `${lines.join('\n')}\n`;
}
