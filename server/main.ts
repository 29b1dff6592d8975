import path from 'node:path';
import { type RunningServer, startServer } from './app-server';
import { parseConfig } from './config';
import { createLogger } from './logger';

// The project root (build/, db/migrations): this source file is server/main.ts, its bundle build/server/main.js.
const root = path.resolve(import.meta.dirname, import.meta.filename.endsWith('.ts') ? '..' : '../..');
const dev = process.argv.includes('--dev');

const parsed = parseConfig({
  ...process.env,
  NODE_ENV: process.env.NODE_ENV ?? (dev ? 'development' : 'production'),
});
if (!parsed.ok) {
  console.error(parsed.message);
  process.exit(1);
}
const config = parsed.config;
const log = createLogger(config.LOG_LEVEL);

process.on('unhandledRejection', (reason) => log.error({ event: 'unhandled_rejection', err: reason }));

// Handlers are installed before starting, so a signal during a slow first start (creating the database, migrating,
// seeding) lets that finish and then stops cleanly, instead of killing the process halfway through a write.
let server: RunningServer | undefined;
let stopSignal: string | undefined;
const stop = (running: RunningServer) => {
  running
    .stop()
    .then(() => {
      log.info({ event: 'stopped' });
      process.exit(0);
    })
    .catch((error) => {
      log.error({ event: 'stop_failed', err: error });
      process.exit(1);
    });
};
const onSignal = (signal: string) => {
  // One Ctrl+C can arrive twice (from the terminal and relayed by `npm start`): later signals are ignored.
  if (stopSignal) return;
  stopSignal = signal;
  log.info({ event: 'stopping', signal });
  const force = setTimeout(() => {
    log.error({ event: 'stop_timeout' }, 'shutdown took longer than 9 s; exiting');
    process.exit(1);
  }, 9000);
  force.unref();
  if (server) stop(server);
};
process.on('SIGTERM', () => onSignal('SIGTERM'));
process.on('SIGINT', () => onSignal('SIGINT'));

try {
  server = await startServer(config, log, { root, dev });
} catch (error) {
  log.fatal({ event: 'start_failed', err: error });
  console.error(`Refinery could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
log.info({ event: 'started', url: server.url, database: server.database.kind, dev });
if (stopSignal) {
  stop(server);
} else {
  const lines = [
    '',
    `  Refinery is running at ${server.url}`,
    `  Database: ${server.database.kind === 'pglite' ? `embedded (PGlite) in ${path.resolve(config.DATA_DIR)}` : 'Postgres server (DATABASE_URL)'}`,
  ];
  if (server.demoLogins) {
    lines.push('  Demo logins:');
    for (const login of server.demoLogins) lines.push(`    ${login.role.padEnd(14)} ${login.email}`);
    lines.push(`  Demo password: ${server.demoLogins[0]?.password}`);
  }
  lines.push('  Stop with Ctrl+C.', '');
  process.stderr.write(`${lines.join('\n')}\n`);
}
