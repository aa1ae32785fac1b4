// The page of chapter 01: one EventSource, its readyState, and a log of everything it fires.

// EventSource.readyState is a number; these are the names the HTML Standard gives them.
const READY_STATES = ['CONNECTING', 'OPEN', 'CLOSED'];

const countInput = document.querySelector('#count');
const intervalInput = document.querySelector('#interval-ms');
const contentInput = document.querySelector('#content');
const connectButton = document.querySelector('#connect');
const disconnectButton = document.querySelector('#disconnect');
const readyStateOutput = document.querySelector('#ready-state');
const log = document.querySelector('#log');

// The page's own query string may preset the form: index.html?count=3&intervalMs=100
const pageParams = new URLSearchParams(location.search);
countInput.value = pageParams.get('count') ?? countInput.value;
intervalInput.value = pageParams.get('intervalMs') ?? intervalInput.value;
contentInput.value = pageParams.get('content') ?? contentInput.value;

let source = null;

function append(type, text) {
  const line = document.createElement('li');
  line.dataset.type = type;
  // textContent, never innerHTML: the text comes from the server and must not become markup.
  line.textContent = `${new Date().toISOString().slice(11, 23)}  ${type.padEnd(7)} ${text}`;
  log.append(line);
}

function showReadyState() {
  readyStateOutput.textContent = READY_STATES[source.readyState];
}

function connect() {
  source?.close();
  const query = new URLSearchParams({
    count: countInput.value, intervalMs: intervalInput.value, content: contentInput.value,
  });
  source = new EventSource(`/sse?${query}`);
  showReadyState();
  connectButton.disabled = true;
  disconnectButton.disabled = false;

  source.addEventListener('open', () => {
    showReadyState();
    append('open', `readyState ${READY_STATES[source.readyState]}`);
  });
  source.addEventListener('message', (event) => {
    append('message', event.data);
  });
  source.addEventListener('error', () => {
    showReadyState();
    // CONNECTING: the connection ended and the browser will reconnect by itself.
    // CLOSED: the browser gave up (an HTTP error status or a wrong content type).
    const what = source.readyState === EventSource.CONNECTING
      ? 'the stream ended, the browser will reconnect'
      : 'the browser gave up';
    append('error', `readyState ${READY_STATES[source.readyState]}: ${what}`);
    if (source.readyState === EventSource.CLOSED) {
      connectButton.disabled = false;
      disconnectButton.disabled = true;
    }
  });
}

function disconnect() {
  source.close();
  showReadyState();
  append('closed', `readyState ${READY_STATES[source.readyState]}: close() called, no reconnect`);
  connectButton.disabled = false;
  disconnectButton.disabled = true;
}

connectButton.addEventListener('click', connect);
disconnectButton.addEventListener('click', disconnect);
