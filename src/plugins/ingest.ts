import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { from, merge, mergeMap, pairwise, share, startWith, tap, type Observable } from 'rxjs';
import { DiscoveredDevices } from '../devices/discovered-devices.js';
import { DeviceStreams } from '../live/device-streams.js';
import { describeBody } from '../telemetry/describe-body.js';
import { registerIngestMetrics } from '../telemetry/ingest-metrics.js';
import { ingestPipeline } from '../telemetry/ingest-pipeline.js';
import { loadProtoFile } from '../telemetry/protobuf-body.js';

/** The ingest resource: the per-device streams of what was stored, and the devices seen on the hub. */
export interface IngestResource {
  /** The stored stream split by device (live subscribers, latest cache). */
  streams: DeviceStreams;
  /** Device IDs seen on the hub, registered or not (`GET /api/hub/devices`). */
  discovered: DiscoveredDevices;
}

declare module 'fastify' {
  interface FastifyInstance {
    ingest: IngestResource;
  }
}

/** Log levels at which each stored message gets an info line. */
const INFO_ENABLED: ReadonlySet<string> = new Set(['info', 'debug', 'trace']);

/** Device IDs that left the watched set, from its successive values. */
function unwatched(watched$: Observable<ReadonlySet<string>>): Observable<string> {
  return watched$.pipe(
    startWith(new Set<string>() as ReadonlySet<string>),
    pairwise(),
    mergeMap(([before, after]) => from([...before].filter((id) => !after.has(id)))),
  );
}

async function ingest(app: FastifyInstance): Promise<void> {
  const log = app.log;
  const { registry, store } = app;
  const discovered = new DiscoveredDevices();
  const { maxInflatedBody, protoFile, protoTypeProperty } = app.config;
  // A bad PROTO_FILE fails the start (ConfigError), before a single event is read.
  const protoTypes = protoFile ? loadProtoFile(protoFile) : null;
  const stored$ = ingestPipeline(app.hub.batches$, {
    isWatched: (id) => registry.isWatched(id) || app.patterns.claim(id),
    append: (messages, checkpoints) => store.append(messages, checkpoints),
    count: registerIngestMetrics(app.metrics),
    decode: { maxInflatedBody, protoTypes, protoTypeProperty },
    onReceived: (seen) => discovered.record(seen),
    onDecodeError: (m, error) =>
      log.warn(`decode error: device ${m.deviceId} partition ${m.partitionId} sequence number ${m.sequenceNumber}: ${error}; kept as ${m.bodyEncoding}`),
    onStored: (m) => {
      registry.recordSeen(m.deviceId, m.enqueuedTime);
      if (INFO_ENABLED.has(log.level)) log.info(`telemetry ${m.deviceId} ${m.enqueuedTime} ${describeBody(m)}`);
    },
    onItemError: (error) => log.error(`telemetry pipeline item failed: ${(error as Error).message}`),
  }).pipe(share());
  // What other instances stored (shared store) joins the local stream: every instance serves every device.
  const remote$ = store.remote$.pipe(tap((m) => registry.recordSeen(m.deviceId, m.enqueuedTime)));
  const streams = new DeviceStreams(merge(stored$, remote$), unwatched(registry.watched$));
  app.decorate('ingest', { streams, discovered });
  app.addHook('onClose', () => streams.close());
  return Promise.resolve();
}

/**
 * The ingest pipeline as a named plugin (`app.ingest`): hub batches → normalize (one watched decision) → store append
 * with the checkpoint → the stored stream, joined by what other instances stored (`store.remote$`), split once by
 * device. Its subscription is the pipeline's only one.
 */
export const ingestPlugin = fp(ingest, { name: 'ingest', fastify: '5.x', dependencies: ['metrics', 'store', 'registry', 'hub'] });
