/**
 * IoT Hub device ID rules (https://learn.microsoft.com/azure/iot-hub/iot-hub-devguide-identity-registry#device-identity-properties):
 * case-sensitive, at most 128 characters, ASCII letters, digits and `- . % _ * ? ! ( ) , : = @ $ ' + # ;`.
 */
export declare const DEVICE_ID_PATTERN = "^[A-Za-z0-9\\-.%_*?!(),:=@$'+#;]{1,128}$";
/** Maximum device ID length in characters (IoT Hub). */
export declare const DEVICE_ID_MAX_LENGTH = 128;
/** JSON schema of a device ID, for route params, querystrings and bodies. */
export declare const DeviceIdSchema: {
    readonly type: "string";
    readonly minLength: 1;
    readonly maxLength: 128;
    readonly pattern: "^[A-Za-z0-9\\-.%_*?!(),:=@$'+#;]{1,128}$";
    readonly description: "IoT Hub device ID: ≤ 128 ASCII letters, digits or -.%_*?!(),:=@$'+#; (case-sensitive)";
};
/**
 * Checks a device ID against IoT Hub's rules.
 * @returns `undefined` when valid, else what is wrong (quoting at most the first 40 characters).
 */
export declare function validateDeviceId(id: string): string | undefined;
