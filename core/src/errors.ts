/**
 * The one catalog of Touchline error codes. Every error the project raises on bad input carries a
 * `TL_ERR_…` code from here; `docs/errors.md` documents each code, and a test keeps the catalog,
 * the docs and the code in step. Codes are never reused or renamed once published.
 */
export const ERROR_CATALOG = {
  TL_ERR_INVALID_ARGUMENT: { status: 400, message: 'An argument is missing, of the wrong type or out of range.' },
  TL_ERR_TOO_FEW_SAMPLES: { status: 422, message: 'Not enough samples to compute the metric.' },
  TL_ERR_FILE_NOT_FOUND: { status: 404, message: 'The input file does not exist or cannot be read.' },
  TL_ERR_UNSUPPORTED_FORMAT: { status: 415, message: 'The file is not in a format Touchline can read.' },
  TL_ERR_CSV_PARSE: { status: 422, message: 'The CSV input is malformed or lacks a required column.' },
  TL_ERR_FIT_CORRUPT: { status: 422, message: 'The FIT file failed its integrity check or could not be decoded.' },
  TL_ERR_FIT_NO_RECORDS: { status: 422, message: 'The FIT file decoded but holds no usable records.' },
  TL_ERR_XML_PARSE: { status: 422, message: 'The GPX or TCX file is not well-formed or lacks track points.' },
  TL_ERR_BLE_PAYLOAD: { status: 422, message: 'A BLE characteristic value is truncated or malformed.' },
  TL_ERR_ANT_FRAME: { status: 422, message: 'An ANT serial frame has a bad sync, length or checksum.' },
  TL_ERR_ANT_PAGE: { status: 422, message: 'An ANT+ data page is truncated or of an unknown kind.' },
  TL_ERR_NMEA_SENTENCE: { status: 422, message: 'An NMEA sentence is malformed or has a bad checksum.' },
  TL_ERR_HEX: { status: 400, message: 'A hex string has an odd length or non-hex characters.' },
  TL_ERR_CLI_USAGE: { status: 400, message: 'The command line is incomplete or names an unknown command or option.' },
  TL_ERR_CONFIG_INVALID: { status: 500, message: 'The hub configuration is invalid; the message names the key.' },
  TL_ERR_PORT_IN_USE: { status: 500, message: 'A port the hub needs is already taken by another program.' },
  TL_ERR_INGEST_TOPIC: { status: 400, message: 'An MQTT message was published to a topic outside the ingest contract.' },
  TL_ERR_INGEST_JSON: { status: 400, message: 'An MQTT payload is not valid UTF-8 JSON.' },
  TL_ERR_INGEST_SCHEMA: { status: 422, message: 'An MQTT payload has missing fields, wrong types or out-of-range values.' },
  TL_ERR_INGEST_OVERSIZE: { status: 413, message: 'An MQTT payload is larger than mqtt.maxPayloadBytes.' },
  TL_ERR_INGEST_RATE: { status: 429, message: 'A client published faster than mqtt.maxMessagesPerSecondPerClient; the excess was dropped.' },
  TL_ERR_INGEST_UNAUTHORIZED: { status: 403, message: 'A device published for a sensor its credential does not cover.' },
  TL_ERR_STORE_FULL: { status: 507, message: 'The store reached store.maxDiskMegabytes; raw samples are no longer recorded.' },
  TL_ERR_NOT_FOUND: { status: 404, message: 'The requested record does not exist.' },
  TL_ERR_CONFLICT: { status: 409, message: 'The request conflicts with the current state (e.g. a session is already running).' },
  TL_ERR_AUTH_REQUIRED: { status: 401, message: 'Sign in first, or the session has expired.' },
  TL_ERR_AUTH_FAILED: { status: 401, message: 'The name, password or PIN is wrong.' },
  TL_ERR_AUTH_RATE_LIMITED: { status: 429, message: 'Too many sign-in attempts; wait a minute.' },
  TL_ERR_FORBIDDEN: { status: 403, message: 'The signed-in role may not do this.' },
  TL_ERR_SETUP_REQUIRED: { status: 409, message: 'The hub has no admin yet; create one with the first-start setup.' },
  TL_ERR_VALIDATION: { status: 400, message: 'The request body or query does not match the API schema.' },
  TL_ERR_RR_INTERVAL: { status: 422, message: 'An RR interval is not a number of milliseconds in the plausible range (20–5000 ms).' },
  TL_ERR_NOT_READY: { status: 503, message: 'The hub is starting or shutting down, or its database or broker is unavailable.' },
  TL_ERR_INTERNAL: { status: 500, message: 'The hub hit an unexpected internal error; details are in its log.' },
  TL_ERR_MQTT_CONNECT: { status: 502, message: 'A device could not connect to the MQTT broker: it is unreachable or refused the credentials.' },
  TL_ERR_ENROLMENT_CODE_INVALID: { status: 401, message: 'The hub enrolment code is unknown, already used or expired.' },
  TL_ERR_HUB_UNAUTHORIZED: { status: 401, message: 'The request carries no hub credential, or one central does not recognise.' },
  TL_ERR_HUB_REVOKED: { status: 403, message: 'Head office revoked this hub; central refuses its uploads.' },
  TL_ERR_UPLINK_TOO_LARGE: { status: 413, message: 'An uplink batch is larger than central accepts (compressed, inflated, or in rows).' },
  TL_ERR_UPLINK_MALFORMED: { status: 400, message: 'An uplink batch is not gzip-compressed JSON.' },
  TL_ERR_UPLINK_INVALID: { status: 422, message: 'An uplink batch is inconsistent: its sequence numbers do not cover its range, or it refers to athletes it does not declare.' },
  TL_ERR_UPLINK_FOREIGN: { status: 403, message: 'An uplink batch names another hub or club, or athletes that belong to another club.' },
  TL_ERR_UPLINK_UNREACHABLE: { status: 502, message: 'The hub could not reach central, or central did not answer in time.' },
  TL_ERR_UPLINK_NOT_ENROLLED: { status: 409, message: 'The uplink is enabled but the hub has no credential and no enrolment code.' },
  TL_ERR_CENTRAL_UNAVAILABLE: { status: 503, message: 'Central cannot reach its PostgreSQL database right now.' },
  TL_ERR_ANT_SETUP: { status: 502, message: 'An ANT USB stick did not answer, or refused, a command of the set-up sequence.' },
  TL_ERR_NETWORK: { status: 503, message: 'The dashboard could not reach the hub (raised in the browser, never by the hub).' },
  TL_ERR_GRANT_INVALID: { status: 400, message: 'A role grant does not fit its role, or names an organisation, club, team or athlete that does not exist.' },
  TL_ERR_LAST_ADMIN: { status: 409, message: 'The change would leave central without an enabled admin.' },
  TL_ERR_OIDC_DISABLED: { status: 404, message: 'Single sign-on is not configured on this central.' },
  TL_ERR_OIDC_UNAVAILABLE: { status: 502, message: 'The single sign-on provider could not be reached or answered with an error.' },
  TL_ERR_OIDC_FAILED: { status: 401, message: 'The single sign-on answer was refused: its state, code or ID token did not check out.' },
  TL_ERR_OIDC_UNKNOWN_USER: { status: 403, message: 'The single sign-on account matches no enabled portal user (accounts are created by an admin).' },
  TL_ERR_WORKOUT_INVALID: { status: 400, message: 'An uploaded workout file could not be read (damaged, unsupported, or without a date); nothing was stored.' },
  TL_ERR_WORKOUT_TOO_LARGE: { status: 413, message: 'An uploaded workout file is larger than central accepts (20 MB).' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/** An error a caller can act on: a stable code, a human sentence, and optional structured detail. */
export class TouchlineError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, detail?: Record<string, unknown>) {
    super(message ?? ERROR_CATALOG[code].message);
    this.name = 'TouchlineError';
    this.code = code;
    this.status = ERROR_CATALOG[code].status;
    this.detail = detail;
  }
}

export function isTouchlineError(value: unknown): value is TouchlineError {
  return value instanceof TouchlineError;
}
