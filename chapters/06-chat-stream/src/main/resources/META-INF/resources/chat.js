// The chat page: the history goes with each request, the answer grows as its chunks arrive, Stop aborts.
// The bytes become events in web-lib's fetch-event-stream.js: one TextDecoder with {stream: true}, then the
// spec's SSE parser (sse-parser.js). This file only reads the OpenAI chunks out of those events.
import { fetchEventStream } from '/lib/fetch-event-stream.js';
import { renderMarkdown } from './markdown.js';

const messages = document.querySelector('#messages');
const form = document.querySelector('#ask');
const question = document.querySelector('#question');
const sendButton = document.querySelector('#send');
const stopButton = document.querySelector('#stop');
const serverActive = document.querySelector('#server-active');

const history = []; // {role, content}: what the model has said and been told, sent with every question
let controller = null;

function addMessage(role) {
  const item = document.createElement('li');
  item.dataset.role = role;
  messages.append(item);
  return item;
}

async function ask(text) {
  history.push({ role: 'user', content: text });
  addMessage('user').textContent = text;

  const item = addMessage('assistant');
  item.dataset.state = 'streaming';
  const answer = document.createElement('div');
  answer.className = 'answer';
  const meta = document.createElement('p');
  meta.className = 'meta';
  item.append(answer, meta);

  controller = new AbortController();
  setBusy(true);
  const sentAt = performance.now();
  let firstTokenAt = null;
  let lastTokenAt = null;
  let tokens = 0;
  let content = '';
  let finishReason = null;
  let sawDone = false;
  let state = 'done';
  let note = '';
  try {
    await fetchEventStream('/v1/chat/completions', {
      body: { model: 'tutorial-guides', stream: true, stream_options: { include_usage: true }, messages: history },
      signal: controller.signal,
      onEvent: ({ type, data }) => {
        // After the 200, an error can only arrive as an event: the server's last word.
        if (type === 'error') throw new Error(JSON.parse(data).error?.message ?? data);
        if (data === '[DONE]') {
          sawDone = true;
          return;
        }
        // One event is one whole chunk: JSON.parse is safe here, never on a raw read() of the body.
        const choice = JSON.parse(data).choices[0];
        if (!choice) return; // the usage chunk
        if (choice.delta?.content) {
          lastTokenAt = performance.now();
          firstTokenAt ??= lastTokenAt;
          tokens++;
          content += choice.delta.content;
          answer.replaceChildren(renderMarkdown(content));
        }
        finishReason = choice.finish_reason ?? finishReason;
      },
    });
    // A stream that just ends, without [DONE], did not finish: say so rather than pass it off as complete.
    if (!sawDone) {
      state = 'cut short';
      note = 'the stream ended before [DONE]';
    } else if (finishReason === 'length') {
      note = 'cut at max_tokens';
    }
  } catch (error) {
    if (error.name === 'AbortError') {
      state = 'stopped';
      note = 'stopped';
    } else {
      state = 'failed';
      // A StreamError carries the server's {"error": {...}} body when the answer never started.
      note = `error: ${error.problem?.error?.message ?? error.message}`;
    }
  } finally {
    controller = null;
    item.dataset.state = state;
    if (content) history.push({ role: 'assistant', content });
    meta.textContent = [note, metrics(sentAt, firstTokenAt, lastTokenAt, tokens)].filter(Boolean).join(' · ');
    setBusy(false);
    refreshServerCount();
  }
}

function metrics(sentAt, firstTokenAt, lastTokenAt, tokens) {
  if (firstTokenAt === null) return 'no tokens';
  const seconds = (lastTokenAt - firstTokenAt) / 1000;
  const rate = tokens > 1 && seconds > 0 ? `${((tokens - 1) / seconds).toFixed(1)} tokens/s` : '';
  return [`first token after ${Math.round(firstTokenAt - sentAt)} ms`, rate, `${tokens} tokens`]
    .filter(Boolean).join(' · ');
}

function setBusy(busy) {
  sendButton.disabled = busy;
  stopButton.disabled = !busy;
}

async function refreshServerCount() {
  try {
    const counts = await (await fetch('/streams')).json();
    serverActive.textContent = String(counts.active);
  } catch {
    serverActive.textContent = '?';
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = question.value.trim();
  if (!text || controller) return;
  question.value = '';
  ask(text);
});
question.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});
stopButton.addEventListener('click', () => controller?.abort());

refreshServerCount();
setInterval(refreshServerCount, 1000);
