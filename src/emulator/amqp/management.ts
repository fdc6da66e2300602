import type { Message } from 'rhea';
import type { EventHub } from '../event-hub.js';
import { types } from './rhea.js';

/** AMQP type code of `str32-utf8`, the element type of `partition_ids` (AMQP 1.0 §1.6.20). */
const STR32 = 0xb1;

/**
 * Answers a `$management` READ request as Event Hubs does (`@azure/event-hubs` `managementClient.js`):
 * `com.microsoft:eventhub` → `name`, `type`, `created_at` (timestamp), `partition_count` (int), `partition_ids`
 * (an AMQP array of strings); `com.microsoft:partition` → `name`, `type`, `partition`, `begin_sequence_number` and
 * `last_enqueued_sequence_number` (long), `last_enqueued_offset` (string), `last_enqueued_time_utc` (timestamp),
 * `is_partition_empty` (boolean). The body is an AMQP map with string keys; 404 for an unknown hub or partition.
 * @param nowMs current time in ms since the epoch (applies age retention before answering).
 */
export function answerManagement(request: Message, hub: EventHub, nowMs: number): Message {
  const props = request.application_properties ?? {};
  const reply = (status: number, description: string, body?: unknown): Message => ({
    correlation_id: request.message_id,
    application_properties: { 'status-code': types.wrap_int(status), 'status-description': description },
    body,
  });
  if (props.operation !== 'READ') return reply(400, `Unsupported operation '${String(props.operation)}'.`);
  if (props.name !== hub.name) return reply(404, `The messaging entity '${String(props.name)}' could not be found.`);
  if (props.type === 'com.microsoft:eventhub') {
    return reply(200, 'OK', types.wrap_map({
      name: hub.name,
      type: 'com.microsoft:eventhub',
      created_at: types.wrap_timestamp(hub.createdAt.getTime()),
      partition_count: types.wrap_int(hub.partitionIds.length),
      partition_ids: types.wrap_array(hub.partitionIds, STR32, undefined),
    }));
  }
  if (props.type === 'com.microsoft:partition') {
    const log = hub.partition(String(props.partition));
    if (!log) return reply(404, `Partition '${String(props.partition)}' does not exist in '${hub.name}'.`);
    log.trim(nowMs);
    return reply(200, 'OK', types.wrap_map({
      name: hub.name,
      type: 'com.microsoft:partition',
      partition: log.partitionId,
      begin_sequence_number: types.wrap_long(log.beginSequenceNumber),
      last_enqueued_sequence_number: types.wrap_long(log.nextSequenceNumber - 1),
      last_enqueued_offset: String(log.lastOffset),
      last_enqueued_time_utc: types.wrap_timestamp(log.lastEnqueuedMs),
      is_partition_empty: log.size === 0,
    }));
  }
  return reply(400, `Unsupported type '${String(props.type)}'.`);
}
