// The page of chapter 07: the server's open streams, and the shared feed over SSE and over a WebSocket.
// Everything from the server is shown with textContent.

const $ = (id) => document.getElementById(id);

async function refreshCounts() {
  try {
    const response = await fetch('/streams');
    const counts = await response.json();
    $('open-sse').textContent = counts.sse;
    $('open-broadcast').textContent = counts.broadcast;
    $('open-ws').textContent = counts.ws;
    $('dropped').textContent = counts.dropped;
  } catch (e) {
    $('open-sse').textContent = `unreachable (${e.message})`;
  }
}
refreshCounts();
setInterval(refreshCounts, 1000);

/** Shows one feed event in a panel: how many so far, its id, how late it arrived. */
function show(panel, json) {
  const event = JSON.parse(json);
  if (event.type === 'gap') return; // only a subscriber that stopped reading gets one
  const count = $(`${panel}-events`);
  count.textContent = Number(count.textContent) + 1;
  $(`${panel}-last-id`).textContent = event.id;
  $(`${panel}-lateness`).textContent = `${Date.now() - Date.parse(event.time)} ms`;
}

function toggle(panel, running) {
  $(`${panel}-start`).disabled = running;
  $(`${panel}-stop`).disabled = !running;
}

let source = null;
$('sse-start').addEventListener('click', () => {
  source = new EventSource('/broadcast');
  source.addEventListener('message', (e) => show('sse', e.data));
  toggle('sse', true);
});
$('sse-stop').addEventListener('click', () => {
  source.close();
  toggle('sse', false);
});

let socket = null;
$('ws-start').addEventListener('click', () => {
  socket = new WebSocket(new URL('/ws', location.href.replace(/^http/, 'ws')));
  socket.addEventListener('message', (e) => show('ws', e.data));
  toggle('ws', true);
});
$('ws-stop').addEventListener('click', () => {
  socket.close();
  toggle('ws', false);
});
