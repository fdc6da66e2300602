import type { HubState } from './hub-state.js';
import type { HubErrorKind } from './describe-hub-error.js';
import type { StalledPartition } from './partition-progress.js';

/**
 * `/readyz` `reason` of an authorization failure (kept from earlier releases; the SDK's message goes to `detail`).
 */
export const UNAUTHORIZED_REASON = "unauthorized: the hub rejected the connection string's credentials (expired SharedAccessSignature or wrong key)";

/** The kinds of not-ready `error` state; each is its own `/readyz` reason except `unauthorized` (see above). */
export type HubProblemKind = HubErrorKind | 'partition_stalled' | 'store_error';

/** A failure as the health keeps it: its kind (public) and a one-line detail (logs and authenticated clients). */
export interface HubProblem {
  kind: HubProblemKind;
  detail: string;
  /** The public reason, when more specific than the kind's (safe to show: no address, SDK message or secret). */
  reason?: string;
}

/** The consumer's state and, when not `connected`/`closed`, why. */
export interface HubStatus {
  state: HubState;
  /**
   * Safe to show without the key (never an address or an SDK message): null when `connected`/`closed`;
   * `waiting for partition list` / `waiting for <n> of <m> partitions` when `connecting`; in `error`,
   * {@link UNAUTHORIZED_REASON}, `hub_unreachable`, `proxy_unreachable`, `proxy_refused`, `hub_tls_untrusted`,
   * `partition_stalled`, `store_error` (a batch was not stored; the partition rereads it), `checkpoint_store_error`
   * (a Blob checkpoint store call failed) or `hub_error`.
   */
  reason: string | null;
  /** The full one-line description (may name the hub's address): for logs and authenticated clients only. */
  detail: string | null;
}

const publicReason = (problem: HubProblem): string => problem.reason ?? (problem.kind === 'unauthorized' ? UNAUTHORIZED_REASON : problem.kind);

/**
 * Tracks the one consumer's health from the SDK's callbacks (Event Hubs `subscribe` handlers), the readiness probe
 * and the partitions' progress: `connected` once every partition (count from the start plan) is either read here —
 * initialised and delivered its first batch (empty batches come every `maxWaitTimeInSeconds`, so the receiver link
 * is attached by then) — or covered by another instance sharing the checkpoint store (see `partition-coverage.ts`),
 * and no problem is pending; `error` while one is: a failed probe (until a probe succeeds), a stalled partition
 * (until it delivers), or an unrecovered `processError` (a partition's clears when that partition delivers a batch
 * again, empty batches included; a hub-wide one on the next initialise or batch). An authorization failure wins over
 * the others, then the probe's, the hub-wide, a partition's, a stall. `connecting` otherwise.
 */
export class HubHealth {
  private partitionIds: readonly string[] | null = null;
  private readonly initialised = new Set<string>();
  private readonly partitionErrors = new Map<string, HubProblem>();
  private hubError: HubProblem | null = null;
  private probeError: HubProblem | null = null;
  private open = false;

  /**
   * @param stalled the first stalled partition now, if any.
   * @param coveredElsewhere whether another instance reads the partition (never, for a single instance).
   */
  constructor(
    private readonly stalled: () => StalledPartition | null = () => null,
    private readonly coveredElsewhere: (partitionId: string) => boolean = () => false,
  ) {}

  /** Starts tracking a newly opened consumer (everything cleared). */
  reset(open: boolean): void {
    this.open = open;
    this.partitionIds = null;
    this.initialised.clear();
    this.partitionErrors.clear();
    this.hubError = null;
    this.probeError = null;
  }

  /** The partition IDs (the count `connected` waits for). */
  setPartitionIds(ids: readonly string[]): void {
    this.partitionIds = ids;
  }

  /**
   * `processInitialize`: the partition's pump starts. It counts as read only from its first batch, since the SDK
   * attaches the receiver link (the start position) after initialising it.
   */
  partitionInitialised(partitionId: string): void {
    this.initialised.delete(partitionId);
    this.partitionErrors.delete(partitionId);
    this.hubError = null;
  }

  /** `processEvents` (empty batches included): the partition is read, its error (and any hub-wide one) recovered. */
  batch(partitionId: string): void {
    this.initialised.add(partitionId);
    this.partitionErrors.delete(partitionId);
    this.hubError = null;
  }

  /**
   * `processClose`: the partition's pump stopped (`Shutdown` or `OwnershipLost`); `handedOver` when another reader
   * took it, whose error (if any) is then no longer this instance's.
   */
  closed(partitionId: string, handedOver = false): void {
    this.initialised.delete(partitionId);
    if (handedOver) this.partitionErrors.delete(partitionId);
  }

  /** Records an SDK error; `partitionId` empty for a hub-wide one. */
  error(partitionId: string, problem: HubProblem): void {
    if (partitionId) this.partitionErrors.set(partitionId, problem);
    else this.hubError = problem;
  }

  /** The readiness probe's outcome: `null` when it succeeded. */
  probe(problem: HubProblem | null): void {
    this.probeError = problem;
  }

  /** The state now. */
  status(): HubStatus {
    if (!this.open) return { state: 'closed', reason: null, detail: null };
    // A partition another instance reads now is that instance's to report: its error here is history.
    const partitionProblems = [...this.partitionErrors].filter(([id]) => this.initialised.has(id) || !this.coveredElsewhere(id)).map(([, p]) => p);
    const problems = [this.probeError, this.hubError, ...partitionProblems].filter((p) => p !== null);
    const stall = this.stalled();
    if (stall) {
      const since = new Date(stall.sinceMs).toISOString();
      const detail = `partition ${stall.partitionId} stalled: last enqueued sequence number ${stall.enqueued}, last delivered ${stall.delivered}, nothing delivered since ${since}`;
      problems.push({ kind: 'partition_stalled', detail });
    }
    const problem = problems.find((p) => p.kind === 'unauthorized') ?? problems[0];
    if (problem) return { state: 'error', reason: publicReason(problem), detail: problem.detail };
    const ids = this.partitionIds;
    const unread = ids?.filter((id) => !this.initialised.has(id) && !this.coveredElsewhere(id));
    if (ids && ids.length > 0 && unread?.length === 0) return { state: 'connected', reason: null, detail: null };
    const waiting = ids && unread ? `${unread.length} of ${ids.length} partitions` : 'partition list';
    const reason = `waiting for ${waiting}`;
    return { state: 'connecting', reason, detail: reason };
  }
}
