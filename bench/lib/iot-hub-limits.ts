/**
 * IoT Hub limits the one-client-per-device design runs into (https://learn.microsoft.com/azure/iot-hub/iot-hub-devguide-quotas-throttling
 * and the Event Hubs quotas of the built-in endpoint): at most 5 concurrent readers per partition and consumer group,
 * and 20 consumer groups (including `$Default`) on standard tiers.
 */
export const READERS_PER_PARTITION_AND_GROUP = 5;

/** Consumer groups of a standard-tier IoT Hub's built-in endpoint, `$Default` included. */
export const CONSUMER_GROUPS_STANDARD_TIER = 20;
