/**
 * IoT Hub device ID rules (https://learn.microsoft.com/azure/iot-hub/iot-hub-devguide-identity-registry#device-identity-properties):
 * case-sensitive, at most 128 characters, ASCII letters, digits and `- . % _ * ? ! ( ) , : = @ $ ' + # ;`.
 */
export const DEVICE_ID_PATTERN = "^[A-Za-z0-9\\-.%_*?!(),:=@$'+#;]{1,128}$";
const DEVICE_ID_REGEX = new RegExp(DEVICE_ID_PATTERN);
/** Maximum device ID length in characters (IoT Hub). */
export const DEVICE_ID_MAX_LENGTH = 128;
/** JSON schema of a device ID, for route params, querystrings and bodies. */
export const DeviceIdSchema = {
    type: 'string',
    minLength: 1,
    maxLength: DEVICE_ID_MAX_LENGTH,
    pattern: DEVICE_ID_PATTERN,
    description: "IoT Hub device ID: ≤ 128 ASCII letters, digits or -.%_*?!(),:=@$'+#; (case-sensitive)",
};
/**
 * Checks a device ID against IoT Hub's rules.
 * @returns `undefined` when valid, else what is wrong (quoting at most the first 40 characters).
 */
export function validateDeviceId(id) {
    if (id.length === 0)
        return 'device ID is empty';
    if (id.length > DEVICE_ID_MAX_LENGTH)
        return `device ID is ${id.length} characters long; IoT Hub allows at most 128`;
    if (!DEVICE_ID_REGEX.test(id)) {
        return `device ID ${JSON.stringify(id.slice(0, 40))} contains characters IoT Hub does not allow (allowed: ASCII letters, digits and -.%_*?!(),:=@$'+#;)`;
    }
    return undefined;
}
