// fetch() an event stream: what EventSource does, for requests EventSource cannot make (POST, a body,
// custom headers). The bytes-to-text step is here; the text-to-events step is sse-parser.js. Chapters 03 and
// 04 use it; Quarkus serves it from this jar at /lib/fetch-event-stream.js.
import { createParser } from './sse-parser.js';

/**
 * A response that is not the event stream we asked for. `problem` is the server's JSON problem body, if any;
 * `retryAfterMs` the delay a 503 asked for, when the client gave up waiting for it.
 */
export class StreamError extends Error {
  constructor(message, status, problem, retryAfterMs = null) {
    super(message);
    this.name = 'StreamError';
    this.status = status;
    this.problem = problem;
    this.retryAfterMs = retryAfterMs;
  }
}

/** A 503 asking for a longer wait than this is reported, not waited for. */
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * POSTs `body` as JSON to `url` and calls onEvent({ type, data, lastEventId }) for every event of the answer.
 * Resolves when the server ends the stream; rejects with a StreamError (HTTP error, wrong content type), with
 * the signal's reason (an AbortError unless the caller gave another) when aborted, or with a TypeError when
 * the network fails (the connection, or CORS).
 *
 * A `503 Service Unavailable` with a `Retry-After` header is tried again after that delay, up to `maxRetries`
 * times; onRetryAfter(ms, attempt) is called before each wait, so that the page can say so. (EventSource
 * cannot do this: it never sees the status or the headers of a failed response, only an `error` event.)
 */
export async function fetchEventStream(url, {
  body, headers = {}, signal, onOpen, onEvent, onRetryAfter, maxRetries = 3,
}) {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...headers },
      body: JSON.stringify(body),
      signal,
    });

    // Check what came back before reading it as a stream: an error answer is a small JSON document, not events.
    if (!response.ok) {
      const problem = await readProblem(response); // reads the body, or cancels it: the request ends either way
      // Retry-After (RFC 9110, section 10.2.3) on a 503: the server is busy and says when to come back.
      // Across origins the page can only read it if the server lists it in Access-Control-Expose-Headers.
      const delay = response.status === 503 ? retryAfterMs(response.headers.get('Retry-After')) : null;
      if (delay !== null && delay <= MAX_RETRY_AFTER_MS && attempt <= maxRetries) {
        onRetryAfter?.(delay, attempt);
        await sleep(delay, signal);
        continue;
      }
      throw new StreamError(`${response.status} ${problem?.detail ?? response.statusText}`, response.status, problem,
        delay);
    }
    return readEvents(response, { onOpen, onEvent });
  }
}

/** The delay of a Retry-After value in ms: delay-seconds or an HTTP-date; null if there is none or it is bad. */
export function retryAfterMs(value, now = Date.now()) {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (/^[0-9]+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts: a wait the user can cancel. */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function readEvents(response, { onOpen, onEvent }) {
  const contentType = response.headers.get('Content-Type') ?? '';
  if (!contentType.startsWith('text/event-stream')) {
    await response.body?.cancel();
    throw new StreamError(`expected text/event-stream, got ${contentType || 'no Content-Type'}`, response.status);
  }
  onOpen?.(response);

  const parser = createParser({ onEvent });
  // One decoder for the whole stream, and stream: true: a character whose bytes arrive in two reads is held
  // back until its last byte is there. A new TextDecoder per chunk turns each half into U+FFFD.
  // ignoreBOM: the parser drops one leading BOM itself, as EventSource does.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
    parser.feed(decoder.decode()); // the end: flush what the decoder held back
  } catch (error) {
    // If onEvent threw, the response is still open: cancel it, or the server streams on to nobody.
    await reader.cancel(error).catch(() => {});
    throw error;
  }
}

async function readProblem(response) {
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) {
    await response.body?.cancel();
    return null;
  }
  try {
    return await response.json();
  } catch {
    return null;
  }
}
