/** A TCP port that was free on 127.0.0.1 a moment ago (the bench's helper, one copy for tests and bench). */
export { freePort } from '../../bench/lib/free-port.js';
