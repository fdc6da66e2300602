import type { Checkpoint, PartitionProperties } from '@azure/event-hubs';
import { map, merge, Subject, type Observable } from 'rxjs';
import type { Clock } from '../config/clock.js';
import type { CheckpointScope } from '../store/telemetry-store.js';
import { bounded } from './bounded-call.js';
import type { HubConsumerOptions } from './hub-consumer-options.js';
import { PartitionCoverage } from './partition-coverage.js';
import type { PartitionProgress } from './partition-progress.js';
import { checkpointAhead, describeCheckpointAhead, describeRetentionGap, retentionGap, type CheckpointAhead, type RetentionGap } from './retention-gap.js';

/** Longest wait for a checkpoint store call the consumer makes on its own, in ms. */
const STORE_TIMEOUT_MS = 5_000;

/** What {@link PartitionWatch} takes: the consumer's store, logger, intervals and `onRetentionGap`, and its clock. */
type PartitionWatchOptions = Pick<HubConsumerOptions, 'checkpointStore' | 'logger' | 'balancing' | 'probeIntervalMs' | 'onRetentionGap' | 'onCheckpointAhead'> & {
  clock: Clock;
  /** The coverage changed: publish the health. */
  onChange(): void;
};

/** What one open consumer tells the watch: its store scope, its owner ID, its progress tracker. */
export interface WatchedOpen {
  scope: CheckpointScope;
  ownerId: string;
  progress: PartitionProgress;
  /** Reads a partition's properties now (the consumer's client; bounded by the watch). */
  readProperties(partitionId: string): Promise<PartitionProperties>;
}

/**
 * The partitions as the shared checkpoint store sees them: which ones other instances read ({@link PartitionCoverage},
 * from `listOwnership`, read after every partition start and stop and with every readiness probe, one read at a
 * time), and what a partition start finds (the checkpoint it resumes after, compared with the begin sequence number
 * the last plan or probe read: a retention gap). Store calls time out after 5 s; a failed read changes nothing.
 */
export class PartitionWatch {
  readonly coverage: PartitionCoverage;
  private readonly begins = new Map<string, number>();
  private readonly lasts = new Map<string, Pick<PartitionProperties, 'isEmpty' | 'lastEnqueuedSequenceNumber'>>();
  /** Per partition, the checkpoint sequence number found ahead of the log and reported. */
  private readonly reportedAhead = new Map<string, number>();
  private readonly gapSubject = new Subject<RetentionGap>();
  private readonly aheadSubject = new Subject<CheckpointAhead>();
  /** Each checkpoint found ahead of its partition's log when the partition started (each once). */
  readonly aheads$: Observable<CheckpointAhead> = this.aheadSubject.asObservable();
  /** The one-line reason of each retention gap and each checkpoint ahead of its log, for hub-wide notices. */
  readonly notices$: Observable<string> = merge(
    this.gapSubject.pipe(map((gap) => describeRetentionGap(gap))),
    this.aheadSubject.pipe(map((ahead) => describeCheckpointAhead(ahead))),
  );
  /** Per partition, the checkpoint sequence number whose gap was reported (bounded by the partition count). */
  private readonly reported = new Map<string, number>();
  private current: WatchedOpen | null = null;
  private reading = false;
  private readAgain = false;
  /** Each retention gap found when a partition started (each checkpoint's gap once). */
  readonly gaps$: Observable<RetentionGap> = this.gapSubject.asObservable();

  constructor(private readonly o: PartitionWatchOptions) {
    const ownershipExpiryMs = o.balancing?.ownershipExpiryMs ?? 10_000;
    this.coverage = new PartitionCoverage({ clock: o.clock, ownershipExpiryMs, onChange: () => o.onChange() });
  }

  /**
   * Starts watching an open consumer's `partitions` partitions. A hand-over may take a probe period (to see it) and a
   * claim interval per partition taken, plus one (the SDK's load balancer claims in passes).
   */
  open(watched: WatchedOpen, partitions: number): void {
    this.current = watched;
    this.coverage.clear();
    this.coverage.setGrace((this.o.probeIntervalMs ?? 5000) + (partitions + 1) * (this.o.balancing?.claimIntervalMs ?? 2000));
    void this.readOwnership();
  }

  /** Stops (the consumer closed). */
  close(): void {
    this.current = null;
    this.coverage.clear();
  }

  /** The partitions' properties from a start plan or a probe: their begin sequence numbers. */
  properties(partitions: readonly PartitionProperties[]): void {
    for (const p of partitions) {
      this.begins.set(p.partitionId, p.beginningSequenceNumber);
      this.lasts.set(p.partitionId, p);
    }
  }

  /** This instance starts reading `partitionId`: its checkpoint settles the progress; a retention gap is reported. */
  async started(partitionId: string): Promise<void> {
    const open = this.current;
    if (!open) return;
    try {
      const { fullyQualifiedNamespace: ns, eventHubName: hub, consumerGroup: group } = open.scope;
      const all = await bounded(() => this.o.checkpointStore.listCheckpoints(ns, hub, group), { clock: this.o.clock, timeoutMs: STORE_TIMEOUT_MS, what: 'listCheckpoints' });
      if (open !== this.current) return;
      const checkpoint = all.find((c) => c.partitionId === partitionId);
      open.progress.started(partitionId, checkpoint?.sequenceNumber);
      const gap = retentionGap(partitionId, checkpoint, this.begins.get(partitionId));
      if (gap && this.reported.get(partitionId) !== gap.checkpointSequenceNumber) {
        this.reported.set(partitionId, gap.checkpointSequenceNumber);
        this.o.logger.warn(`hub consumer ${describeRetentionGap(gap)}`);
        this.o.onRetentionGap?.(gap);
        this.gapSubject.next(gap);
      }
      await this.checkAhead(open, partitionId, checkpoint);
    } catch (error) {
      this.o.logger.warn(`hub consumer cannot read partition ${partitionId}'s checkpoint: ${(error as Error).message}`);
    }
    void this.readOwnership();
  }

  /**
   * Reports a checkpoint ahead of its partition's log, once per checkpoint. What the last plan or probe read may be
   * older than a checkpoint another instance wrote since, so a suspicion is confirmed by reading the partition now.
   */
  private async checkAhead(open: WatchedOpen, partitionId: string, checkpoint: Checkpoint | undefined): Promise<void> {
    if (!checkpointAhead(partitionId, checkpoint, this.lasts.get(partitionId))) return;
    const now = await bounded(() => open.readProperties(partitionId), { clock: this.o.clock, timeoutMs: STORE_TIMEOUT_MS, what: 'getPartitionProperties' });
    const ahead = checkpointAhead(partitionId, checkpoint, now);
    if (!ahead || open !== this.current || this.reportedAhead.get(partitionId) === ahead.checkpointSequenceNumber) return;
    this.reportedAhead.set(partitionId, ahead.checkpointSequenceNumber);
    this.o.logger.error(`hub consumer ${describeCheckpointAhead(ahead)}`);
    this.o.onCheckpointAhead?.(ahead);
    this.aheadSubject.next(ahead);
  }

  /** This instance stopped reading `partitionId`; `handedOver` when another reader took it. */
  stopped(partitionId: string, handedOver: boolean): void {
    if (handedOver) this.coverage.handOver(partitionId);
    void this.readOwnership();
  }

  /** Reads the ownerships now (once more after the read in flight, if any). Never rejects. */
  async readOwnership(): Promise<void> {
    const open = this.current;
    if (!open) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    try {
      const { fullyQualifiedNamespace: ns, eventHubName: hub, consumerGroup: group } = open.scope;
      const ownerships = await bounded(() => this.o.checkpointStore.listOwnership(ns, hub, group), { clock: this.o.clock, timeoutMs: STORE_TIMEOUT_MS, what: 'listOwnership' });
      if (open !== this.current) return;
      this.coverage.observe(ownerships, open.ownerId);
      this.o.onChange();
    } catch (error) {
      this.o.logger.warn(`hub consumer cannot read the partitions' ownerships: ${(error as Error).message}`);
    } finally {
      this.reading = false;
    }
    if (this.readAgain) {
      this.readAgain = false;
      await this.readOwnership();
    }
  }
}
