// The page of chapter 04: start streams of both kinds, end them in every way, and watch the server's count.
import { fetchEventStream } from '/lib/fetch-event-stream.js';

const field = (id) => document.querySelector(`#${id}`);
const log = field('log');
const table = field('streams');

// The page's own query string may preset the form: index.html?count=50&intervalMs=20&timeoutMs=300
const pageParams = new URLSearchParams(location.search);
for (const [param, id] of [['count', 'count'], ['intervalMs', 'interval-ms'], ['timeoutMs', 'timeout-ms']]) {
  if (pageParams.has(param)) field(id).value = pageParams.get(param);
}

function append(text) {
  const line = document.createElement('li');
  line.textContent = `${new Date().toISOString().slice(11, 23)}  ${text}`;
  log.append(line);
}

// The server's counts, streamed by SSE itself.
const monitor = new EventSource('/streams/live');
monitor.addEventListener('message', (event) => {
  const counts = JSON.parse(event.data);
  for (const name of ['active', 'started', 'completed', 'cancelled', 'failed']) {
    field(`server-${name}`).textContent = String(counts[name]);
  }
});

let nextNumber = 1;
const eventSources = new Map(); // number -> { source, row }
const fetches = new Map(); // number -> { controller, row }

function addRow(number, kind, endButtonLabel, end) {
  const row = document.createElement('tr');
  row.dataset.kind = kind;
  const cells = [String(number), kind, '0', ''].map((text) => {
    const cell = document.createElement('td');
    cell.textContent = text;
    row.append(cell);
    return cell;
  });
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = `${endButtonLabel} ${number}`;
  button.addEventListener('click', end);
  const buttonCell = document.createElement('td');
  buttonCell.append(button);
  row.append(buttonCell);
  table.append(row);
  const handle = {
    count: () => { cells[2].textContent = String(Number(cells[2].textContent) + 1); },
    state: (state) => {
      cells[3].textContent = state;
      row.dataset.state = state;
      button.disabled = !['connecting', 'waiting', 'open'].includes(state);
    },
  };
  handle.state('connecting');
  return handle;
}

function query() {
  return new URLSearchParams({ count: field('count').value, intervalMs: field('interval-ms').value });
}

function openEventSource() {
  const number = nextNumber++;
  const source = new EventSource(`/sse?${query()}`);
  const row = addRow(number, 'EventSource', 'close()', () => closeEventSource(number));
  eventSources.set(number, { source, row });
  source.addEventListener('open', () => row.state('open'));
  source.addEventListener('tick', () => row.count());
  source.addEventListener('done', () => {
    source.close();
    row.state('done');
    eventSources.delete(number);
  });
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) {
      // The connection failed for good: a status other than 200 (a 503 when the server is busy, say) or not
      // an event stream. The error event does not say which, and EventSource will not try again.
      row.state('failed');
      append(`#${number} EventSource: failed, readyState CLOSED (the error event does not say why; no retry)`);
      eventSources.delete(number);
    } else {
      row.state('connecting');
    }
  });
}

function closeEventSource(number) {
  const { source, row } = eventSources.get(number);
  // close() ends the HTTP request: the server sees the connection close and cancels the stream.
  source.close();
  row.state('closed');
  append(`#${number} EventSource: close()`);
  eventSources.delete(number);
}

async function startFetch() {
  const number = nextNumber++;
  const controller = new AbortController();
  const timeoutMs = Number(field('timeout-ms').value);
  // AbortSignal.timeout() aborts with a TimeoutError; any() lets the user abort too.
  const signal = timeoutMs > 0 ? AbortSignal.any([controller.signal, AbortSignal.timeout(timeoutMs)]) : controller.signal;
  const row = addRow(number, 'fetch', 'abort()', () => controller.abort());
  fetches.set(number, { controller, row });
  let done = false;
  try {
    await fetchEventStream(`/fetch-sse?${query()}`, {
      body: { content: `stream ${number}` },
      signal,
      // A 503 with Retry-After: fetchEventStream waits that long and tries again (EventSource cannot: above).
      onRetryAfter: (ms, attempt) => {
        row.state('waiting');
        append(`#${number} fetch: 503, the server is busy; trying again in ${ms / 1000} s (Retry-After), attempt ${attempt}`);
      },
      onOpen: () => row.state('open'),
      onEvent: ({ type }) => {
        if (type === 'tick') row.count();
        if (type === 'done') done = true;
      },
    });
    row.state(done ? 'done' : 'ended early');
    append(`#${number} fetch: ${done ? 'done' : 'the server ended the stream before done (its time limit?)'}`);
  } catch (error) {
    const why = describeFailure(signal, error);
    row.state(why.state);
    append(`#${number} fetch: ${why.text}`);
  } finally {
    fetches.delete(number);
  }
}

// The seed treats every rejection alike. But an abort we asked for is not a failure: when our own signal is
// aborted, the rejection is the abort (signal.reason says which); otherwise it is a real error.
export function describeFailure(signal, error) {
  if (signal.aborted) {
    const reason = signal.reason;
    if (reason?.name === 'TimeoutError') return { state: 'timed out', text: 'timed out (AbortSignal.timeout)' };
    if (reason?.name === 'AbortError') return { state: 'aborted', text: 'aborted by you (AbortError)' };
    return { state: 'aborted', text: `aborted by you: ${reason}` };
  }
  if (error.name === 'StreamError') return { state: 'failed', text: `refused: ${error.message}` };
  return { state: 'network error', text: `network error: ${error.name}: ${error.message}` };
}

field('open-eventsource').addEventListener('click', openEventSource);
field('start-fetch').addEventListener('click', startFetch);
field('close-all').addEventListener('click', () => [...eventSources.keys()].forEach(closeEventSource));
field('abort-all').addEventListener('click', () => fetches.forEach(({ controller }) => controller.abort()));
field('abort-all-reason').addEventListener('click',
  () => fetches.forEach(({ controller }) => controller.abort(new Error('the user changed their mind'))));
