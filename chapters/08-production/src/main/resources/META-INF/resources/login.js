// Three ways for a logged-in page to read /secure/*: a ticket in the URL and the session cookie (EventSource,
// which cannot send an Authorization header), and a bearer token in a header (fetch). Everything from the
// server is shown with textContent.
import { fetchEventStream } from '/lib/fetch-event-stream.js';

const form = document.querySelector('#login');
const who = document.querySelector('#who');
const status = document.querySelector('#status');
const log = document.querySelector('#log');

let current = null; // the open stream: anything with close()

function show(text) {
  status.textContent = text;
  append('state', text);
}

function append(type, text) {
  const item = document.createElement('li');
  item.dataset.type = type;
  item.textContent = `${type}: ${text}`;
  log.append(item);
}

function stop() {
  current?.close();
  current = null;
}

async function problemDetail(response) {
  try {
    return (await response.json()).detail ?? response.statusText;
  } catch {
    return response.statusText;
  }
}

async function refreshWho() {
  const response = await fetch('/me');
  who.textContent = response.ok ? (await response.json()).user : 'nobody';
  return response.ok;
}

/** A POST that reports a network failure instead of throwing it: null, and the page says so. */
async function post(url) {
  try {
    return await fetch(url, { method: 'POST' });
  } catch (error) {
    stop();
    show(`network error (${error.message}): press Open again`);
    return null;
  }
}

/** After a refusal: say why, once, and stop. Retrying would only be refused again. */
async function refused(detail) {
  stop();
  const loggedIn = await refreshWho();
  show(loggedIn ? `refused: ${detail}` : 'signed out: log in again');
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  // Quarkus's form login. No redirect is configured: 200 and a session cookie, or 401.
  const response = await fetch('/j_security_check', { method: 'POST', body: new URLSearchParams(new FormData(form)) });
  if (!response.ok) {
    append('error', 'wrong user or password');
  }
  await refreshWho();
});

document.querySelector('#logout').addEventListener('click', async () => {
  // Open streams are not closed here: the server ends them at their maximum lifetime, and then the next
  // open is refused. Close first if you want them gone at once.
  await fetch('/logout', { method: 'POST' });
  await refreshWho();
  append('state', 'logged out');
});

document.querySelector('#close').addEventListener('click', () => {
  stop();
  show('closed');
});

// 1. A ticket: valid for one open, 30 s. A spent ticket is never good again, so every reconnect (after the
// stream's maximum lifetime, or a network error) takes a new one, and EventSource must never retry by itself.
async function openWithTicket() {
  stop();
  const response = await post('/stream-tickets');
  if (!response) return;
  if (!response.ok) {
    await refused(await problemDetail(response));
    return;
  }
  const { ticket } = await response.json();
  const source = new EventSource(`/secure/sse?ticket=${encodeURIComponent(ticket)}`);
  current = source;
  show('connecting (ticket)');
  source.addEventListener('open', () => show('open (ticket)'));
  source.addEventListener('tick', (event) => append('tick', event.data));
  source.addEventListener('reauth', (event) => {
    append('reauth', JSON.parse(event.data).detail);
    openWithTicket(); // a new ticket, while the session lasts
  });
  source.addEventListener('error', () => {
    source.close(); // do not let EventSource retry with the spent ticket
    if (current !== source) return;
    show('reconnecting (ticket)');
    setTimeout(() => {
      if (current === source) openWithTicket();
    }, 1000);
  });
}

// 2. The session cookie: the browser sends it with every request, reconnects included.
function openWithCookie() {
  stop();
  const source = new EventSource('/secure/session-sse');
  current = source;
  show('connecting (cookie)');
  source.addEventListener('open', () => show('open (cookie)'));
  source.addEventListener('tick', (event) => append('tick', event.data));
  source.addEventListener('reauth', (event) => append('reauth', JSON.parse(event.data).detail));
  source.addEventListener('error', () => {
    if (current !== source) return;
    if (source.readyState === EventSource.CONNECTING) {
      // A network error or the end of the response: EventSource reconnects by itself, cookie and all.
      show('reconnecting (cookie)');
      return;
    }
    // CLOSED: the reconnect got an answer that is not an event stream (here a 401). EventSource has given up for
    // good and cannot tell us the status; ask the server whether we are still logged in.
    current = null;
    refused('the server refused the stream');
  });
}

// 3. fetch() sends what EventSource cannot: Authorization: Bearer. The token lives in memory only.
async function openWithBearer() {
  stop();
  const tokenResponse = await post('/access-tokens');
  if (!tokenResponse) return;
  if (!tokenResponse.ok) {
    await refused(await problemDetail(tokenResponse));
    return;
  }
  const { access_token: token } = await tokenResponse.json();
  const controller = new AbortController();
  const stream = { close: () => controller.abort() };
  current = stream;
  show('connecting (bearer)');
  try {
    await fetchEventStream('/secure/fetch-sse', {
      body: {},
      headers: { Authorization: `Bearer ${token}` },
      signal: controller.signal,
      onOpen: () => show('open (bearer)'),
      onEvent: ({ type, data }) => append(type, type === 'reauth' ? JSON.parse(data).detail : data),
    });
    if (current === stream) {
      current = null;
      show('ended: fetch again for a new stream');
    }
  } catch (error) {
    if (error.name === 'AbortError') return;
    if (current === stream) await refused(error.message);
  }
}

document.querySelector('#open-ticket').addEventListener('click', openWithTicket);
document.querySelector('#open-cookie').addEventListener('click', openWithCookie);
document.querySelector('#open-bearer').addEventListener('click', openWithBearer);
refreshWho();
