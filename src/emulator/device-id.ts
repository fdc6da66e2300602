/**
 * IoT Hub's rule for device IDs and module IDs: up to 128 characters of ASCII letters, digits and
 * `-.%_*?!(),:=@$'+#;`, case-sensitive (https://learn.microsoft.com/azure/iot-hub/iot-hub-devguide-identity-registry).
 */
const ID_PATTERN = /^[A-Za-z0-9\-.%_*?!(),:=@$'+#;]{1,128}$/;

/** Whether `id` is a valid IoT Hub device ID or module ID. */
export function isValidDeviceId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** IoT Hub's device-to-cloud message size limit: 256 KiB (262,144 bytes) of body. */
export const MAX_MESSAGE_BYTES = 256 * 1024;
