import type { Redis } from 'ioredis';

/**
 * The dedicated pub/sub connection of a Redis store (a subscribed connection can run no other command): it
 * subscribes to the given channels and hands each message (a UTF-8 string) to the channel's handler, in the order
 * Redis delivers them. ioredis resubscribes after a reconnect; what was published meanwhile is not delivered
 * (clients resume from the stored history).
 */
export class RedisSubscriber {
  private readonly handlers = new Map<string, (message: string) => void>();

  /**
   * @param connection a ready connection used for nothing else; closed by {@link RedisSubscriber.close}.
   * @param onError told of a message its handler threw on (a payload that is not what the channel carries).
   */
  constructor(private readonly connection: Redis, onError: (channel: string, error: unknown) => void) {
    connection.on('message', (channel: string, message: string) => {
      try {
        this.handlers.get(channel)?.(message);
      } catch (error) {
        onError(channel, error);
      }
    });
  }

  /**
   * Subscribes to `channel`; `handler` gets every message published on it from then on.
   * @throws the Redis error when the subscription is refused or times out.
   */
  async subscribe(channel: string, handler: (message: string) => void): Promise<void> {
    this.handlers.set(channel, handler);
    await this.connection.subscribe(channel);
  }

  /** Closes the connection (pending messages are dropped). */
  close(): void {
    this.handlers.clear();
    this.connection.disconnect();
  }
}
