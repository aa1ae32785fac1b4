// A durable chat answer. The answer lives in Redis, not in this page's connection, so the page keeps only where it
// is: the answer id, the id of the last event it showed, and the text so far, saved in sessionStorage together
// after each event. A reload shows the saved text and follows the answer from the saved id (?after=, since a new
// EventSource cannot set Last-Event-ID); a cut connection is resumed by EventSource itself, with Last-Event-ID.
const STORAGE_KEY = 'chapter09.chat.answer';

const form = document.querySelector('#ask');
const promptInput = document.querySelector('#prompt');
const sendButton = document.querySelector('#send');
const stopButton = document.querySelector('#stop');
const stateOutput = document.querySelector('#state');
const ownerOutput = document.querySelector('#owner');
const servedOutput = document.querySelector('#served');
const answerIdOutput = document.querySelector('#answer-id');
const answer = document.querySelector('#answer');
const connections = document.querySelector('#connections');

let current = load(); // {answerId, lastId, text, state, owner}
let source = null;

function load() {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY));
  } catch {
    return null;
  }
}

// One setItem for the text and the id together: after a reload they always match, so that no chunk is shown
// twice (text saved, id not) or lost (id saved, text not).
function save() {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(current));
}

function render() {
  answer.textContent = current.text;
  answer.dataset.state = current.state;
  stateOutput.textContent = current.state;
  ownerOutput.textContent = current.owner || '–';
  answerIdOutput.textContent = current.answerId;
  const streaming = current.state === 'streaming';
  stopButton.disabled = !streaming;
  sendButton.disabled = streaming;
}

function follow() {
  const path = `/chat/${encodeURIComponent(current.answerId)}/stream`;
  source = new EventSource(current.lastId ? `${path}?after=${encodeURIComponent(current.lastId)}` : path);
  source.addEventListener('connected', (event) => {
    const { instance } = JSON.parse(event.data);
    servedOutput.textContent = instance;
    const item = document.createElement('li');
    item.textContent = `followed on ${instance} after ${event.lastEventId}`;
    connections.append(item);
  });
  source.addEventListener('started', (event) => {
    current.owner = JSON.parse(event.data).instance;
    current.lastId = event.lastEventId;
    save();
    render();
  });
  source.addEventListener('chunk', (event) => {
    current.text += JSON.parse(event.data).text;
    current.lastId = event.lastEventId;
    save();
    render();
  });
  for (const last of ['done', 'stopped']) {
    source.addEventListener(last, (event) => {
      source.close(); // the answer is over: no reconnect
      current.lastId = event.lastEventId;
      current.state = last;
      save();
      render();
    });
  }
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED && current.state === 'streaming') {
      // A 404 (the answer expired), or this page being unloaded: a reload closes the connection with this same
      // error. So it is shown, never saved: the reloaded page must still follow the answer.
      stateOutput.textContent = 'unavailable';
      stopButton.disabled = true;
      sendButton.disabled = false;
    } else if (source.readyState === EventSource.CONNECTING) {
      stateOutput.textContent = 'reconnecting';
    }
  });
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  source?.close();
  stateOutput.textContent = 'asking…';
  try {
    const response = await fetch('/chat', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ prompt: promptInput.value }),
    });
    const body = await response.json();
    if (!response.ok) {
      stateOutput.textContent = `${response.status}: ${body.detail}`;
      return;
    }
    current = { answerId: body.answerId, lastId: '', text: '', state: 'streaming', owner: body.instance };
    connections.replaceChildren();
    save();
    render();
    follow();
  } catch (error) {
    stateOutput.textContent = `not sent: ${error.message}`;
  }
});

// Stop is a request of its own, to whichever instance the balancer picks: the instance writing the answer hears
// it over Redis. The `stopped` event then arrives on the stream like any other.
stopButton.addEventListener('click', async () => {
  stopButton.disabled = true;
  try {
    const response = await fetch(`/chat/${encodeURIComponent(current.answerId)}/stop`, { method: 'POST' });
    if (!response.ok) {
      stateOutput.textContent = `${response.status}: ${(await response.json()).detail}`;
    }
  } catch (error) {
    stateOutput.textContent = `not stopped: ${error.message}`;
    stopButton.disabled = false;
  }
});

if (current) {
  render();
  if (current.state === 'streaming') {
    follow();
  }
}
