'use strict';
// The pricing service: a tiny node:http server that the api asks for each item's price and stock.
// Started by api.cjs (child_process.fork); runs alone too: `node pricing.cjs 3001`.
const http = require('node:http');

const port = Number(process.argv[2] || process.env.PRICING_PORT || 3001);

// A price and stock level made up from the id, the same every time.
function quote(id) {
  const h = Math.imul(id ^ 0x9e3779b9, 2654435761) >>> 0;
  return {
    id,
    priceCents: 199 + (h % 49800),
    currency: 'EUR',
    stock: (h >>> 8) % 250,
  };
}

const server = http.createServer((req, res) => {
  const m = req.method === 'GET' && /^\/price\/(\d+)$/.exec(req.url);
  if (!m) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not found"}');
    return;
  }
  const body = JSON.stringify(quote(Number(m[1])));
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
// Longer than the api's idle keep-alive sockets live, so the server never closes one the api is about to reuse.
server.keepAliveTimeout = 65_000;

server.listen(port, '127.0.0.1', () => {
  const { port: bound } = server.address();
  console.error(`pricing: listening on http://127.0.0.1:${bound}`);
  // The api asked for a free port (0): tell it which one.
  if (process.send) process.send({ port: bound });
});

let closing = false;
function shutdown(signal) {
  if (closing) return;
  closing = true;
  console.error(`pricing: ${signal}, closing`);
  server.close();
  server.closeIdleConnections();
  // Requests in flight get a moment to finish, then their connections go too.
  setTimeout(() => server.closeAllConnections(), 1000).unref();
  // Safety net: never hang around; unref'd so a clean close ends the process sooner by itself.
  setTimeout(() => {
    console.error('pricing: still open after 5 s, exiting');
    process.exit(1);
  }, 5000).unref();
  // Let go of the IPC channel, which would otherwise keep this process alive.
  if (process.connected) process.disconnect();
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
// Started by the api: end with it, even if it dies without telling us (its end closes the IPC channel).
if (process.send) process.on('disconnect', () => shutdown('parent gone'));
