/**
 * The stand-in as a process, for Playwright:
 *
 *   tsx scripts/jira-standin/main.ts --port 4320 [--flavour cloud|dc] [--host 127.0.0.1]
 *     [--email x --api-token y --pat z]
 *
 * prints one JSON line `{"url":...,"flavour":...,"accountId":...,"credentials":{"email","apiToken","pat"}}` and
 * serves until SIGINT/SIGTERM. Drive it with `createStandinAdminClient(url)`.
 */
import { parseArgs } from 'node:util';
import { startJiraStandin } from './index';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4320' },
    host: { type: 'string', default: '127.0.0.1' },
    flavour: { type: 'string', default: 'cloud' },
    email: { type: 'string' },
    'api-token': { type: 'string' },
    pat: { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, not ${values.port}`);
  process.exit(2);
}
if (values.flavour !== 'cloud' && values.flavour !== 'dc') {
  console.error(`--flavour must be cloud or dc, not ${values.flavour}`);
  process.exit(2);
}

const standin = await startJiraStandin({
  port,
  host: values.host,
  flavour: values.flavour,
  credentials: { email: values.email, apiToken: values['api-token'], pat: values.pat },
});
console.log(
  JSON.stringify({
    url: standin.url,
    flavour: standin.flavour,
    accountId: standin.accountId,
    credentials: standin.credentials,
  }),
);

const stop = () => {
  standin.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
