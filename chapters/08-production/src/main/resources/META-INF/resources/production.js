// Chapter 08's page: which protocol carried it, one ticker, and many EventSources at once.

const navigation = performance.getEntriesByType('navigation')[0];
// "h2" over HTTP/2, "http/1.1" otherwise (an open EventSource gets its own timing entry only when it ends).
document.querySelector('#protocol').textContent = navigation?.nextHopProtocol || 'unknown';
document.querySelector('#origin').textContent = location.origin;

// One ticker: each event with the time since the one before, so that bursts show.
const events = document.querySelector('#events');
const start = document.querySelector('#start');
const stop = document.querySelector('#stop');
let ticker = null;
let last = 0;

function show(text) {
  const item = document.createElement('li');
  item.textContent = text; // server data as text, never as HTML
  events.append(item);
  item.scrollIntoView({ block: 'nearest' });
}

start.addEventListener('click', () => {
  events.replaceChildren();
  ticker = new EventSource('/sse?count=20&intervalMs=500');
  last = performance.now();
  ticker.addEventListener('open', () => show('open'));
  ticker.addEventListener('tick', (event) => {
    const now = performance.now();
    const tick = JSON.parse(event.data);
    show(`tick ${tick.id} +${Math.round(now - last)} ms`);
    last = now;
  });
  ticker.addEventListener('done', () => {
    show('done');
    ticker.close(); // done: no reconnect
    start.disabled = false;
    stop.disabled = true;
  });
  start.disabled = true;
  stop.disabled = false;
});

stop.addEventListener('click', () => {
  ticker?.close();
  show('stopped');
  start.disabled = false;
  stop.disabled = true;
});

// Many streams: each shows its readyState; the count says how many are OPEN.
const list = document.querySelector('#streams');
const openCount = document.querySelector('#open-count');
const STATES = ['connecting', 'open', 'closed'];
let sources = [];

function render() {
  const open = sources.filter(({ source }) => source.readyState === EventSource.OPEN).length;
  openCount.textContent = `${open} of ${sources.length}`;
  for (const { source, item, index } of sources) {
    const state = STATES[source.readyState];
    item.dataset.state = state;
    item.textContent = `#${index} ${state}`;
  }
}

document.querySelector('#open-many').addEventListener('click', () => {
  for (let i = 0; i < 20; i++) {
    const source = new EventSource(`/sse?count=10000&intervalMs=1000`);
    const item = document.createElement('li');
    list.append(item);
    sources.push({ source, item, index: sources.length });
    source.addEventListener('open', render);
    source.addEventListener('error', render);
  }
  render();
});

document.querySelector('#close-one').addEventListener('click', () => {
  const entry = sources.find(({ source }) => source.readyState === EventSource.OPEN);
  if (entry) {
    entry.source.close();
    entry.item.remove();
    sources = sources.filter((other) => other !== entry);
  }
  render();
});

document.querySelector('#close-all').addEventListener('click', () => {
  sources.forEach(({ source }) => source.close());
  sources = [];
  list.replaceChildren();
  render();
});
