// The ingest ceiling: a bare Express route doing one insert per request (no signature, no
// parsing, no group commit), on the same database server. Started in a process of its own by
// the ingest benchmark; prints "listening <port>" when ready.
import express from 'express';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query('create table if not exists bare_inbox (id bigserial primary key, body text not null)');
const app = express();
app.post('/{*path}', express.text({ type: '*/*', limit: '1mb' }), async (req, res) => {
  await pool.query('insert into bare_inbox (body) values ($1)', [req.body as string]);
  res.json({ ok: true });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : 0}`);
});
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
