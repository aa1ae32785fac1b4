// Multi-line data: each token of the answer is the data of one event, and some tokens hold line breaks.
// EventSource joins the data: lines of an event with "\n", so event.data is the token exactly as the server had it.

const button = document.querySelector('#stream-answer');
const status = document.querySelector('#answer-status');
const answer = document.querySelector('#answer');

button.addEventListener('click', () => {
  answer.textContent = '';
  status.textContent = 'streaming';
  button.disabled = true;
  const intervalMs = new URLSearchParams(location.search).get('answerIntervalMs') ?? '200';
  const source = new EventSource(`/sse/answer?intervalMs=${encodeURIComponent(intervalMs)}`);

  source.addEventListener('token', (event) => {
    // textContent, never innerHTML: the answer is text, "<" and "&" included, and its line breaks show in <pre>.
    answer.textContent += event.data;
  });

  source.addEventListener('done', () => {
    source.close();
    status.textContent = 'done';
    button.disabled = false;
  });

  source.addEventListener('error', () => {
    source.close();
    status.textContent = 'failed';
    button.disabled = false;
  });
});
