/**
 * The one place the emulator reaches into `rhea` (AMQP 1.0, https://github.com/amqp/rhea): its default export (a CJS
 * container instance) and the few internals its typings leave out.
 */
import rhea from 'rhea';
import type { Socket } from 'node:net';
import type { Sender } from 'rhea';

export { rhea };
export const { types, message } = rhea;

/** rhea sender fields used for flow control (present at run time, missing from rhea's typings). */
export interface SenderFlowState {
  /** Credit left as of rhea's last flush (rhea updates it only when it writes transfers). */
  credit: number;
  /** Deliveries rhea has written; `credit + delivery_count` is the peer's delivery limit. */
  delivery_count: number;
  session: { outgoing: { available(): number } };
  local: { attach: { snd_settle_mode?: number } };
}

/** rhea's server-side SASL mechanism table (untyped in rhea's typings). */
export interface SaslServerMechanisms {
  enable_anonymous(): void;
  enable_plain(check: (username: string, password: string) => boolean | Promise<boolean>): void;
}

/** A rhea connection before it is bound to an accepted socket. */
export interface AcceptingConnection {
  accept(socket: Socket): unknown;
}

/** Views a rhea sender with its flow-control internals. */
export function flowStateOf(sender: Sender): SenderFlowState {
  return sender as unknown as SenderFlowState;
}
