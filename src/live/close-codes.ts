/**
 * WebSocket close codes of `GET /api/ws`, the one table every place that closes a live socket uses. Defined once in
 * the dependency-free `public/protocol.js`, which the dashboard loads too.
 */
export { CloseCode, closeReason, isFinalClose, type CloseCodeValue } from '../../public/protocol.js';
