// What EventSource does by itself, written by hand for a WebSocket: reconnect after an unexpected close, wait
// longer after each failed try, resume after the last id received, and know when to stop for good.

export const NORMAL_CLOSURE = 1000;
export const POLICY_VIOLATION = 1008;

const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 5000;

/**
 * Exponential backoff with jitter: 100, 200, 400 ... ms, capped at 5 s, each picked at random in its upper half,
 * so that a thousand pages dropped by the same server restart do not all come back in the same millisecond.
 */
export function backoffDelay(attempt) {
  const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/**
 * Connects to /ws and keeps the ticks coming until {"type":"done"} or close(). `handlers` are optional callbacks:
 * open(url), message(parsed, event), binary(arrayBuffer), closed(closeEvent, retryDelayOrNull).
 */
export function connectTicks({ count, intervalMs }, handlers = {}) {
  let socket = null;
  let lastId = -1; // the id of the last tick received: the next connection asks for lastId + 1
  let paused = false; // the server forgets everything with the connection; the page re-applies it
  let attempt = 0; // tries since a connection last delivered a message
  let retryTimer = null;
  let stopped = false; // done received, a policy violation, or close() called: never reconnect

  function open() {
    const url = new URL('/ws', location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = new URLSearchParams({ count, intervalMs, from: lastId + 1 });
    socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer'; // binary messages as ArrayBuffer, not Blob

    socket.addEventListener('open', () => {
      if (paused) {
        send({ action: 'pause' });
      }
      handlers.open?.(url);
    });

    socket.addEventListener('message', (event) => {
      // Only a connection that delivers counts as a success. Resetting on 'open' would retry every 100 ms,
      // forever, against a server (or proxy) that accepts the upgrade and closes at once.
      attempt = 0;
      if (event.data instanceof ArrayBuffer) {
        handlers.binary?.(event.data);
        return;
      }
      const message = JSON.parse(event.data);
      if (message.type === 'tick') {
        lastId = message.id;
      } else if (message.type === 'state') {
        paused = message.paused;
        intervalMs = message.intervalMs;
      } else if (message.type === 'done') {
        stopped = true; // the server closes with 1000 next; nothing to reconnect for
      }
      handlers.message?.(message, event);
    });

    socket.addEventListener('close', (event) => {
      // 1008: the server refused our parameters, and would refuse them again.
      if (stopped || event.code === POLICY_VIOLATION) {
        stopped = true;
        handlers.closed?.(event, null);
        return;
      }
      const delay = backoffDelay(attempt++);
      // The timer first: the handler may call close(), which must find it to cancel it.
      retryTimer = setTimeout(open, delay);
      handlers.closed?.(event, delay);
    });
  }

  /** Sends a command now; returns false when there is no open connection to send it on. */
  function send(command) {
    if (socket?.readyState !== WebSocket.OPEN) {
      return false;
    }
    socket.send(JSON.stringify(command));
    return true;
  }

  open();
  return {
    send,
    get readyState() {
      return socket.readyState;
    },
    close() {
      stopped = true;
      clearTimeout(retryTimer);
      if (socket.readyState === WebSocket.CLOSED) {
        // Between two tries there is no socket to close, so no close event will come: say it ourselves.
        handlers.closed?.({ code: NORMAL_CLOSURE, reason: 'closed while waiting to reconnect', wasClean: true }, null);
      } else {
        socket.close(NORMAL_CLOSURE);
      }
    },
  };
}
