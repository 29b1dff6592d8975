// `npm test`: every test. Unit and integration tests (vitest; on PGlite, and also on the Postgres server when
// DATABASE_URL is set), then end-to-end tests (Playwright) against the production build in Debian's chromium.
import { existsSync } from 'node:fs';
import { bin, build, ensureDependencies, run } from './prepare.mjs';

ensureDependencies();
if (!existsSync('/usr/bin/chromium')) {
  if (process.getuid?.() === 0) {
    console.error('Installing Debian chromium for the end-to-end tests…');
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } else {
    console.error(
      'The end-to-end tests need Debian chromium at /usr/bin/chromium: sudo apt-get install -y chromium',
    );
    process.exit(1);
  }
}
build();
run(bin('vitest'), ['run']);
run(bin('playwright'), ['test']);
