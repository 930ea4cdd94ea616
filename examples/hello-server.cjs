'use strict';
// The smallest service to point tracetax at: GET / answers "hello".   PORT=3000 node examples/hello-server.cjs
const http = require('node:http');

const port = Number(process.env.PORT || 3000);
const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/') return res.end('hello');
  res.statusCode = 404;
  res.end('not found');
});
server.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`));

function shutdown() {
  server.close();
  server.closeIdleConnections();
  setTimeout(() => process.exit(1), 5000).unref(); // safety net; a clean close ends the process sooner by itself
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
