import path from 'node:path';
import { startServer } from '../app-server';
import { parseConfig } from '../config';
import { createLogger } from '../logger';

/**
 * One server process for the scale-out tests (redis-extension.test.ts). Unlike server/main.ts it never calls
 * process.exit: on SIGTERM it stops and returns, so the process ends only when nothing is left open (a Redis
 * connection, a database pool, a timer, a socket). A process that hangs is the test's failure.
 */
const parsed = parseConfig(process.env);
if (!parsed.ok) throw new Error(parsed.message);
const server = await startServer(parsed.config, createLogger(parsed.config.LOG_LEVEL), {
  root: path.resolve(import.meta.dirname, '../..'),
});
process.stderr.write(`ready ${server.url}\n`);
process.once('SIGTERM', () => {
  server.stop().then(
    () => {
      process.stderr.write('stopped\n');
      // Unref'd: it fires only while something else still keeps the process alive, and names it for the test.
      setTimeout(() => {
        process.stderr.write(`still open: ${JSON.stringify(process.getActiveResourcesInfo())}\n`);
      }, 2000).unref();
    },
    (error) => {
      process.stderr.write(`stop failed: ${error}\n`);
      process.exitCode = 1;
    },
  );
});
