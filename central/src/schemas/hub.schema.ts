import Type from 'typebox';
import { Nullable, UnixMs, Uuid } from './common.schema.ts';

export const HubInput = Type.Object({ clubId: Uuid, name: Type.String({ minLength: 1, maxLength: 80 }) }, { additionalProperties: false });

export const Hub = Type.Object({
  id: Uuid,
  clubId: Uuid,
  name: Type.String(),
  enrolledAt: Nullable(UnixMs),
  lastSeenAt: Nullable(UnixMs),
  revokedAt: Nullable(UnixMs),
  createdAt: UnixMs,
});

export const Enrolment = Type.Object({
  code: Type.String({ description: 'Shown once. Club IT sets it as uplink.enrolmentCode on the hub; it works once' }),
  expiresAt: UnixMs,
});

export const CreatedHub = Type.Object({ hub: Hub, enrolment: Enrolment });

export const HubDetail = Type.Object({
  ...Hub.properties,
  streams: Type.Array(
    Type.Object({
      stream: Type.String(),
      ackedSeq: Type.Integer({ description: 'Everything up to here is stored centrally' }),
      readings: Type.Integer({ description: 'Readings stored for this stream' }),
      lastBatchAt: Nullable(UnixMs),
    }),
  ),
});
