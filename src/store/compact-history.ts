import { positionOf, type TelemetryMessage } from '../telemetry/telemetry-message.js';
import { envelopeKey, envelopeOf, packMessage, sameEnvelope, unpackMessage, type Envelope, type PackedColumns } from './compact-message.js';

/** Distinct envelopes interned per device; past this, a message carries its envelope in its own text. */
export const MAX_ENVELOPES_PER_DEVICE = 1024;
const IN_TEXT_ENVELOPE = 0xffff;
const FIRST_CAPACITY = 8;

/**
 * One device's bounded history, compact: the newest message as the object the pipeline stored (the one object every
 * reader of the latest message shares), the older ones packed (see `packMessage`) in a ring buffer of typed-array
 * columns (times, sequence numbers, offsets, creation times, envelope index, flags) beside one JSON text each. The
 * device ID is kept once. Reading rebuilds fresh objects, equal to the stored ones and with the same JSON.
 */
export class CompactHistory {
  private newest: TelemetryMessage | undefined;
  private capacity = 0;
  private start = 0;
  private length = 0;
  private numbers = new Float64Array(0);
  private envelopeIndex = new Uint16Array(0);
  private flags = new Uint8Array(0);
  private texts: string[] = [];
  private readonly envelopes: Envelope[] = [];
  private readonly envelopeIds = new Map<string, number>();
  private lastEnvelope = 0;

  /** @param limit messages held (`HISTORY_LIMIT`), ≥ 1: the newest plus `limit` − 1 packed. */
  constructor(readonly deviceId: string, private readonly limit: number) {}

  /** Messages held, ≤ limit. */
  get size(): number {
    return this.length + (this.newest ? 1 : 0);
  }

  /** The newest message (the stored object itself), or `undefined`. */
  get latest(): TelemetryMessage | undefined {
    return this.newest;
  }

  /** Adds `message` (of this device) as the newest; packs the previous newest, evicting the oldest past the limit. */
  push(message: TelemetryMessage): void {
    if (this.newest && this.limit > 1) this.pack(this.newest);
    this.newest = message;
  }

  /** Enqueued time of the i-th message held (0 = oldest), ms since epoch (NaN when not a date). */
  timeAt(i: number): number {
    if (i === this.length) return Date.parse((this.newest as TelemetryMessage).enqueuedTime);
    return this.numbers[this.slot(i) * 4] as number;
  }

  /** The i-th message held (0 = oldest): the newest object itself, else a rebuilt one. */
  at(i: number): TelemetryMessage {
    if (i === this.length) return this.newest as TelemetryMessage;
    const s = this.slot(i);
    const columns: PackedColumns = {
      time: this.numbers[s * 4] as number, sequenceNumber: this.numbers[s * 4 + 1] as number,
      offset: this.numbers[s * 4 + 2] as number, creationTime: this.numbers[s * 4 + 3] as number, flags: this.flags[s] as number,
    };
    const e = this.envelopeIndex[s] as number;
    return unpackMessage(this.deviceId, columns, this.texts[s] as string, e === IN_TEXT_ENVELOPE ? undefined : this.envelopes[e]);
  }

  /** Index of the message at `position` (`<partitionId>:<sequenceNumber>`, as `positionOf` writes it), or -1. */
  indexOf(position: string): number {
    const colon = position.lastIndexOf(':');
    const partition = position.slice(0, colon);
    const sequence = position.slice(colon + 1);
    for (let i = 0; i < this.length; i++) {
      const s = this.slot(i);
      if (String(this.numbers[s * 4 + 1]) !== sequence) continue;
      const e = this.envelopeIndex[s] as number;
      const partitionId = e === IN_TEXT_ENVELOPE ? this.at(i).partitionId : (this.envelopes[e] as Envelope)[0];
      if (partitionId === partition) return i;
    }
    return this.newest && positionOf(this.newest) === position ? this.length : -1;
  }

  /** Messages held from index `from` on, oldest first. */
  from(from: number): TelemetryMessage[] {
    const found: TelemetryMessage[] = [];
    for (let i = Math.max(0, from); i < this.size; i++) found.push(this.at(i));
    return found;
  }

  private slot(i: number): number {
    return (this.start + i) % this.capacity;
  }

  private pack(message: TelemetryMessage): void {
    const envelope = this.intern(message);
    const { columns, text } = packMessage(message, envelope === IN_TEXT_ENVELOPE);
    if (this.length === this.limit - 1) {
      this.start = (this.start + 1) % this.capacity;
      this.length -= 1;
    } else if (this.length === this.capacity) this.grow();
    const s = this.slot(this.length);
    this.numbers[s * 4] = columns.time;
    this.numbers[s * 4 + 1] = columns.sequenceNumber;
    this.numbers[s * 4 + 2] = columns.offset;
    this.numbers[s * 4 + 3] = columns.creationTime;
    this.envelopeIndex[s] = envelope;
    this.flags[s] = columns.flags;
    this.texts[s] = text;
    this.length += 1;
  }

  /** Doubles the ring (up to limit − 1 slots), oldest first from slot 0. */
  private grow(): void {
    const capacity = Math.min(this.limit - 1, Math.max(FIRST_CAPACITY, this.capacity * 2));
    const numbers = new Float64Array(capacity * 4);
    const envelopeIndex = new Uint16Array(capacity);
    const flags = new Uint8Array(capacity);
    const texts = new Array<string>(capacity);
    for (let i = 0; i < this.length; i++) {
      const s = this.slot(i);
      numbers.set(this.numbers.subarray(s * 4, s * 4 + 4), i * 4);
      envelopeIndex[i] = this.envelopeIndex[s] as number;
      flags[i] = this.flags[s] as number;
      texts[i] = this.texts[s] as string;
    }
    this.numbers = numbers;
    this.envelopeIndex = envelopeIndex;
    this.flags = flags;
    this.texts = texts;
    this.capacity = capacity;
    this.start = 0;
  }

  /** The index of the message's envelope, interned on first sight; the previous one is checked first (the usual case). */
  private intern(message: TelemetryMessage): number {
    const previous = this.envelopes[this.lastEnvelope];
    if (previous && sameEnvelope(previous, message)) return this.lastEnvelope;
    const envelope = envelopeOf(message);
    const key = envelopeKey(envelope);
    const known = this.envelopeIds.get(key);
    if (known !== undefined) return (this.lastEnvelope = known);
    if (this.envelopes.length >= MAX_ENVELOPES_PER_DEVICE) return IN_TEXT_ENVELOPE;
    this.envelopes.push(envelope);
    this.envelopeIds.set(key, this.envelopes.length - 1);
    return (this.lastEnvelope = this.envelopes.length - 1);
  }
}
