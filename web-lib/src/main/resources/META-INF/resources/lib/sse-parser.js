// The browser's own event-stream parser, for the streams EventSource cannot open (a POST, an Authorization
// header, ...): fetch() the response, decode its bytes, feed the text here, and get exactly the events that
// EventSource would have dispatched for the same bytes.
//
// It follows the HTML Standard to the letter, "9.2.5 Parsing an event stream" and "9.2.6 Interpreting an
// event stream": https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream
//
//   const parser = createParser({ onEvent: ({ type, data, lastEventId }) => ..., onRetry: (ms) => ... });
//   const reader = response.body.getReader();
//   const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
//   for (let r = await reader.read(); !r.done; r = await reader.read()) {
//     parser.feed(decoder.decode(r.value, { stream: true }));   // stream: a character may span two reads
//   }
//
// ignoreBOM: true leaves the byte order mark to the parser, which drops exactly one as the spec says. A plain
// new TextDecoder() drops it too, so both are fine unless a stream starts with two of them.
//
// When the stream ends, the caller simply drops the parser: "If the file ends in the middle of an event,
// before the final empty line, the incomplete event is not dispatched."

// "a U+000D CARRIAGE RETURN U+000A LINE FEED (CRLF) character pair, a single U+000A LINE FEED (LF) character
// not preceded by a U+000D CARRIAGE RETURN (CR) character, and a single U+000D CARRIAGE RETURN (CR) character
// not followed by a U+000A LINE FEED (LF) character being the ways in which a line can end."
const LINE_END = /\r\n|\r|\n/g;

// Where Chromium's EventSource departs from the spec, the parser follows one or the other on purpose:
// - a line end right after the BOM: Chromium (see feed()), so that the events are the same;
// - an empty "retry:" field: the spec, which ignores it. Chromium resets its reconnection time to its own
//   default (3000 ms) there; the parser has no default of its own to reset to, and the events are the same;
// - the last event ID buffer of a new stream: empty, as the spec says ("They must be initialized to the empty
//   string"). Chromium's EventSource starts the parser of a reconnection with the last event ID of the one
//   before, so an event without id: on the new connection still carries the old id. A client that reconnects
//   and wants that passes the id it had: createParser({ lastEventId }).

export function createParser({ onEvent = () => {}, onRetry = () => {}, lastEventId: initialLastEventId = '' } = {}) {
  let line = '';              // a chunk may end anywhere, even inside a line
  let atStreamStart = true;   // a BOM is only dropped as the stream's very first character
  let afterCr = false;        // the last chunk ended in CR: a LF opening the next one ends no second line
  let afterBom = false;       // a BOM was just dropped: see the Chromium note in feed()
  let data = '';              // the data buffer
  let eventType = '';         // the event type buffer
  let lastEventIdBuffer = initialLastEventId; // the last event ID buffer: a dispatch never resets it
  let lastEventId = initialLastEventId;       // the event source's "last event ID string", carried by every event

  function feed(text) {
    if (text === '') return;  // an empty chunk says nothing: the stream has not started, a CR still waits
    if (atStreamStart) {
      atStreamStart = false;
      // "The UTF-8 decode algorithm strips one leading UTF-8 Byte Order Mark (BOM), if any."
      if (text[0] === '\uFEFF') {
        text = text.slice(1);
        afterBom = true;
      }
    }
    if (afterBom && text !== '') {
      afterBom = false;
      // Here we follow Chromium rather than the letter of the spec, so that the parser gives
      // what the browser's EventSource gives: Chromium (event_source_parser.cc, up to at least version 156)
      // does not take a CR or LF right after the BOM as a line end but as a character of the next line, so
      // "\uFEFF\ndata:x\n\n" dispatches nothing there (the line "\ndata:x" is an unknown field).
      if (text[0] === '\r' || text[0] === '\n') {
        line += text[0];
        text = text.slice(1);
      }
    }
    if (afterCr && text[0] === '\n') text = text.slice(1);
    let start = 0;
    for (const end of text.matchAll(LINE_END)) {
      processLine(line + text.slice(start, end.index));
      line = '';
      start = end.index + end[0].length;
    }
    line += text.slice(start);
    // A CR at the end was already taken as a line end, so that the line is not held back waiting for more.
    afterCr = text.endsWith('\r');
  }

  function processLine(line) {
    // "If the line is empty (a blank line): Dispatch the event"
    if (line === '') return dispatch();
    // "If the line starts with a U+003A COLON character (:): Ignore the line." Servers send these as keep-alives.
    if (line[0] === ':') return;
    // "If the line contains a U+003A COLON character (:)": the field is what comes before the first one, the value
    // what comes after it, less one leading space. "Otherwise": the whole line is the field, the value is empty.
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value[0] === ' ') value = value.slice(1);
    processField(field, value);
  }

  function processField(field, value) {
    switch (field) {  // field names are case-sensitive: "Data" is just another unknown field
      case 'event':
        eventType = value;
        break;
      case 'data':
        data += value + '\n';
        break;
      case 'id':
        // "If the field value does not contain U+0000 NULL, then set the last event ID buffer to the field
        // value. Otherwise, ignore the field." An empty value is allowed: it is how a server resets the ID.
        if (!value.includes('\0')) lastEventIdBuffer = value;
        break;
      case 'retry':
        // "If the field value consists of only ASCII digits ... Otherwise, ignore the field." No sign, no
        // decimal point, no spaces: "retry: 1.5" or "retry: -1" leaves the reconnection time as it was. Nor does
        // an empty value (Chromium would reset its delay to 3000 ms; see the note above createParser).
        if (/^[0-9]+$/.test(value)) onRetry(Number(value));
        break;
      // "Otherwise: The field is ignored."
    }
  }

  function dispatch() {
    // Step 1 comes before the empty-data check: an "id:" alone, without data, still moves the last event ID
    // (for EventSource, the one a reconnection resumes from), and every later event carries it.
    lastEventId = lastEventIdBuffer;
    // Step 2: "If the data buffer is an empty string, set the data buffer and the event type buffer to the
    // empty string and return." So "event: x" then a blank line dispatches nothing, not even an empty event.
    if (data === '') {
      eventType = '';
      return;
    }
    // Steps 3 to 6: one trailing LF goes (every data line added one), and a type was never set means "message".
    const event = { type: eventType || 'message', data: data.slice(0, -1), lastEventId };
    // Step 7, before the callback, so that a callback that throws does not leak this event into the next.
    data = '';
    eventType = '';
    onEvent(event);
  }

  return { feed };
}
