// The page of chapter 03: a form, Send and Abort, and the events as they arrive.
import { fetchEventStream } from '/lib/fetch-event-stream.js';

const field = (id) => document.querySelector(`#${id}`);
const sendButton = field('send');
const abortButton = field('abort');
const statusOutput = field('status');
const log = field('log');

// The page's own query string may preset the form: index.html?count=3&intervalMs=50&naive=true
const pageParams = new URLSearchParams(location.search);
for (const [param, id] of [['count', 'count'], ['intervalMs', 'interval-ms'], ['content', 'content'],
  ['requestId', 'request-id'], ['server', 'server']]) {
  if (pageParams.has(param)) field(id).value = pageParams.get(param);
}
field('naive').checked = pageParams.get('naive') === 'true';

let controller = null;

function append(type, text) {
  const line = document.createElement('li');
  line.dataset.type = type;
  line.textContent = `${new Date().toISOString().slice(11, 23)}  ${type.padEnd(7)} ${text}`;
  log.append(line);
}

function setStatus(status) {
  statusOutput.textContent = status;
  const running = status === 'streaming' || status === 'connecting';
  sendButton.disabled = running;
  abortButton.disabled = !running;
}

async function send() {
  controller = new AbortController();
  const query = new URLSearchParams({ count: field('count').value, intervalMs: field('interval-ms').value });
  const body = { content: field('content').value };
  const requestId = field('request-id').value;
  const server = field('server').value.replace(/\/$/, '');
  setStatus('connecting');
  try {
    if (field('naive').checked) {
      await naiveStream(`${server}/fetch-raw?${query}`, body, controller.signal);
    } else {
      await fetchEventStream(`${server}/fetch-sse?${query}`, {
        body,
        headers: requestId ? { 'X-Request-Id': requestId } : {},
        signal: controller.signal,
        onOpen: (response) => {
          setStatus('streaming');
          append('open', `${response.status} ${response.headers.get('Content-Type')}`);
        },
        onEvent: ({ type, data, lastEventId }) => append(type, `lastEventId=${lastEventId} ${data}`),
      });
    }
    setStatus('done');
  } catch (error) {
    // An abort the user asked for is not a failure: tell them apart by the error's name.
    if (error.name === 'AbortError') {
      append('aborted', 'aborted by you');
      setStatus('aborted');
    } else {
      append('error', `${error.name}: ${error.message}`);
      setStatus('failed');
    }
  }
}

// The seed's client, rewritten only to show how it breaks: one TextDecoder per chunk and one JSON.parse per
// chunk, as if each read() returned exactly one message. It fails as soon as two objects share a chunk (or one
// object spans two), and a character split between chunks turns into U+FFFD.
async function naiveStream(url, body, signal) {
  const response = await fetch(url, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal,
  });
  setStatus('streaming');
  append('open', `${response.status} ${response.headers.get('Content-Type')} (naive)`);
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    const chunk = new TextDecoder().decode(value);
    append('naive', JSON.stringify(JSON.parse(chunk)));
  }
}

sendButton.addEventListener('click', send);
abortButton.addEventListener('click', () => controller.abort());
