import { headers, type NatsConnection } from "@nats-io/nats-core";
import { jetstream, jetstreamManager, JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";
import { STORE_STREAMS } from "../../core/protocol";

/** Headers a direct get adds about where a message was stored: the copy is stored anew. */
const WHERE_STORED = /^Nats-(Stream|Sequence|Subject|Time-Stamp|Last-Sequence|Num-Pending|Expected-.*)$/i;

const isNotFound = (e: unknown) => e instanceof JetStreamApiError && (e.code === JetStreamApiCodes.StreamNotFound || e.code === JetStreamApiCodes.NoMessageFound);

/**
 * Copies every message of the protocol's stores from one hub (`from`, say a single hub's
 * JetStream started on its own) into the same stores of another (`to`, a new cluster), in
 * order, with their subjects and headers (the commands' signatures among them): what NATS's
 * maintainers advise for a single server that becomes a cluster, which JetStream does not take
 * in by itself. Each target store is emptied first, so a copy cut short is simply run again.
 * Messages are read one by one with direct gets, which a work-queue stream (the commands, held
 * by their executors' consumers) allows where a second consumer would not. Returns how many
 * messages each store received.
 *
 * What changes: a message's sequence (so KV revisions) and its time (so the ages limits count
 * from the copy). A deployment that was queued or running when the single hub stopped is
 * taken by its leaf as a replay after the copy (its summary names the old sequence).
 */
export async function copyStores(from: NatsConnection, to: NatsConnection, domain = "hub"): Promise<Record<string, number>> {
  const source = await jetstreamManager(from, { domain });
  const targetJsm = await jetstreamManager(to, { domain });
  const target = jetstream(to, { domain });
  const copied: Record<string, number> = {};
  for (const stream of Object.values(STORE_STREAMS)) {
    const info = await source.streams.info(stream).catch((e: unknown) => (isNotFound(e) ? null : Promise.reject(e)));
    if (!info) continue;
    await targetJsm.streams.purge(stream);
    let n = 0;
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; ) {
      const m = await source.direct.getMessage(stream, { seq, next_by_subj: ">" }).catch((e: unknown) => (isNotFound(e) ? null : Promise.reject(e)));
      if (!m) break;
      const h = headers();
      for (const [k, vs] of m.header ?? []) if (!WHERE_STORED.test(k)) for (const v of vs) h.append(k, v);
      await target.publish(m.subject, m.data, { headers: h, timeout: 10_000 });
      n++;
      seq = m.seq + 1;
    }
    copied[stream] = n;
  }
  return copied;
}
