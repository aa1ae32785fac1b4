// The page of chapter 02: named events, their ids, reconnections, and a stream that ends for good.

const READY_STATES = ['CONNECTING', 'OPEN', 'CLOSED'];

const form = {
  count: document.querySelector('#count'),
  intervalMs: document.querySelector('#interval-ms'),
  retryMs: document.querySelector('#retry-ms'),
};
const connectButton = document.querySelector('#connect');
const cutButton = document.querySelector('#cut');
const disconnectButton = document.querySelector('#disconnect');
const readyStateOutput = document.querySelector('#ready-state');
const lastEventIdOutput = document.querySelector('#last-event-id');
const reconnectionsOutput = document.querySelector('#reconnections');
const log = document.querySelector('#log');

// The page's own query string may preset the form: index.html?count=5&intervalMs=100&retryMs=200
const pageParams = new URLSearchParams(location.search);
for (const [name, input] of Object.entries(form)) {
  input.value = pageParams.get(name) ?? input.value;
}

let source = null;
let opens = 0;

function append(type, text) {
  const line = document.createElement('li');
  line.dataset.type = type;
  line.textContent = `${new Date().toISOString().slice(11, 23)}  ${type.padEnd(7)} ${text}`;
  log.append(line);
}

function showState() {
  readyStateOutput.textContent = READY_STATES[source.readyState];
  reconnectionsOutput.textContent = String(Math.max(0, opens - 1));
}

function setRunning(running) {
  connectButton.disabled = running;
  cutButton.disabled = !running;
  disconnectButton.disabled = !running;
}

function connect() {
  source?.close();
  opens = 0;
  const query = new URLSearchParams(Object.entries(form).map(([name, input]) => [name, input.value]));
  source = new EventSource(`/sse?${query}`);
  showState();
  setRunning(true);

  source.addEventListener('open', () => {
    opens++;
    showState();
    append('open', opens === 1 ? 'connected' : `reconnected (Last-Event-ID: ${lastEventIdOutput.textContent})`);
  });

  // The server names its events (event: tick, event: done). A named event goes only to the listeners of
  // that name: onmessage / 'message' receives events that have no event: field, and here there are none.
  source.addEventListener('message', (event) => {
    append('message', event.data);
  });

  source.addEventListener('tick', (event) => {
    lastEventIdOutput.textContent = event.lastEventId;
    append('tick', `lastEventId=${event.lastEventId} ${event.data}`);
  });

  source.addEventListener('done', (event) => {
    append('done', `${event.data}: the server has sent everything, closing`);
    // Without close() the browser would reconnect once more (with Last-Event-ID = the last id) and only
    // stop on the server's 204. Closing here saves that round trip.
    source.close();
    showState();
    setRunning(false);
  });

  source.addEventListener('error', () => {
    showState();
    if (source.readyState === EventSource.CONNECTING) {
      append('error', 'connection lost, the browser will reconnect after the retry delay');
    } else {
      append('error', 'the browser gave up (an HTTP error, a wrong content type, or 204 No Content)');
      setRunning(false);
    }
  });
}

async function cut() {
  const response = await fetch('/sse/cut', { method: 'POST' });
  const { cut: streams } = await response.json();
  append('cut', `the server ended ${streams} running stream(s)`);
}

function disconnect() {
  source.close();
  showState();
  append('closed', 'close() called, no reconnect');
  setRunning(false);
}

connectButton.addEventListener('click', connect);
cutButton.addEventListener('click', cut);
disconnectButton.addEventListener('click', disconnect);
