/** Positions kept at most (devices seen, e.g. through a `deviceIdPattern`); the oldest entry goes first. */
export const MAX_TRACKED_DEVICES = 10_000;

interface Mark {
  position: string;
  partitionId: string;
  sequenceNumber: number;
}

function parse(position: string): Mark | undefined {
  const match = /^([^:]+):(\d{1,15})$/.exec(position);
  return match ? { position, partitionId: match[1] as string, sequenceNumber: Number(match[2]) } : undefined;
}

/**
 * The last telemetry position per device: the `from` of a resumed subscription, and the filter that drops a
 * message at or before it (a repeat, e.g. a replay that overlaps live messages). Positions of another partition
 * are never compared: such a message is kept.
 */
export class ResumePositions {
  private readonly marks = new Map<string, Mark>();

  /** The position to resume `deviceId` from, when one is known. */
  get(deviceId: string): string | undefined {
    return this.marks.get(deviceId)?.position;
  }

  /** Every device with a known position. */
  entries(): Array<[string, string]> {
    return [...this.marks].map(([deviceId, mark]) => [deviceId, mark.position]);
  }

  /** Sets (or, with `undefined`, forgets) a device's position, e.g. an explicit `from` or after a `reset`. */
  set(deviceId: string, position: string | undefined): void {
    const mark = position === undefined ? undefined : parse(position);
    this.marks.delete(deviceId);
    if (!mark) return;
    this.marks.set(deviceId, mark);
    if (this.marks.size > MAX_TRACKED_DEVICES) this.marks.delete(this.marks.keys().next().value as string);
  }

  /** Records a message's position unless it is not after the known one: returns false for a repeat (drop it). */
  accept(deviceId: string, position: string): boolean {
    const mark = parse(position);
    if (!mark) return true;
    const last = this.marks.get(deviceId);
    if (last && last.partitionId === mark.partitionId && mark.sequenceNumber <= last.sequenceNumber) return false;
    this.set(deviceId, position);
    return true;
  }

  /** Adopts `position` only when the device has none yet (the `latest` of a fresh subscription). */
  adopt(deviceId: string, position: string): void {
    if (!this.marks.has(deviceId)) this.set(deviceId, position);
  }
}
