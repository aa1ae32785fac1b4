// The reference for chapter 07's benchmark: the article's server shape in plain node:http, no dependencies.
//   GET /sse?intervalMs=1000&count=10  one setInterval per stream, as in the article
//   GET /broadcast                     one shared setInterval (every 100 ms, or FEED_INTERVAL_MS) writing to every
//                                      open response
//   GET /memory                        {"rss":..,"live":..} bytes, after a full GC (run with --expose-gc)
// Unlike the article, each event is one write (the article makes four), and a stream's interval is cleared when
// its client leaves (the article's interval keeps writing into the closed response) -- so that the comparison
// measures the shape, not those bugs. Usage: node --expose-gc node-server.mjs [port]
import http from 'node:http';

const port = Number(process.argv[2] ?? 9087);
const FEED_INTERVAL_MS = Number(process.env.FEED_INTERVAL_MS ?? 100); // as the chapter's feed.interval-ms
const subscribers = new Set();
let feedId = 0;

function sseHead(res) {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-store',
    'Connection': 'keep-alive',
  });
}

function badRequest(res, detail) {
  res.writeHead(400, { 'Content-Type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, detail }));
}

function intParam(url, name, fallback, min, max) {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  return /^[0-9]+$/.test(raw) && value >= min && value <= max ? value : NaN;
}

function perConnection(url, res) {
  const intervalMs = intParam(url, 'intervalMs', 1000, 10, 60000);
  const count = intParam(url, 'count', 10, 1, 10000000);
  if (Number.isNaN(intervalMs) || Number.isNaN(count)) return badRequest(res, 'intervalMs or count out of range');
  sseHead(res);
  let id = 0;
  const timer = setInterval(() => {
    res.write(`id: ${id}\ndata: ${JSON.stringify({ id, time: new Date().toISOString() })}\n\n`);
    if (++id >= count) {
      clearInterval(timer);
      res.end();
    }
  }, intervalMs);
  res.on('close', () => clearInterval(timer));
}

function broadcast(res) {
  sseHead(res);
  res.write(': subscribed\n\n');
  subscribers.add(res);
  res.on('close', () => subscribers.delete(res));
}

setInterval(() => {
  if (subscribers.size === 0) return;
  const id = feedId++;
  const frame = `id: ${id}\ndata: ${JSON.stringify({ id, time: new Date().toISOString() })}\n\n`;
  for (const res of subscribers) res.write(frame); // serialized once; no check of write()'s return value
}, FEED_INTERVAL_MS);

http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/sse') return perConnection(url, res);
  if (req.method === 'GET' && url.pathname === '/broadcast') return broadcast(res);
  if (req.method === 'GET' && url.pathname === '/memory') {
    if (global.gc) global.gc();
    const m = process.memoryUsage();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({ rss: m.rss, live: m.heapUsed + m.external }));
  }
  res.writeHead(404);
  res.end();
}).listen(port, '127.0.0.1', 4096, () => console.log(`node reference server on ${port}`)); // backlog as Quarkus's
