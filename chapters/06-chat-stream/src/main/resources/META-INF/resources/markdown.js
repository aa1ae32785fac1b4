// A small, safe subset of Markdown for model output: paragraphs, headings, lists, fenced code blocks, `code`
// and **bold**. Built with DOM APIs only: every piece of text goes in through a text node, so an answer that
// contains <img src=x onerror=...> or <script> shows those characters and runs nothing. Never innerHTML.
//
// It is called again with the whole text for every token: an answer is a few kilobytes, and a code block
// that is still open (its closing ``` has not arrived) already renders as code.

export function renderMarkdown(markdown) {
  const fragment = document.createDocumentFragment();
  const lines = markdown.split('\n');
  let paragraph = [];
  let list = null;

  const endParagraph = () => {
    if (paragraph.length) fragment.append(element('p', inline(paragraph.join(' '))));
    paragraph = [];
  };
  const endBlock = () => {
    endParagraph();
    list = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = line.match(/^\s*```\s*([\w+-]*)/);
    if (fence) {
      endBlock();
      const code = [];
      for (i++; i < lines.length && !/^\s*```/.test(lines[i]); i++) code.push(lines[i]);
      const codeElement = document.createElement('code');
      if (fence[1]) codeElement.dataset.language = fence[1];
      codeElement.textContent = code.join('\n');
      fragment.append(element('pre', [codeElement]));
      continue;
    }
    const heading = line.match(/^(#{1,6})\s+(.*)$/);
    const item = line.match(/^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/);
    if (line.trim() === '') {
      endBlock();
    } else if (heading) {
      endBlock();
      fragment.append(element(`h${Math.min(heading[1].length + 2, 6)}`, inline(heading[2])));
    } else if (item) {
      endParagraph();
      const kind = item[1] ? 'ul' : 'ol';
      if (!list || list.localName !== kind) {
        list = document.createElement(kind);
        fragment.append(list);
      }
      list.append(element('li', inline(item[3])));
    } else if (list && /^\s+\S/.test(line)) {
      list.lastElementChild.append(' ', ...inline(line.trim())); // a list item's continuation line
    } else {
      list = null;
      paragraph.push(line.trim());
    }
  }
  endBlock();
  return fragment;
}

/** `code` and **bold** within a line; the rest is text. */
function inline(text) {
  const nodes = [];
  const pattern = /`([^`]+)`|\*\*(.+?)\*\*/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) nodes.push(document.createTextNode(text.slice(last, match.index)));
    nodes.push(match[1] !== undefined ? element('code', [document.createTextNode(match[1])])
      : element('strong', [document.createTextNode(match[2])]));
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

function element(name, children) {
  const node = document.createElement(name);
  node.append(...children);
  return node;
}
