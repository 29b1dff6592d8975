// `npm start`: install and build if needed (each is skipped when up to date), then run Refinery in one process on
// the embedded database: the server bundle, with plain node.
import { spawn } from 'node:child_process';
import { build, ensureDependencies, root, serverBundle } from './prepare.mjs';

ensureDependencies();
build();
const child = spawn(process.execPath, [serverBundle], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production' },
});
// The server handles SIGINT/SIGTERM itself (graceful shutdown); pass them on and wait.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
