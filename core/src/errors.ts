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
