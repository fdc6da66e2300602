/** Raised for a connection string the gateway cannot use. The message names the part and never quotes a secret. */
export class ConnectionStringError extends Error {
  override name = 'ConnectionStringError';
}
