/**
 * Central's portal API from the browser. Unlike the hub (an HttpOnly cookie on the club's own
 * Wi-Fi), central answers with a short-lived bearer token; the portal keeps it in this browser's
 * localStorage under its own key, apart from anything the hub's pages use, and forgets it on
 * sign-out, on expiry and on the first 401.
 */
import { ApiError, timeoutSignal } from '../api.ts';

export { ApiError };

const TOKEN_KEY = 'touchline.portal.token';

/** Analytics over months of data may take a while; still, say so instead of hanging. */
const TIMEOUT_MS = 30_000;

interface StoredToken {
  token: string;
  expiresAt: number;
}

let memory: StoredToken | null = null;

function read(): StoredToken | null {
  if (memory) return memory;
  try {
    const raw = localStorage.getItem(TOKEN_KEY);
    memory = raw ? (JSON.parse(raw) as StoredToken) : null;
  } catch {
    memory = null;
  }
  return memory;
}

/** The token when there is one that has not expired. */
export function currentToken(): string | null {
  const stored = read();
  if (!stored) return null;
  if (stored.expiresAt <= Date.now()) {
    forgetToken();
    return null;
  }
  return stored.token;
}

export function storeToken(token: string, expiresAt: number): void {
  memory = { token, expiresAt };
  try {
    localStorage.setItem(TOKEN_KEY, JSON.stringify(memory));
  } catch {
    // Private mode: the token lives as long as this page.
  }
}

export function forgetToken(): void {
  memory = null;
  try {
    localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Nothing stored.
  }
}

/** The expiry a JWT carries (`exp`, in seconds), for a token that arrived without one (single sign-on). */
export function expiryOf(jwt: string): number | null {
  try {
    const payload = jwt.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/** Called on a 401: the portal's layout sends the user to sign in again. */
let onSignedOut: (() => void) | null = null;
export function whenSignedOut(handler: (() => void) | null): void {
  onSignedOut = handler;
}

function failure(status: number, text: string): ApiError {
  let parsed: { code?: string; message?: string } | undefined;
  try {
    parsed = text ? (JSON.parse(text) as { code?: string; message?: string }) : undefined;
  } catch {
    parsed = undefined;
  }
  return new ApiError(status, parsed?.code ?? `HTTP_${status}`, parsed?.message ?? `Central answered ${status}.`);
}

/** A 401 means the token expired or the account was disabled; the sign-in itself answers 401 for a wrong password. */
function unauthorised(status: number, path: string): void {
  if (status !== 401 || path.startsWith('/api/auth/')) return;
  forgetToken();
  onSignedOut?.();
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = currentToken();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: timeoutSignal(TIMEOUT_MS) });
  } catch {
    throw new ApiError(0, 'TL_ERR_NETWORK', 'Central did not answer. Check the network connection and try again.');
  }
  const text = await response.text();
  if (!response.ok) {
    unauthorised(response.status, path);
    throw failure(response.status, text);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const del = <T>(path: string) => api<T>('DELETE', path);

/** A query string from the defined values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Sends a file as raw bytes with XMLHttpRequest rather than fetch, because only XHR reports how
 * much of the body has gone out (`onProgress` gets 0..1), which matters for a large file on a
 * slow link.
 */
export function upload<T>(path: string, file: Blob, onProgress: (fraction: number) => void): Promise<T> {
  const token = currentToken();
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
        return;
      }
      unauthorised(xhr.status, path);
      reject(failure(xhr.status, xhr.responseText));
    };
    xhr.onerror = () => reject(new ApiError(0, 'TL_ERR_NETWORK', 'The upload was interrupted. Check the network connection and try again.'));
    xhr.ontimeout = xhr.onerror;
    xhr.send(file);
  });
}
