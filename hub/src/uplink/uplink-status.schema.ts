/** How the uplink is doing, as the health API and /metrics report it. */
import Type, { type Static } from 'typebox';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Count = Type.Integer({ minimum: 0 });

export const UplinkStatus = Type.Union([
  Type.Object({ configured: Type.Literal(false) }, { description: 'uplink.enabled is false: nothing is forwarded' }),
  Type.Object({
    configured: Type.Literal(true),
    centralUrl: Type.String(),
    state: Type.Union([Type.Literal('starting'), Type.Literal('enrolling'), Type.Literal('sending'), Type.Literal('idle'), Type.Literal('retrying'), Type.Literal('stopped')]),
    hubId: Nullable(Type.String({ description: "This hub's id at central, once enrolled" })),
    stream: Nullable(Type.String()),
    ackedSeq: Type.Integer({ minimum: 0, description: 'Central holds every reading up to this sequence number' }),
    backlog: Type.Object({
      readings: Type.Integer({ minimum: 0, description: 'Readings central does not hold yet (nothing is dropped: they wait on disk)' }),
      oldestAt: Nullable(Type.Integer({ description: 'Unix ms of the oldest reading waiting' })),
    }),
    lastSuccessAt: Nullable(Type.Integer({ description: 'Unix ms of the last batch central acknowledged' })),
    lastAttemptAt: Nullable(Type.Integer()),
    nextAttemptAt: Nullable(Type.Integer()),
    consecutiveFailures: Count,
    lastError: Nullable(Type.Object({ code: Type.String(), message: Type.String(), at: Type.Integer() })),
    batchRows: Type.Integer({ minimum: 1, description: 'Readings per batch now (halved when central refuses a batch as too large)' }),
    sent: Type.Object({ batches: Count, readings: Count }),
    erasedAtCentral: Type.Array(Type.Object({ id: Type.String(), name: Type.String() }), {
      description: 'Athletes of this hub whom head office erased at central (named in its answers since start): central leaves their data out; listed until club staff archive them here',
    }),
  }),
]);

export type UplinkStatus = Static<typeof UplinkStatus>;
