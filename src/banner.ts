/** What the startup banner shows. */
export interface BannerInfo {
  /** `emulator` (demo mode) or the hub's Event Hub-compatible namespace/name. */
  source:
    | {
        kind: 'emulator';
        devices: readonly string[];
        /** The embedded emulator's device HTTP API base URL, e.g. `http://127.0.0.1:39315` (demo mode). */
        deviceApiUrl?: string;
      }
    | { kind: 'hub'; namespace: string; eventHubName: string; developmentEmulator?: boolean };
  /** Base URL clients should use, e.g. `http://127.0.0.1:5000`. */
  url: string;
  /** The API key in force (`null`: authentication off). */
  apiKey: string | null;
  /** Where the key came from, for the user. */
  apiKeyOrigin: string;
  /** Device used in the curl example (`null`: none registered yet). */
  exampleDevice: string | null;
}

/** The device ID of the banner's example when no device is registered yet. */
const EXAMPLE_DEVICE = 'my-device';

/** The body of the banner's device message: a household meter's reading (the demo's example device). */
const SAMPLE_BODY = { voltage: 231.5, current: 4.2, activePower: 0.97, reactivePower: 0.1 };

/** Quotes a value for a POSIX shell (single quotes). */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The startup banner (plain text for stdout; the only place the API key is ever printed): source (local emulator or
 * IoT hub), URL, in demo mode the emulator's device API, API key with the key file's path, and curl lines that work
 * as printed (in demo mode one more, sending a message as the example device).
 */
export function renderBanner(info: BannerInfo): string {
  const lines = ['', '  IoT Hub telemetry gateway'];
  if (info.source.kind === 'emulator') {
    lines.push(`  Source:  local IoT hub emulator with simulated devices (${info.source.devices.join(', ')}), replaying real measurements`);
  } else {
    const what = info.source.developmentEmulator ? 'Event Hub-compatible endpoint (development emulator, no TLS)' : 'Azure IoT Hub built-in endpoint';
    lines.push(`  Source:  ${what} ${info.source.namespace}/${info.source.eventHubName}`);
  }
  lines.push(`  URL:     ${info.url}`);
  if (info.source.kind === 'emulator' && info.source.deviceApiUrl && info.exampleDevice) {
    lines.push(`  Devices: ${info.source.deviceApiUrl}  (the emulator's device HTTP API: POST /devices/<deviceId>/messages/events)`);
  }
  lines.push(info.apiKey === null ? '  API key: none (authentication is OFF)' : `  API key: ${info.apiKey}  (${info.apiKeyOrigin})`);
  const header = info.apiKey === null ? '' : ` -H ${shellQuote(`X-API-Key: ${info.apiKey}`)}`;
  const device = info.exampleDevice ?? EXAMPLE_DEVICE;
  const url = `${info.url}/api/telemetry?deviceId=${encodeURIComponent(device)}`;
  if (info.exampleDevice === null) {
    // Every line must work as printed: no placeholder the API would refuse as a device ID.
    const body = shellQuote(JSON.stringify({ deviceId: EXAMPLE_DEVICE }));
    lines.push(
      `  Try (replace ${EXAMPLE_DEVICE} with one of your device IDs):`,
      `    curl -s -X POST${header} -H 'Content-Type: application/json' -d ${body} ${shellQuote(`${info.url}/api/register-device`)}`,
      `    curl -s${header} ${shellQuote(url)}`,
      '',
    );
  } else {
    lines.push('  Try:', `    curl -s${header} ${shellQuote(url)}`);
    if (info.source.kind === 'emulator' && info.source.deviceApiUrl) {
      const deviceUrl = `${info.source.deviceApiUrl}/devices/${encodeURIComponent(device)}/messages/events`;
      lines.push(
        `  Send a message as ${device}:`,
        `    curl -s -X POST -H 'iothub-contenttype: application/json' --data-binary ${shellQuote(JSON.stringify(SAMPLE_BODY))} ${shellQuote(deviceUrl)}`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
