// The page of chapter 05: the same ticker through EventSource (left) and WebSocket (right), with the same
// counters, so that what differs is what the transports do -- and what the page has to do itself.

import { connectTicks } from './reconnecting-websocket.js';

const SSE_STATES = ['CONNECTING', 'OPEN', 'CLOSED'];
const WS_STATES = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'];

const form = {
  count: document.querySelector('#count'),
  intervalMs: document.querySelector('#interval-ms'),
  retryMs: document.querySelector('#retry-ms'),
};
// The page's own query string may preset the form: index.html?count=5&intervalMs=100&retryMs=200
const pageParams = new URLSearchParams(location.search);
for (const [name, input] of Object.entries(form)) {
  input.value = pageParams.get(name) ?? input.value;
}

const utf8 = new TextEncoder();

/** The outputs, buttons and log of one panel; `prefix` is "sse" or "ws". */
function panel(prefix) {
  const element = (name) => document.querySelector(`#${prefix}-${name}`);
  const log = element('log');
  const counters = { messages: 0, totalBytes: 0, opens: 0 };
  return {
    element,
    counters,
    reset() {
      Object.assign(counters, { messages: 0, totalBytes: 0, opens: 0 });
      for (const name of ['messages', 'last-bytes', 'total-bytes', 'reconnections']) {
        element(name).textContent = '0';
      }
      element('last-id').textContent = 'none';
      log.replaceChildren();
    },
    /** Counts one message of `bytes` bytes: the UTF-8 length of a text message, or a binary message's length. */
    received(bytes) {
      counters.messages++;
      counters.totalBytes += bytes;
      element('messages').textContent = String(counters.messages);
      element('last-bytes').textContent = String(bytes);
      element('total-bytes').textContent = String(counters.totalBytes);
    },
    opened() {
      counters.opens++;
      element('reconnections').textContent = String(Math.max(0, counters.opens - 1));
      return counters.opens > 1;
    },
    append(type, text) {
      const line = document.createElement('li');
      line.dataset.type = type;
      line.textContent = `${new Date().toISOString().slice(11, 23)}  ${type.padEnd(6)} ${text}`;
      log.append(line);
      log.scrollTop = log.scrollHeight;
    },
    setRunning(running, ...names) {
      element('connect').disabled = running;
      for (const name of ['disconnect', 'drop', ...names]) {
        element(name).disabled = !running;
      }
    },
  };
}

// ---- EventSource: reconnecting and resuming are the browser's job ----

const sse = panel('sse');
let source = null;

function showSseState() {
  sse.element('ready-state').textContent = SSE_STATES[source.readyState];
}

function connectEventSource() {
  source?.close();
  sse.reset();
  const query = new URLSearchParams(Object.entries(form).map(([name, input]) => [name, input.value]));
  source = new EventSource(`/sse?${query}`);
  showSseState();
  sse.setRunning(true);

  source.addEventListener('open', () => {
    const again = sse.opened();
    showSseState();
    const lastId = sse.element('last-id').textContent;
    sse.append('open', again ? `reconnected by the browser, Last-Event-ID: ${lastId}` : 'connected');
  });
  source.addEventListener('tick', (event) => {
    const bytes = utf8.encode(event.data).length;
    sse.received(bytes);
    sse.element('last-id').textContent = event.lastEventId;
    sse.append('tick', `id=${event.lastEventId} ${bytes} B`);
  });
  source.addEventListener('done', (event) => {
    sse.received(utf8.encode(event.data).length);
    sse.append('done', `${event.data}: closing`);
    source.close(); // otherwise the browser reconnects once more and stops only on the server's 204
    showSseState();
    sse.setRunning(false);
  });
  source.addEventListener('error', () => {
    showSseState();
    if (source.readyState === EventSource.CONNECTING) {
      sse.append('error', 'connection lost: the browser reconnects by itself after retryMs');
    } else {
      sse.append('closed', 'the browser gave up (an HTTP error, a wrong content type, or 204)');
      sse.setRunning(false);
    }
  });
}

function disconnectEventSource() {
  source.close();
  showSseState();
  sse.append('closed', 'close() called: no reconnection');
  sse.setRunning(false);
}

async function dropEventSource() {
  // A one-way stream cannot carry a request back: asking the server anything takes a second HTTP request.
  const response = await fetch('/sse/cut', { method: 'POST' });
  const { cut } = await response.json();
  sse.append('drop', `POST /sse/cut: the server ended ${cut} stream(s)`);
}

function binaryOverEventSource() {
  const binarySource = new EventSource('/sse/binary');
  binarySource.addEventListener('binary', (event) => {
    binarySource.close(); // one event is all there is; without close() the browser would ask again
    const bytes = Uint8Array.from(atob(event.data), (c) => c.charCodeAt(0));
    sse.received(utf8.encode(event.data).length);
    sse.element('binary').textContent = `${event.data.length} characters of base64 → ${bytes.length} bytes`;
    sse.append('binary', `base64 text, ${event.data.length} characters, decodes to ${bytes.length} bytes`);
  });
}

// ---- WebSocket: the same, with reconnect and resume written in reconnecting-websocket.js ----

const ws = panel('ws');
const wsControls = ['binary-button', 'pause', 'resume', 'rate-button'];
let ticks = null;

function showWsState(text) {
  ws.element('ready-state').textContent = text ?? WS_STATES[ticks.readyState];
}

function connectWebSocket() {
  ticks?.close();
  ws.reset();
  ws.setRunning(true, ...wsControls);
  ticks = connectTicks({ count: form.count.value, intervalMs: form.intervalMs.value }, {
    open(url) {
      const again = ws.opened();
      showWsState();
      ws.append('open', again ? `reconnected by the page: ${url.search}` : `connected: ${url.search}`);
    },
    message(message, event) {
      const bytes = utf8.encode(event.data).length;
      ws.received(bytes);
      if (message.type === 'tick') {
        ws.element('last-id').textContent = String(message.id);
        ws.append('tick', `id=${message.id} ${bytes} B`);
      } else if (message.type === 'state') {
        ws.append('state', `paused: ${message.paused}, intervalMs: ${message.intervalMs}`);
      } else {
        ws.append(message.type, event.data);
      }
    },
    binary(buffer) {
      ws.received(buffer.byteLength);
      ws.element('binary').textContent = `${buffer.byteLength} bytes (ArrayBuffer)`;
      ws.append('binary', `binary message, ArrayBuffer of ${buffer.byteLength} bytes`);
    },
    closed(event, retryDelay) {
      showWsState();
      const why = `close ${event.code}${event.reason ? ` "${event.reason}"` : ''}, clean: ${event.wasClean}`;
      if (retryDelay === null) {
        ws.append('closed', `${why}: no reconnection`);
        ws.setRunning(false, ...wsControls);
      } else {
        ws.append('retry', `${why}: the page reconnects in ${retryDelay} ms`);
        showWsState(`CLOSED, reconnecting in ${retryDelay} ms`);
      }
    },
  });
  showWsState();
}

function disconnectWebSocket() {
  ticks.close();
  showWsState();
}

onClick('sse-connect', connectEventSource);
onClick('sse-disconnect', disconnectEventSource);
onClick('sse-drop', dropEventSource);
onClick('sse-binary-button', binaryOverEventSource);
onClick('ws-connect', connectWebSocket);
onClick('ws-disconnect', disconnectWebSocket);
// Full duplex: the controls travel on the connection that carries the ticks.
// A command needs an open connection; between two tries the page says so instead of dropping it silently.
function sendCommand(command) {
  if (!ticks.send(command)) {
    ws.append('error', `not connected: ${command.action} not sent`);
  }
}

onClick('ws-drop', () => sendCommand({ action: 'drop' }));
onClick('ws-binary-button', () => sendCommand({ action: 'binary' }));
onClick('ws-pause', () => sendCommand({ action: 'pause' }));
onClick('ws-resume', () => sendCommand({ action: 'resume' }));
onClick('ws-rate-button', () => {
  sendCommand({ action: 'rate', intervalMs: Number(document.querySelector('#ws-rate').value) });
});

function onClick(id, action) {
  document.querySelector(`#${id}`).addEventListener('click', action);
}
