import { Form, useNavigation, useRevalidator } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { FormAlert } from '~/components/forms';
import type { JiraReply } from '~/routes/products.$productId.jira/jira-page.server';
import { useTimeZone } from '~/utils/client-hints';
import { formatDateTime, formatRelative } from '~/utils/dates';
import { type ConnectedStatusView, isActive, type JiraJobView, type JiraPageView } from './types';

/** How often the page reads the status again while an import or a sync runs. */
const followMs = 2000;

const jobKindLabels: Record<JiraJobView['kind'], string> = { import: 'Import', pull: 'Sync' };
const jobStateLabels: Record<JiraJobView['state'], string> = {
  queued: 'Waiting to start',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
};
const pushLabels: Record<string, string> = {
  fields: 'Update fields',
  rank: 'Reorder',
  transition: 'Change status',
  comment: 'Add a comment',
  create: 'Create an issue',
};

/**
 * Reads the page's data again every two seconds while `active`, so an import's progress moves without a reload;
 * stops when nothing runs. Skips a beat while the tab is hidden or another load or submission is under way.
 */
function useFollowWhile(active: boolean) {
  const { revalidate, state } = useRevalidator();
  const navigation = useNavigation();
  const busy = useRef(false);
  busy.current = state !== 'idle' || navigation.state !== 'idle';
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (busy.current || document.visibilityState === 'hidden') return;
      revalidate();
    }, followMs);
    return () => clearInterval(timer);
  }, [active, revalidate]);
}

/** An instant as "4 minutes ago (2 Dec 2026, 20:16 UTC)": the exact time in a <time> element. */
function When({ at, now }: { at: string; now: string }) {
  const timeZone = useTimeZone();
  return (
    <>
      {formatRelative(at, now)} (<time dateTime={at}>{formatDateTime(at, timeZone)}</time>)
    </>
  );
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function progressText(job: JiraJobView) {
  const { read, total } = job.progress;
  return total !== null ? `${read} of ${plural(total, 'issue')} read` : `${plural(read, 'issue')} read`;
}

/**
 * The sync's status for every member: last sync, linked items, the changes sent to Jira (the failed ones listed
 * with Jira's error), webhook or poll, the connection's last error, and the recent imports and syncs with their
 * progress and problems. The product owner also gets "Sync now" and, on a failed job, "Retry".
 */
export function SyncStatus({ page, reply }: { page: JiraPageView; reply: JiraReply | undefined }) {
  const status = page.status as ConnectedStatusView;
  const { now, mayManage } = page;
  const active = status.jobs.find((job) => isActive(job.state));
  useFollowWhile(active !== undefined);
  const mine = reply?.intent === 'sync' ? reply : undefined;
  const navigation = useNavigation();
  const syncing = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'sync';
  const { pushes } = status;
  const timeZone = useTimeZone();
  return (
    <section className="card" aria-labelledby="jira-status-title">
      <div className="section-heading">
        <h3 id="jira-status-title">Sync status</h3>
        {mayManage && status.scope ? (
          <Form method="post">
            <input type="hidden" name="intent" value="sync" />
            <button type="submit" className="button button-secondary button-small" disabled={syncing}>
              {syncing ? 'Starting…' : 'Sync now'}
            </button>
          </Form>
        ) : null}
      </div>
      <FormAlert message={mine?.result.error?.['']?.[0]} />
      {mine?.message ? (
        <p className="alert alert-success" role="status">
          {mine.message}
        </p>
      ) : null}
      {/* Read out as it changes: what runs now and how far it got. */}
      <p role="status" className={active ? undefined : 'muted'}>
        {active
          ? `${jobKindLabels[active.kind]} ${active.state === 'queued' ? 'waiting to start' : 'running'}: ${progressText(active)}.`
          : status.lastSyncAt
            ? 'Nothing running now.'
            : 'No sync yet.'}
      </p>
      <dl className="metric-tiles">
        <div>
          <dt>Last sync</dt>
          <dd>
            {status.lastSyncAt ? formatRelative(status.lastSyncAt, now) : 'None yet'}
            {status.lastSyncAt ? (
              <small>
                <time dateTime={status.lastSyncAt}>{formatDateTime(status.lastSyncAt, timeZone)}</time>
              </small>
            ) : (
              <small>{status.scope ? 'No import or sync has finished yet' : 'Import issues to start'}</small>
            )}
          </dd>
        </div>
        <div>
          <dt>Linked items</dt>
          <dd>
            {status.linkedItems}
            <small>backlog items linked to a Jira issue</small>
          </dd>
        </div>
        <div>
          <dt>Changes sent to Jira</dt>
          <dd>
            {pushes.done}
            <small>
              {plural(pushes.pending, 'waiting', 'waiting')} · {plural(pushes.failed, 'failed', 'failed')}
            </small>
          </dd>
        </div>
      </dl>
      <dl className="facts">
        <dt>Changes in Jira</dt>
        <dd>
          {status.webhook
            ? 'A webhook is registered: Jira tells Refinery about changes at once.'
            : `No webhook registered: Jira is polled every ${page.pollSeconds} s.`}
        </dd>
        <dt>Issues followed</dt>
        <dd>
          {status.scope ? (
            'jql' in status.scope ? (
              <>
                JQL <code>{status.scope.jql}</code>
              </>
            ) : (
              `Board ${status.scope.boardId}`
            )
          ) : (
            'None yet: import issues first'
          )}
        </dd>
      </dl>
      {status.lastError ? (
        <div className="alert alert-error">
          <p>
            <strong>Last problem talking to Jira:</strong> {status.lastError}
          </p>
        </div>
      ) : null}
      {status.failedPushes.length > 0 ? <FailedPushes status={status} mayManage={mayManage} /> : null}
      <RecentJobs status={status} now={now} mayManage={mayManage} />
    </section>
  );
}

function issueLink(baseUrl: string, key: string) {
  return `${baseUrl}/browse/${encodeURIComponent(key)}`;
}

function FailedPushes({ status, mayManage }: { status: ConnectedStatusView; mayManage: boolean }) {
  return (
    <section aria-labelledby="jira-failed-title">
      <h4 id="jira-failed-title">Changes Jira refused</h4>
      <p className="hint">
        {mayManage
          ? 'Tried again with the next sync (“Sync now”). Fix what Jira says first, e.g. the account’s permission or the field map.'
          : 'Tried again with the next sync.'}
      </p>
      <div className="table-scroll">
        <table className="table">
          <caption className="visually-hidden">Changes Jira refused, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Change</th>
              <th scope="col">Issue</th>
              <th scope="col">Jira’s answer</th>
              <th scope="col" className="num">
                Attempts
              </th>
            </tr>
          </thead>
          <tbody>
            {status.failedPushes.map((push) => (
              <tr key={push.id}>
                <td>{pushLabels[push.op] ?? push.op}</td>
                <td>
                  {push.issueKey ? (
                    <a
                      href={issueLink(status.baseUrl, push.issueKey)}
                      rel="noreferrer noopener"
                      target="_blank"
                    >
                      {push.issueKey}
                    </a>
                  ) : (
                    '–'
                  )}
                </td>
                <td className="title-cell">{push.error ?? 'No message'}</td>
                <td className="num">{push.attempts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function RecentJobs({
  status,
  now,
  mayManage,
}: {
  status: ConnectedStatusView;
  now: string;
  mayManage: boolean;
}) {
  if (status.jobs.length === 0)
    return <p className="empty-state">No sync yet{mayManage ? ': import issues below to start.' : '.'}</p>;
  const running = status.jobs.some((job) => isActive(job.state));
  return (
    <section aria-labelledby="jira-jobs-title">
      <h4 id="jira-jobs-title">Recent imports and syncs</h4>
      <ul className="plain-list">
        {status.jobs.map((job) => (
          // "Retry" starts a sync: offered while nothing else runs.
          <JobEntry key={job.id} job={job} now={now} mayRetry={mayManage && !running} />
        ))}
      </ul>
    </section>
  );
}

function JobEntry({ job, now, mayRetry }: { job: JiraJobView; now: string; mayRetry: boolean }) {
  const { progress } = job;
  const waiting = job.retryAt && job.retryAt > now && isActive(job.state);
  return (
    <li className="review-outcome">
      <div className="row-heading">
        <p className="review-note">
          <strong>{jobKindLabels[job.kind]}</strong>{' '}
          <span
            className={`badge ${job.state === 'failed' ? 'badge-warn' : job.state === 'done' ? 'badge-ok' : ''}`}
          >
            {jobStateLabels[job.state]}
          </span>{' '}
          <span className="muted">
            started <When at={job.createdAt} now={now} />
            {job.finishedAt ? (
              <>
                , finished <When at={job.finishedAt} now={now} />
              </>
            ) : null}
          </span>
        </p>
        {mayRetry && job.state === 'failed' ? (
          <Form method="post">
            <input type="hidden" name="intent" value="sync" />
            <button type="submit" className="button button-small button-secondary">
              Retry
              <span className="visually-hidden"> the failed {jobKindLabels[job.kind].toLowerCase()}</span>
            </button>
          </Form>
        ) : null}
      </div>
      <p className="dor-progress review-note">
        {progress.total !== null ? (
          <progress
            max={Math.max(progress.total, 1)}
            value={Math.min(progress.read, progress.total)}
            aria-label={`${jobKindLabels[job.kind]} progress`}
          />
        ) : isActive(job.state) ? (
          <progress aria-label={`${jobKindLabels[job.kind]} progress`} />
        ) : null}
        <span>{progressText(job)}</span>
      </p>
      <p className="review-note muted">
        {progress.created} created · {progress.updated} updated · {progress.unchanged} unchanged ·{' '}
        {progress.failed} failed
        {waiting && job.retryAt ? <> · trying again {formatRelative(job.retryAt, now)}</> : null}
      </p>
      {job.errors.length > 0 ? (
        <details open={job.state === 'failed'}>
          <summary>{plural(job.errors.length, 'problem')}</summary>
          <ul className="import-errors">
            {job.errors.map((error, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the same message may repeat; its place names it
              <li key={i}>
                <strong>{error.issueKey ?? 'The whole job'}:</strong> {error.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </li>
  );
}
