'use strict';
// The api: an Express 5 app over an SQLite database (better-sqlite3) that asks the pricing service
// (pricing.cjs, started here as a child process) for each item's price and stock.
//   PORT=3000 node examples/own-service/api.cjs
// No tracing code here: instrument it from outside (node --require ... / NODE_OPTIONS, OTEL_* variables).
const http = require('node:http');
const path = require('node:path');
const { fork } = require('node:child_process');
const express = require('express');
const Database = require('better-sqlite3');

const port = Number(process.env.PORT || 3000);
// 0: pricing takes a free port and says which (a fixed PORT + 1 could be another instance's PORT).
let pricingPort = Number(process.env.PRICING_PORT || 0);
const ITEMS = 1000;

// --- database: in memory, seeded at start -----------------------------------------------------
const db = new Database(':memory:');
db.exec(`
  CREATE TABLE items (
    id         INTEGER PRIMARY KEY,
    sku        TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    category   TEXT NOT NULL,
    weight_g   INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX items_category ON items (category);
`);
const CATEGORIES = ['books', 'garden', 'kitchen', 'music', 'outdoor', 'toys', 'tools', 'office'];
const ADJECTIVES = ['small', 'large', 'red', 'blue', 'classic', 'compact', 'deluxe', 'eco'];
const NOUNS = ['lamp', 'kettle', 'hammer', 'notebook', 'chair', 'speaker', 'tent', 'puzzle', 'bowl'];
const insert = db.prepare(
  'INSERT INTO items (id, sku, name, category, weight_g, created_at) VALUES (?, ?, ?, ?, ?, ?)',
);
db.transaction(() => {
  for (let id = 1; id <= ITEMS; id++) {
    const name = `${ADJECTIVES[id % ADJECTIVES.length]} ${NOUNS[(id * 7) % NOUNS.length]}`;
    const created = new Date(Date.UTC(2024, 0, 1) + id * 3_600_000).toISOString();
    insert.run(id, `SKU-${String(id).padStart(5, '0')}`, name, CATEGORIES[id % CATEGORIES.length], 50 + ((id * 37) % 4950), created);
  }
})();
const getItem = db.prepare('SELECT id, sku, name, category, weight_g AS weightGrams, created_at AS createdAt FROM items WHERE id = ?');

// --- the pricing service: one outgoing call per request, over kept-alive connections ------------
const pricingAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function fetchPrice(id) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: pricingPort, path: `/price/${id}`, method: 'GET', agent: pricingAgent, timeout: 2000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`pricing answered ${res.statusCode}`));
          try {
            resolve(JSON.parse(body));
          } catch (err) {
            reject(err);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('pricing timed out')));
    req.on('error', reject);
    req.end();
  });
}

// --- the app -------------------------------------------------------------------------------------
const app = express();
app.disable('x-powered-by');
app.set('etag', false);

app.get('/health', (req, res) => {
  res.type('text/plain').send('ok');
});

async function sendItem(id, res) {
  const item = getItem.get(id);
  if (!item) {
    res.status(404).json({ error: 'no such item' });
    return;
  }
  const price = await fetchPrice(id);
  res.json({ ...item, priceCents: price.priceCents, currency: price.currency, stock: price.stock });
}

app.get('/items/:id', async (req, res) => {
  const id = Number(req.params.id);
  if (!Number.isInteger(id) || id < 1) {
    res.status(400).json({ error: 'id must be a positive integer' });
    return;
  }
  await sendItem(id, res);
});

// Without an id: the next item in turn, so a load on /items walks the whole table.
let next = 0;
app.get('/items', async (req, res) => {
  next = (next % ITEMS) + 1;
  await sendItem(next, res);
});

// Express 5 passes rejected promises of async handlers here.
app.use((err, req, res, next) => {
  console.error(`api: ${req.method} ${req.url}: ${err.message}`);
  if (res.headersSent) return next(err);
  res.status(500).json({ error: 'internal error' });
});

// --- start: pricing first, then listen -----------------------------------------------------------
let shuttingDown = false;
let server;

// fork runs process.execPath with process.execArgv (so `node --require X api.cjs` applies X to the child
// too) and the environment (so NODE_OPTIONS does as well); the IPC channel tells the child when we end.
const pricing = fork(path.join(__dirname, 'pricing.cjs'), [String(pricingPort)], {
  env: { ...process.env, PRICING_PORT: String(pricingPort) },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
pricing.on('message', (message) => {
  if (message && typeof message.port === 'number') pricingPort = message.port;
});
pricing.on('exit', (code, signal) => {
  if (!shuttingDown) {
    console.error(`api: the pricing service ended (${signal || code}), shutting down`);
    process.exitCode = 1;
    shutdown('pricing gone');
  }
});

function ping() {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: pricingPort, path: '/price/1', timeout: 500 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

async function waitForPricing(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!shuttingDown) {
    if (pricingPort !== 0 && (await ping())) return;
    if (Date.now() > deadline) throw new Error(`the pricing service did not answer on port ${pricingPort} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

waitForPricing(15_000).then(
  () => {
    if (shuttingDown) return;
    server = app.listen(port, '127.0.0.1', (err) => {
      if (err) {
        console.error(`api: cannot listen on port ${port}: ${err.message}`);
        process.exitCode = 1;
        shutdown('listen failed');
        return;
      }
      if (shuttingDown) return void server.close(); // a signal came while it was starting
      console.log(`listening on http://127.0.0.1:${port}`);
    });
    // Once shutting down, answer with `Connection: close`, so busy keep-alive clients go away too.
    server.prependListener('request', (req, res) => {
      if (shuttingDown) res.setHeader('connection', 'close');
    });
  },
  (err) => {
    console.error(`api: ${err.message}`);
    process.exitCode = 1;
    shutdown('start failed');
  },
);

// --- graceful shutdown ----------------------------------------------------------------------------
// Close what keeps the event loop alive and let the process end by itself: a tracing SDK loaded with
// --require may still be flushing spans on its own SIGTERM handler.
function shutdown(reason) {
  if (shuttingDown) return;
  shuttingDown = true;
  console.error(`api: ${reason}, closing`);
  // Safety net only: unref'd, so it never delays a clean end.
  setTimeout(() => {
    console.error('api: still open after 5 s, exiting');
    process.exit(1);
  }, 5000).unref();

  const serverClosed = new Promise((resolve) => {
    if (!server || !server.listening) return resolve();
    server.close(() => resolve());
    server.closeIdleConnections();
    // Requests in flight get a moment to finish, then their connections go too.
    setTimeout(() => server.closeAllConnections(), 1000).unref();
  });
  const pricingClosed = new Promise((resolve) => {
    if (pricing.exitCode !== null || pricing.signalCode !== null) return resolve();
    pricing.once('exit', () => resolve());
    // After our own requests to it are done.
    serverClosed.then(() => pricing.kill('SIGTERM'));
  });
  Promise.all([serverClosed, pricingClosed]).then(() => {
    pricingAgent.destroy();
    db.close();
  });
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
