import { Type } from '@sinclair/typebox';

const HubState = Type.Union([Type.Literal('closed'), Type.Literal('connecting'), Type.Literal('connected'), Type.Literal('error')]);

/** `GET /healthz` answer. */
export const HealthReply = Type.Object({ status: Type.Literal('ok') });

/** `GET /readyz` answer: 200 `ready` (reason null), 503 `not_ready` with the hub consumer's public reason. */
export const ReadyReply = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  hubState: HubState,
  reason: Type.Union([Type.String(), Type.Null()]),
});
