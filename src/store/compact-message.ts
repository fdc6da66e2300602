import type { BodyEncoding, PropertyValue, TelemetryMessage } from '../telemetry/telemetry-message.js';

/**
 * The envelope fields a device's messages mostly share: partition, module, content type and encoding, body encoding
 * and format. Interned per device (see `EnvelopeTable`), so a stored message holds only its index.
 */
export type Envelope = readonly [
  partitionId: string, moduleId: string | null, contentType: string | null, contentEncoding: string | null,
  bodyEncoding: BodyEncoding, bodyFormat: readonly string[] | null,
];

/** Which fields a packed text holds besides the body, in this order (bits of the row's flags). */
export const IN_TEXT = { envelope: 1, time: 2, offset: 4, messageId: 8, properties: 16, creationTime: 32 } as const;

/** The columns of one packed message: numbers only; what they cannot carry is in the text (see {@link IN_TEXT}). */
export interface PackedColumns {
  /** Enqueued time, ms since epoch (`Date.parse`; NaN when not a date). */
  time: number;
  sequenceNumber: number;
  /** The offset as a number, when its decimal spelling is exactly the string; else NaN (and the string is in the text). */
  offset: number;
  /** The creation time, ms since epoch, when it prints back the same; NaN when absent or in the text. */
  creationTime: number;
  flags: number;
}

/** The envelope of a message. */
export function envelopeOf(m: TelemetryMessage): Envelope {
  return [m.partitionId, m.moduleId, m.contentType, m.contentEncoding, m.bodyEncoding, m.bodyFormat ?? null];
}

/** Whether `m` has exactly `envelope`. */
export function sameEnvelope(envelope: Envelope, m: TelemetryMessage): boolean {
  const [partitionId, moduleId, contentType, contentEncoding, bodyEncoding, bodyFormat] = envelope;
  if (partitionId !== m.partitionId || moduleId !== m.moduleId || contentType !== m.contentType) return false;
  if (contentEncoding !== m.contentEncoding || bodyEncoding !== m.bodyEncoding) return false;
  const format = m.bodyFormat ?? null;
  if (bodyFormat === null || format === null) return bodyFormat === format;
  return bodyFormat.length === format.length && bodyFormat.every((step, i) => step === format[i]);
}

/** A key naming an envelope (its JSON), for interning. */
export function envelopeKey(envelope: Envelope): string {
  return JSON.stringify(envelope);
}

const hasKeys = (object: object): boolean => {
  for (const key in object) if (Object.hasOwn(object, key)) return true;
  return false;
};

const isoMs = (text: string): number => {
  const ms = Date.parse(text);
  return Number.isFinite(ms) && new Date(ms).toISOString() === text ? ms : NaN;
};

/**
 * Splits a message into numeric columns and one JSON text: a JSON array of the fields the columns cannot carry exactly
 * (in {@link IN_TEXT} order), then the body. `envelopeInText` puts the envelope in the text too (its table is full).
 */
export function packMessage(m: TelemetryMessage, envelopeInText: boolean): { columns: PackedColumns; text: string } {
  const parts: unknown[] = [];
  let flags = 0;
  const put = (bit: number, value: unknown): void => {
    flags |= bit;
    parts.push(value);
  };
  if (envelopeInText) put(IN_TEXT.envelope, envelopeOf(m));
  let time = isoMs(m.enqueuedTime);
  if (Number.isNaN(time)) {
    put(IN_TEXT.time, m.enqueuedTime);
    time = Date.parse(m.enqueuedTime);
  }
  let offset = m.offset === '' ? NaN : Number(m.offset);
  if (String(offset) !== m.offset) {
    put(IN_TEXT.offset, m.offset);
    offset = NaN;
  }
  if (m.messageId !== null) put(IN_TEXT.messageId, m.messageId);
  if (hasKeys(m.properties)) put(IN_TEXT.properties, m.properties);
  let creationTime = NaN;
  if (m.creationTime !== null) {
    creationTime = isoMs(m.creationTime);
    if (Number.isNaN(creationTime)) put(IN_TEXT.creationTime, m.creationTime);
  }
  parts.push(m.body);
  return { columns: { time, sequenceNumber: m.sequenceNumber, offset, creationTime, flags }, text: JSON.stringify(parts) };
}

/**
 * The message {@link packMessage} packed, rebuilt with the normalizer's key order (so its JSON is the original's,
 * byte for byte): a fresh object each call. `envelope` is the interned one, ignored when the text holds it.
 */
export function unpackMessage(deviceId: string, columns: PackedColumns, text: string, envelope: Envelope | undefined): TelemetryMessage {
  const parts = JSON.parse(text) as unknown[];
  let at = 0;
  const next = <T>(bit: number): T | undefined => ((columns.flags & bit) !== 0 ? (parts[at++] as T) : undefined);
  const shared: Envelope | undefined = next<Envelope>(IN_TEXT.envelope) ?? envelope;
  if (!shared) throw new Error('a packed message without its envelope');
  const [partitionId, moduleId, contentType, contentEncoding, bodyEncoding, bodyFormat] = shared;
  const enqueuedTime = next<string>(IN_TEXT.time) ?? new Date(columns.time).toISOString();
  const offset = next<string>(IN_TEXT.offset) ?? String(columns.offset);
  const messageId = next<string>(IN_TEXT.messageId) ?? null;
  const properties = next<Record<string, PropertyValue>>(IN_TEXT.properties) ?? {};
  const creationTime = next<string>(IN_TEXT.creationTime) ??
    (Number.isNaN(columns.creationTime) ? null : new Date(columns.creationTime).toISOString());
  const message: TelemetryMessage = {
    deviceId, moduleId, enqueuedTime, partitionId, sequenceNumber: columns.sequenceNumber, offset, contentType,
    contentEncoding, messageId, properties, creationTime, body: parts[at], bodyEncoding,
  };
  if (bodyFormat) message.bodyFormat = [...bodyFormat];
  return message;
}
