// fetch() an event stream: what EventSource does, for requests EventSource cannot make (POST, a body,
// custom headers). The bytes-to-text step is here; the text-to-events step is sse-parser.js. Chapters 03 and
// 04 use it; Quarkus serves it from this jar at /lib/fetch-event-stream.js.
import { createParser } from './sse-parser.js';

/** A response that is not the event stream we asked for. `problem` is the server's JSON problem body, if any. */
export class StreamError extends Error {
  constructor(message, status, problem) {
    super(message);
    this.name = 'StreamError';
    this.status = status;
    this.problem = problem;
  }
}

/**
 * POSTs `body` as JSON to `url` and calls onEvent({ type, data, lastEventId }) for every event of the answer.
 * Resolves when the server ends the stream; rejects with a StreamError (HTTP error, wrong content type), with
 * the signal's reason (an AbortError unless the caller gave another) when aborted, or with a TypeError when
 * the network fails (the connection, or CORS).
 */
export async function fetchEventStream(url, { body, headers = {}, signal, onOpen, onEvent }) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...headers },
    body: JSON.stringify(body),
    signal,
  });

  // Check what came back before reading it as a stream: an error answer is a small JSON document, not events.
  if (!response.ok) {
    const problem = await readProblem(response); // reads the body, or cancels it: the request ends either way
    throw new StreamError(`${response.status} ${problem?.detail ?? response.statusText}`, response.status, problem);
  }
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
