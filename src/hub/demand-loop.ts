import {
  catchError, concatMap, defaultIfEmpty, defer, distinctUntilChanged, last, map, of, scan, skipWhile, type Observable,
  type ObservableInput,
} from 'rxjs';

/** Why the consumer opens: the first time (at `START_POSITION`), or again after every device went unwatched. */
export type OpenReason = 'start' | 'reopen';

/** What the demand loop drives (the hub consumer). */
export interface DemandTarget {
  open(reason: OpenReason): ObservableInput<unknown>;
  close(): ObservableInput<unknown>;
}

/** One step of the loop, after it finished (`failed`: the open or close threw or rejected; the loop goes on). */
export type DemandStep = 'opened' | 'closed' | 'failed';

/**
 * The demand loop: the consumer is open while at least one device is watched. Opens and closes run one after the
 * other, in order (`concatMap`), each once the previous finished; nothing is closed before the first open.
 * @param watched$ the set of watched device IDs (current value first, then every change).
 * @returns each step once it finished (subscribe once; unsubscribing stops the loop, not the consumer).
 */
export function demandLoop(watched$: Observable<ReadonlySet<string>>, target: DemandTarget): Observable<DemandStep> {
  return watched$.pipe(
    map((set) => set.size > 0),
    distinctUntilChanged(),
    skipWhile((wanted) => !wanted),
    scan((state, wanted) => ({ wanted, opens: state.opens + (wanted ? 1 : 0) }), { wanted: false, opens: 0 }),
    concatMap(({ wanted, opens }) =>
      defer(() => (wanted ? target.open(opens === 1 ? 'start' : 'reopen') : target.close())).pipe(
        defaultIfEmpty(null),
        last(),
        map((): DemandStep => (wanted ? 'opened' : 'closed')),
        catchError(() => of<DemandStep>('failed')),
      ),
    ),
  );
}
