import { getFormProps, useForm } from '@conform-to/react';
import { Form, useNavigation } from '@remix-run/react';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { ErrorList, Field, FormAlert } from '~/components/forms';
import type { ConnectionCheck, TrackerKind } from '~/domain/tracker';
import type { ConnectFields, JiraReply } from '~/routes/products.$productId.jira/jira-page.server';
import { type JiraPageView, trackerKindLabels } from './types';

/**
 * The connection: the credentials form while the product is not connected; once it is, who it signs in as, with
 * "Change credentials" (the same form, folded) and "Disconnect" (folded, with what it forgets: the confirmation
 * step). The token is never shown again: the form always starts empty there, and no answer sends it back.
 */
export function ConnectionSection({ page, reply }: { page: JiraPageView; reply: JiraReply | undefined }) {
  const { status, mayManage } = page;
  const mine = reply?.intent === 'test' || reply?.intent === 'connect' ? reply : undefined;
  // A done connect resets its form (Conform's reply then has no status): its message says it is done.
  const connectedNow = mine?.intent === 'connect' && mine.message !== undefined;
  const disconnected = reply?.intent === 'disconnect' ? reply : undefined;
  const disconnectProblem = disconnected?.result.error?.['']?.[0];

  if (!status.connected)
    return (
      <section className="card first-run" aria-labelledby="jira-connection-title">
        <h3 id="jira-connection-title">Connection</h3>
        {disconnected?.message ? <DoneMessage>{disconnected.message}</DoneMessage> : null}
        <p>Not connected yet: connect a Jira site to import issues.</p>
        {!mayManage ? (
          <p className="muted">The product owner connects this product to Jira here.</p>
        ) : status.keysConfigured ? (
          <ConnectForm reply={mine} pollSeconds={page.pollSeconds} />
        ) : (
          <p className="hint">Connecting needs the server’s TRACKER_SECRET_KEYS first (see above).</p>
        )}
      </section>
    );

  return (
    <section className="card" aria-labelledby="jira-connection-title">
      <h3 id="jira-connection-title">Connection</h3>
      <p>
        Connected to{' '}
        <a href={status.baseUrl} rel="noreferrer noopener" target="_blank">
          {status.baseUrl}
        </a>{' '}
        as <strong>{status.accountName ?? 'an account Jira did not name'}</strong>{' '}
        <span className="muted">({trackerKindLabels[status.kind]})</span>
      </p>
      {connectedNow && mine?.message ? <DoneMessage>{mine.message}</DoneMessage> : null}
      <FormAlert message={disconnectProblem} />
      {mayManage ? (
        <div className="stack">
          {/* Open while its answer has something to show (a check, a refusal); closed again once connected. */}
          <details className="new-item" open={Boolean(mine && !connectedNow)}>
            <summary>Change credentials</summary>
            <p className="hint">
              The saved token is not shown. Enter the site and a token again; they are checked before they
              replace the saved ones. The links and the field map stay.
            </p>
            <ConnectForm
              reply={mine}
              pollSeconds={page.pollSeconds}
              current={{ kind: status.kind, baseUrl: status.baseUrl, email: status.accountEmail }}
            />
          </details>
          <details className="new-item">
            <summary>Disconnect</summary>
            <Form method="post" aria-labelledby="jira-disconnect-title">
              <p id="jira-disconnect-title">
                <strong>Disconnect this product from {status.baseUrl}?</strong>
              </p>
              <p>
                Refinery forgets the token, which items are linked to which Jira issues, the changes still
                waiting to be sent to Jira and the sync’s history. The items stay in the backlog with their
                Jira keys, and nothing changes in Jira. Importing the same issues after connecting again adds
                them as new items.
              </p>
              <input type="hidden" name="intent" value="disconnect" />
              <button type="submit" className="button button-danger">
                Disconnect from Jira
              </button>
            </Form>
          </details>
        </div>
      ) : null}
    </section>
  );
}

/**
 * What a done connect or disconnect says. The form the keyboard was in is gone with it (the page changes between
 * connected and not connected), so the focus moves to the message: it is read out, and the focus is not dropped
 * to the top of the page.
 */
function DoneMessage({ children }: { children: ReactNode }) {
  const message = useRef<HTMLParagraphElement>(null);
  useEffect(() => message.current?.focus(), []);
  return (
    <p ref={message} className="alert alert-success" role="status" tabIndex={-1}>
      {children}
    </p>
  );
}

function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/**
 * Jira Cloud or Data Center, the site, the account email (Cloud) and the token, with "Test connection" (tries
 * them, saves nothing) and "Connect". Without scripts both kinds' fields show, each saying when it applies.
 */
function ConnectForm({
  reply,
  pollSeconds,
  current,
}: {
  reply: JiraReply | undefined;
  pollSeconds: number;
  current?: { kind: TrackerKind; baseUrl: string; email: string | null };
}) {
  const [form, fields] = useForm<ConnectFields>({
    id: current ? 'jira-credentials' : 'jira-connect',
    lastResult: reply?.result,
    defaultValue: {
      kind: current?.kind ?? 'jira_cloud',
      baseUrl: current?.baseUrl ?? '',
      email: current?.email ?? '',
    },
  });
  const navigation = useNavigation();
  const sending = navigation.state === 'submitting' ? navigation.formData?.get('intent') : null;
  const busy = sending === 'test' || sending === 'connect';
  const hydrated = useHydrated();
  const startKind = fields.kind.initialValue === 'jira_dc' ? 'jira_dc' : 'jira_cloud';
  const kind = fields.kind.value === 'jira_dc' ? 'jira_dc' : fields.kind.value ? 'jira_cloud' : startKind;
  const cloud = kind === 'jira_cloud';
  const kindHint = `${form.id}-kind-hint`;
  const kindError = fields.kind.errors?.length ? `${form.id}-kind-error` : undefined;
  const check = reply?.intent === 'test' ? reply.check : undefined;
  return (
    <Form method="post" {...getFormProps(form)} aria-label="Jira credentials">
      <FormAlert id={form.errorId} errors={form.errors} />
      <fieldset
        className="field radio-group"
        aria-describedby={[kindHint, kindError].filter(Boolean).join(' ')}
      >
        <legend>Jira</legend>
        <label>
          <input
            type="radio"
            name={fields.kind.name}
            value="jira_cloud"
            defaultChecked={startKind === 'jira_cloud'}
          />{' '}
          Jira Cloud
        </label>
        <label>
          <input
            type="radio"
            name={fields.kind.name}
            value="jira_dc"
            defaultChecked={startKind === 'jira_dc'}
          />{' '}
          Jira Data Center or Server
        </label>
        <p id={kindHint} className="hint">
          Jira Cloud lives at an address like https://your-team.atlassian.net; Data Center runs on your own
          servers.
        </p>
        <ErrorList id={kindError} errors={fields.kind.errors} />
      </fieldset>
      <Field
        label="Site address"
        hint={
          hydrated && !cloud
            ? 'The address people open Jira at, e.g. https://jira.example.com'
            : 'e.g. https://your-team.atlassian.net'
        }
        meta={fields.baseUrl}
        type="url"
        inputMode="url"
        autoComplete="url"
        spellCheck={false}
        required
      />
      {cloud || !hydrated ? (
        <Field
          label="Account email"
          hint={
            hydrated
              ? 'The Atlassian account the API token belongs to.'
              : 'Jira Cloud only: the Atlassian account the API token belongs to.'
          }
          meta={fields.email}
          type="email"
          autoComplete="email"
          spellCheck={false}
        />
      ) : null}
      <Field
        label={
          hydrated ? (cloud ? 'API token' : 'Personal access token') : 'API token or personal access token'
        }
        hint={
          <>
            {!hydrated || cloud
              ? 'Jira Cloud: create an API token at id.atlassian.com → Security → API tokens. '
              : null}
            {!hydrated || !cloud
              ? 'Data Center: create a personal access token under your Jira profile → Personal Access Tokens. '
              : null}
            It is stored encrypted and never shown again.
          </>
        }
        meta={fields.token}
        type="password"
        autoComplete="off"
        spellCheck={false}
        required
      />
      <div className="actions">
        <button type="submit" name="intent" value="test" className="button button-secondary" disabled={busy}>
          {sending === 'test' ? 'Testing…' : 'Test connection'}
        </button>
        <button type="submit" name="intent" value="connect" className="button" disabled={busy}>
          {sending === 'connect' ? 'Connecting…' : current ? 'Save the new credentials' : 'Connect'}
        </button>
      </div>
      <div aria-live="polite">
        {check?.ok ? <CheckResult check={check} pollSeconds={pollSeconds} /> : null}
      </div>
    </Form>
  );
}

/** What a successful test found: who the token signs in as, and what the account may do for the sync. */
function CheckResult({
  check,
  pollSeconds,
}: {
  check: Extract<ConnectionCheck, { ok: true }>;
  pollSeconds: number;
}) {
  return (
    <div className={`alert ${check.canBrowse ? 'alert-success' : 'alert-error'}`}>
      <p>
        Jira answered: the token signs in as <strong>{check.accountName}</strong>
        {check.serverTitle ? <> on {check.serverTitle}</> : null}. Nothing is saved until you connect.
      </p>
      <ul>
        <li>
          {check.canBrowse
            ? 'May browse projects: issues can be imported.'
            : 'May not browse projects: give the account the Browse Projects permission, or importing is refused.'}
        </li>
        <li>
          {check.canEdit
            ? 'May edit issues: the meetings’ decisions are written back to Jira.'
            : 'May not edit issues: decisions cannot be written back to Jira (they wait as failed changes).'}
        </li>
        <li>
          {check.canAdminWebhooks
            ? 'May register a webhook: changes in Jira arrive at once.'
            : `May not register a webhook (that needs a Jira administrator): Jira is asked for changes every ${pollSeconds} s instead.`}
        </li>
      </ul>
    </div>
  );
}
