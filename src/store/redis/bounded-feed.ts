import { Subject, type Observable } from 'rxjs';

/** Options of {@link BoundedFeed}. */
export interface BoundedFeedOptions {
  /** Items held while the consumer has not taken them, ≥ 1; past it new items are dropped. */
  capacity: number;
  /** Told of each burst of drops: how many were dropped in it, and in all. */
  onDrop(dropped: number, total: number): void;
}

/**
 * A bounded hand-over from a producer (pub/sub messages as they are parsed) to an Observable: items are queued and
 * emitted on the next turn of the event loop, in order; when `capacity` items wait, new ones are dropped and counted
 * (a lagging consumer loses messages live and resumes from the history, instead of the queue growing without limit).
 */
export class BoundedFeed<T> {
  private readonly subject = new Subject<T>();
  private queue: T[] = [];
  private scheduled = false;
  private burst = 0;
  private total = 0;
  private closed = false;

  /** The items, each once, in the order pushed (drops excepted); completes on {@link BoundedFeed.close}. */
  readonly items$: Observable<T> = this.subject.asObservable();

  constructor(private readonly options: BoundedFeedOptions) {}

  /** Items dropped so far because the queue was full. */
  get dropped(): number {
    return this.total;
  }

  push(item: T): void {
    if (this.closed) return;
    if (this.queue.length >= this.options.capacity) {
      this.burst += 1;
      this.total += 1;
    } else {
      this.queue.push(item);
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  /** Drops what waits and completes the Observable. */
  close(): void {
    this.closed = true;
    this.queue = [];
    this.subject.complete();
  }

  private drain(): void {
    this.scheduled = false;
    if (this.burst > 0) {
      this.options.onDrop(this.burst, this.total);
      this.burst = 0;
    }
    const items = this.queue;
    this.queue = [];
    for (const item of items) {
      if (this.closed) return;
      this.subject.next(item);
    }
  }
}
