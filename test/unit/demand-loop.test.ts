import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { demandLoop, type OpenReason } from '../../src/hub/demand-loop.js';

const set = (...ids: string[]): ReadonlySet<string> => new Set(ids);
const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('demandLoop', () => {
  it('opens on the first watched device, closes when none is left, reopens after (marbles)', () => {
    scheduler().run(({ hot, cold, expectObservable, flush }) => {
      const calls: string[] = [];
      const target = {
        open: (reason: OpenReason) => {
          calls.push(`open:${reason}`);
          return cold('--x|');
        },
        close: () => {
          calls.push('close');
          return cold('-|');
        },
      };
      const watched = hot('e-a-b-e---a|', { e: set(), a: set('a'), b: set('a', 'b') });
      // open 2→5 (done at 5), a second device changes nothing, close at 6 (done 7), reopen at 10 (done 13, with the completion).
      expectObservable(demandLoop(watched, target)).toBe('-----o-c-----(p|)', { o: 'opened', c: 'closed', p: 'opened' });
      flush();
      expect(calls).toEqual(['open:start', 'close', 'open:reopen']);
    });
  });

  it('runs steps one at a time: a close waits for the open in progress', () => {
    scheduler().run(({ hot, cold, expectObservable }) => {
      const target = { open: () => cold('----x|'), close: () => cold('|') };
      const watched = hot('a-e|', { a: set('a'), e: set() });
      expectObservable(demandLoop(watched, target)).toBe('-----(oc|)', { o: 'opened', c: 'closed' });
    });
  });

  it('goes on after a failed step', () => {
    scheduler().run(({ hot, cold, expectObservable }) => {
      let opens = 0;
      const target = { open: () => (++opens === 1 ? cold('#') : cold('x|')), close: () => cold('|') };
      const watched = hot('a-e-a|', { a: set('a'), e: set() });
      expectObservable(demandLoop(watched, target)).toBe('f-c--(o|)', { f: 'failed', c: 'closed', o: 'opened' });
    });
  });
});
