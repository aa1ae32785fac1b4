// The shared feed, followed with EventSource. Every connection starts with a `joined` event that names the
// instance serving it; the page keeps the last id it saw, so that "Switch instance" can resume from it on a new
// connection (a new EventSource cannot send Last-Event-ID: the id goes in ?after= instead).
const messages = document.querySelector('#messages');
const connections = document.querySelector('#connections');
const instanceOutput = document.querySelector('#instance');
const stateOutput = document.querySelector('#state');
const postStatus = document.querySelector('#post-status');

let source = null;
let lastId = '';
let connectionCount = 0;
let currentInstance = null;
let leaving = null; // the instance "Switch instance" wants to leave
let attempts = 0;
let reopenDelayMs = 1000;

function connect() {
  source = new EventSource(lastId ? `/feed?after=${encodeURIComponent(lastId)}` : '/feed');
  source.addEventListener('open', () => {
    stateOutput.textContent = 'open';
    reopenDelayMs = 1000;
  });
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CONNECTING) {
      stateOutput.textContent = 'reconnecting'; // EventSource retries by itself: the stream had started
      return;
    }
    // Any answer but 200 (a 503 while Redis is away, say) closes EventSource for good: open a new one, from the
    // last id seen, after a pause that doubles up to 30 s.
    stateOutput.textContent = `closed; reopening in ${reopenDelayMs / 1000} s`;
    const closed = source;
    setTimeout(() => { if (source === closed) connect(); }, reopenDelayMs);
    reopenDelayMs = Math.min(reopenDelayMs * 2, 30_000);
  });
  source.addEventListener('joined', (event) => {
    const joined = JSON.parse(event.data);
    lastId = event.lastEventId;
    currentInstance = joined.instance;
    connectionCount++;
    addConnection(connectionCount, joined.instance, joined.after);
    instanceOutput.textContent = joined.instance;
    // Behind a round-robin balancer the next connection usually lands elsewhere; try a few times.
    if (leaving !== null && joined.instance === leaving && attempts < 5) {
      attempts++;
      reconnect();
    } else {
      leaving = null;
    }
  });
  source.addEventListener('reset', (event) => {
    const reset = JSON.parse(event.data);
    addLine('reset', `reset (${reset.reason}): ${reset.detail}`);
  });
  source.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    lastId = event.lastEventId;
    const li = addLine('message', '');
    const id = document.createElement('span');
    id.className = 'id';
    id.textContent = message.id + ' ';
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = message.text;
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = ` · posted via ${message.via} · received from ${currentInstance} (connection ${connectionCount})`;
    li.replaceChildren(id, text, meta);
  });
}

function reconnect() {
  source.close();
  connect();
}

function addConnection(number, instance, after) {
  const row = document.createElement('tr');
  for (const value of [String(number), instance, after]) {
    const cell = document.createElement('td');
    cell.textContent = value;
    row.append(cell);
  }
  connections.append(row);
}

function addLine(type, text) {
  const li = document.createElement('li');
  li.dataset.type = type;
  li.textContent = text;
  messages.append(li);
  return li;
}

document.querySelector('#switch').addEventListener('click', () => {
  leaving = currentInstance;
  attempts = 0;
  reconnect();
});

document.querySelector('#post').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = document.querySelector('#text');
  postStatus.textContent = 'posting…';
  try {
    const response = await fetch('/messages', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: input.value }),
    });
    const body = await response.json();
    if (response.ok) {
      postStatus.textContent = `${body.id} via ${body.instance}`;
      input.value = '';
    } else {
      postStatus.textContent = `${response.status}: ${body.detail}`;
    }
  } catch (error) {
    postStatus.textContent = `not posted: ${error.message}`;
  }
});

connect();
