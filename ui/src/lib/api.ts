/**
 * The hub's REST API. Staff are signed in by the hub's HttpOnly `tl_token` cookie, which the
 * browser sends by itself (the page never holds the staff token, so a script injected into it
 * cannot steal one); a wall screen instead carries its display token in its URL and sends it as a
 * bearer token.
 */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let bearer: string | null = null;

/** Sends `token` with every request instead of relying on the cookie (wall screens). */
export function useBearerToken(token: string | null): void {
  bearer = token;
}

export function bearerToken(): string | null {
  return bearer;
}

/** How long a request may take before it counts as lost: the hub is on the local Wi-Fi. */
const TIMEOUT_MS = 10_000;

/** AbortSignal.timeout, which iPadOS 15 Safari lacks. */
export function timeoutSignal(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller.signal;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: timeoutSignal(TIMEOUT_MS),
    });
  } catch {
    throw new ApiError(0, 'TL_ERR_NETWORK', 'The hub did not answer. Check that this device is on the hub’s Wi-Fi.');
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = parsed as { code?: string; message?: string } | undefined;
    throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? `The hub answered ${response.status}.`);
  }
  return parsed as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const put = <T>(path: string, body?: unknown) => api<T>('PUT', path, body ?? {});
export const patch = <T>(path: string, body?: unknown) => api<T>('PATCH', path, body ?? {});
export const del = <T>(path: string) => api<T>('DELETE', path);

/** A message for people from any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
