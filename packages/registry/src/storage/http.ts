import { ModelFileError } from '../errors';
import { checkFileName } from './file-name';
import type { ModelStorage, PrefixCheck, ReadLimits } from './types';

/** Limits and policies of http(s) loading. Every one has a default; raise them for big models. */
export interface HttpOptions {
  /**
   * Largest file accepted, in bytes (after decompression). Default 2 GiB. The loader also caps
   * each file by what it can be: model.json 64 MiB, weights no more than the built model holds.
   */
  maxBytes?: number;
  /** Time limit for one file, from the request to the last byte, in ms. Default 5 minutes. */
  timeoutMs?: number;
  /** Longest wait for the response or for the next chunk of it, in ms. Default 30 s. */
  stallTimeoutMs?: number;
  /**
   * Which redirects are followed: 'same-origin' (default; to the same scheme, host and port),
   * 'follow' (any, as `fetch` does; in a browser CORS still applies) or 'error' (none).
   */
  redirect?: 'same-origin' | 'follow' | 'error';
  /** Most redirects followed for one file. Default 5. */
  maxRedirects?: number;
  /** Passed to every `fetch` (headers, credentials…); its `signal` and `redirect` are ours. */
  init?: RequestInit;
  /** The fetch to use (default globalThis.fetch). */
  fetch?: typeof fetch;
}

/** The defaults of `httpStorage`'s options. */
export const HTTP_DEFAULTS = {
  maxBytes: 2 * 1024 ** 3,
  timeoutMs: 5 * 60_000,
  stallTimeoutMs: 30_000,
  redirect: 'same-origin',
  maxRedirects: 5,
} as const;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Files under an http(s) URL: `<url>/model.json`, `<url>/weights.safetensors`, …, read with
 * `fetch`. Read only. Each file must be a plain name under the URL (no `..`, no other origin);
 * its size is checked against Content-Length before the body is read and counted while it
 * streams; slow and stalled servers time out; redirects follow `options.redirect`. Every failure
 * is a `ModelFileError` (TOO_LARGE, TIMEOUT, HTTP_ERROR, REDIRECT_REFUSED, UNSAFE_PATH) naming
 * the URL.
 */
export function httpStorage(
  url: string,
  init?: RequestInit,
  options: HttpOptions = {},
): ModelStorage {
  const base = url.endsWith('/') ? url : `${url}/`;
  const root = new URL(base);
  const o = { ...HTTP_DEFAULTS, ...options };
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const requestInit = { ...init, ...options.init };
  return {
    location: url,
    async read(name: string, check?: PrefixCheck, limits: ReadLimits = {}) {
      checkFileName(name, url, 'url');
      const target = new URL(name, root);
      if (target.origin !== root.origin || !target.pathname.startsWith(root.pathname)) {
        throw new ModelFileError('UNSAFE_PATH', 'is not under the model URL.', target.href);
      }
      const where = target.href;
      const max = Math.min(o.maxBytes, limits.maxBytes ?? Number.POSITIVE_INFINITY);
      const controller = new AbortController();
      let why: ModelFileError | null = null;
      const abort = (error: ModelFileError) => {
        why ??= error;
        controller.abort(error);
      };
      const deadline = setTimeout(
        () =>
          abort(
            new ModelFileError(
              'TIMEOUT',
              `the download did not finish within ${o.timeoutMs} ms; the server is too slow or the file too big. Raise { http: { timeoutMs } } if it is expected.`,
              where,
            ),
          ),
        o.timeoutMs,
      );
      let stall: ReturnType<typeof setTimeout> | undefined;
      const arm = () => {
        clearTimeout(stall);
        stall = setTimeout(
          () =>
            abort(
              new ModelFileError(
                'TIMEOUT',
                `the server sent nothing for ${o.stallTimeoutMs} ms; it stalled. Raise { http: { stallTimeoutMs } } for a slow server.`,
                where,
              ),
            ),
          o.stallTimeoutMs,
        );
      };
      let current = target;
      try {
        let response: Response;
        for (let hops = 0; ; hops++) {
          arm();
          response = await doFetch(current, {
            ...requestInit,
            redirect: o.redirect === 'follow' ? 'follow' : 'manual',
            signal: controller.signal,
          });
          if (response.type === 'opaqueredirect') {
            throw new ModelFileError(
              'REDIRECT_REFUSED',
              `the server redirects, and the browser hides where to. Serve the files without a redirect, or pass { http: { redirect: 'follow' } } to follow it.`,
              where,
            );
          }
          if (!REDIRECTS.has(response.status) || o.redirect === 'follow') break;
          await response.body?.cancel().catch(() => {});
          const location = response.headers.get('location');
          const next = location === null ? null : new URL(location, current);
          if (o.redirect === 'error' || next === null) {
            throw new ModelFileError(
              'REDIRECT_REFUSED',
              `${response.status} redirect to ${next?.href ?? '(no Location)'} refused (redirect: 'error').`,
              where,
            );
          }
          if (next.origin !== root.origin) {
            throw new ModelFileError(
              'REDIRECT_REFUSED',
              `${response.status} redirect to ${next.href}, another origin, refused. Pass { http: { redirect: 'follow' } } if you trust it.`,
              where,
            );
          }
          if (hops + 1 > o.maxRedirects) {
            throw new ModelFileError(
              'REDIRECT_REFUSED',
              `more than ${o.maxRedirects} redirects (last to ${next.href}); is it a loop?`,
              where,
            );
          }
          current = next;
        }
        if (response.status === 404) {
          await response.body?.cancel().catch(() => {});
          return null;
        }
        if (!response.ok) {
          await response.body?.cancel().catch(() => {});
          throw new ModelFileError(
            'HTTP_ERROR',
            `GET failed: ${response.status} ${response.statusText}.`,
            where,
          );
        }
        const length = Number(response.headers.get('content-length') ?? Number.NaN);
        const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
        if (Number.isFinite(length) && length > max) {
          await response.body?.cancel().catch(() => {});
          throw tooLarge(`the server announces ${length} bytes`, max, where, limits.reason);
        }
        const bytes = await readBody(response, max, where, arm, limits.reason);
        // The declared size is the file's only when the body was not compressed in transit.
        check?.(bytes.subarray(0, 8), bytes.byteLength);
        if (Number.isFinite(length) && !encoded && length !== bytes.byteLength) {
          throw new ModelFileError(
            'HTTP_ERROR',
            `the server announced ${length} bytes and sent ${bytes.byteLength}; the download was cut short.`,
            where,
          );
        }
        return bytes;
      } catch (error) {
        if (why) throw why;
        if (error instanceof ModelFileError) throw error;
        if ((error as Error)?.name === 'SafetensorsError') throw error;
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        const detail = cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
        throw new ModelFileError(
          'HTTP_ERROR',
          `GET failed (${(error as Error)?.message ?? error}${detail && detail !== (error as Error)?.message ? `: ${detail}` : ''}); check the URL and that the server is up.`,
          where,
          { cause: error },
        );
      } finally {
        clearTimeout(deadline);
        clearTimeout(stall);
      }
    },
    async write() {
      throw new Error(
        `Cannot save to ${url}: http(s) URLs are read only. Save to a folder, indexeddb:// or downloads:// and upload the files.`,
      );
    },
  };
}

function tooLarge(what: string, max: number, where: string, reason?: string): ModelFileError {
  return new ModelFileError(
    'TOO_LARGE',
    `${what}, over the limit of ${max} (${reason ?? 'http.maxBytes'}). ${reason ? 'The file is not for this model.' : 'If the file is right, raise { http: { maxBytes } }.'}`,
    where,
  );
}

/** The body, counted as it streams (decompressed): stops at `max`; re-arms the stall timer per chunk. */
async function readBody(
  response: Response,
  max: number,
  where: string,
  onChunk: () => void,
  reason?: string,
): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    onChunk();
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge(`more than ${max} bytes arrived`, max, where, reason);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
