/**
 * Talks to central over HTTP(S). Every failure becomes a TouchlineError: central's own coded
 * answers keep their code; a network failure, timeout or uncoded answer becomes
 * TL_ERR_UPLINK_UNREACHABLE. The caller decides what to retry.
 */
import { ERROR_CATALOG, TouchlineError, type ErrorCode } from '@touchline/core/metrics';
import type { EnrolResponse, UplinkAck } from '@touchline/central/uplink-contract';

export class CentralClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(baseUrl: string, timeoutMs: number) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = timeoutMs;
  }

  enrol(code: string, name: string, secret: string, signal: AbortSignal): Promise<EnrolResponse> {
    return this.post<EnrolResponse>('/api/hubs/enrol', { 'content-type': 'application/json' }, JSON.stringify({ code, name, secret }), signal);
  }

  /** Sends a gzip-compressed batch; resolves with central's acknowledgement. */
  sendBatch(credential: string, gzippedJson: Buffer, signal: AbortSignal): Promise<UplinkAck> {
    const headers = { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${credential}` };
    return this.post<UplinkAck>('/api/uplink/batches', headers, gzippedJson, signal);
  }

  private async post<T>(path: string, headers: Record<string, string>, body: string | Buffer, signal: AbortSignal): Promise<T> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.baseUrl + path, { method: 'POST', headers, body, signal: AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]) });
      text = await response.text();
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      const why = (err as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs / 1000} s` : `${(err as Error).message}${cause ? ` (${cause})` : ''}`;
      throw new TouchlineError('TL_ERR_UPLINK_UNREACHABLE', `Central at ${this.baseUrl} is unreachable: ${why}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (response.ok && parsed !== undefined) return parsed as T;
    const coded = parsed as { code?: string; message?: string } | undefined;
    if (coded?.code && coded.code in ERROR_CATALOG) throw new TouchlineError(coded.code as ErrorCode, coded.message ?? ERROR_CATALOG[coded.code as ErrorCode].message);
    throw new TouchlineError('TL_ERR_UPLINK_UNREACHABLE', `Central at ${this.baseUrl} answered ${response.status} ${response.statusText} to ${path} without a Touchline error code; is uplink.centralUrl right?`);
  }
}
