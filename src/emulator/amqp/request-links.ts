import type { EventContext, Receiver, Sender } from 'rhea';
import type { EventHub } from '../event-hub.js';
import { answerCbs } from './cbs.js';
import { answerManagement } from './management.js';

/**
 * The request/response nodes `$cbs` and `$management`: requests arrive on the client's sender (our receiver) and the
 * reply goes to the client receiver named by `reply_to` — matched by link name (`$cbs` replies, whose receiver has no
 * target) or by target address (`$management`), as `@azure/core-amqp` `requestResponseLink.js` expects. A request
 * without `reply_to` (Microsoft's Python SDK, `_pyamqp/management_link.py`, which the service answers) is answered on
 * the client's receiver attached to the same node, in the same session when there is one.
 */
export class RequestLinks {
  /** @param isAuthRejected true while the reject-auth fault is on. */
  constructor(private readonly hub: EventHub, private readonly isAuthRejected: () => boolean) {}

  /** Handles a client sender's attach (our receiver): only `$cbs` and `$management` accept messages. */
  attach(receiver: Receiver): void {
    const address = (receiver.target as { address?: string } | undefined)?.address ?? '';
    // The service echoes both terminus of an attach; pyamqp detaches a link whose answer lacks either.
    if (receiver.source) receiver.set_source(receiver.source);
    if (receiver.target) receiver.set_target(receiver.target);
    if (address !== '$cbs' && address !== '$management') {
      receiver.close({ condition: 'amqp:not-implemented', description: `Sending to '${address}' is not supported by the emulator; devices send over HTTP.` });
    }
  }

  /** Answers one request message. */
  onMessage(context: EventContext): void {
    const request = context.message;
    const address = (context.receiver?.target as { address?: string } | undefined)?.address;
    if (!request) return;
    const now = Date.now();
    const reply =
      address === '$cbs' ? answerCbs(request, this.isAuthRejected(), now)
      : address === '$management' ? answerManagement(request, this.hub, now)
      : undefined;
    if (!reply) return;
    replyLink(context, address, request.reply_to)?.send(reply);
  }
}

/** The link a reply goes out on (see {@link RequestLinks}). */
function replyLink(context: EventContext, node: string | undefined, replyTo: string | undefined): Sender | undefined {
  const address = (terminus: unknown) => (terminus as { address?: string } | undefined)?.address;
  if (replyTo !== undefined && replyTo !== null) {
    return context.connection.find_sender((s: Sender) => s.name === replyTo || address(s.target) === replyTo);
  }
  const session = context.receiver?.session;
  return context.connection.find_sender((s: Sender) => address(s.source) === node && s.session === session)
    ?? context.connection.find_sender((s: Sender) => address(s.source) === node);
}
