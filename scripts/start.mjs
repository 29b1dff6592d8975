// `npm start`: install if needed, build, then run Refinery in one process on the embedded database.
import { spawn } from 'node:child_process';
import { build, ensureDependencies, root } from './prepare.mjs';

ensureDependencies();
build();
// Not the tsx CLI: it SIGKILLs a child that does not acknowledge a signal within ~60 ms (PGlite keeps the event
// loop busy), which would skip the graceful shutdown.
const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production' },
});
// The server handles SIGINT/SIGTERM itself (graceful shutdown); pass them on and wait.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
