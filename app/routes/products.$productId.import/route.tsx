import { getFormProps, useForm } from '@conform-to/react';
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useParams,
  useSubmit,
} from '@remix-run/react';
import { type ChangeEvent, type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { z } from 'zod';
import { moscowShort, typeLabels } from '~/components/backlog/labels';
import { FormAlert } from '~/components/forms';
import type { importSchema } from '~/services/backlog/import-export.server';
import { authorize } from '~/services/products.server';
import { requireUser } from '~/services/auth.server';
import stylesHref from '~/styles/backlog-tools.css?url';
import { formatBytes } from '~/utils/bytes';
import { orRespond } from '~/utils/route-errors.server';
import { type ImportReply, runImport } from './import-page.server';
import { targetLabels, targetOrder } from './targets';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesHref }];

export const meta: MetaFunction = () => [{ title: 'Import from CSV · Refinery' }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  await orRespond(authorize(context.app.db, params.productId ?? '', user.id, 'backlog.edit'));
  return { maxBodyBytes: context.app.config.MAX_BODY_BYTES };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  return runImport(context, params.productId ?? '', user.id, request);
}

/** Room left in a request for the form's other fields and the multipart framing. */
const formOverhead = 16 * 1024;

type Preview = Extract<ImportReply, { step: 'preview' }>;

export default function ImportPage() {
  const { maxBodyBytes } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const productId = useParams().productId ?? '';
  // The text sent in step 1, kept in the page so the mapping step can send it again (with JavaScript).
  const [sentCsv, setSentCsv] = useState<string | null>(null);
  const preview = reply?.step === 'preview' ? reply : null;
  return (
    <section aria-labelledby="import-title" className="stack">
      <div className="section-heading">
        <h2 id="import-title">Import from CSV</h2>
        <p className="muted">
          New items go to the bottom of the backlog. A file with any broken row imports nothing.
        </p>
      </div>
      <ol className="tool-steps" aria-label="Import steps">
        <li aria-current={preview ? undefined : 'step'}>Choose a file</li>
        <li aria-current={preview ? 'step' : undefined}>Check the columns and the preview</li>
        <li>Import</li>
      </ol>
      {preview ? (
        <PreviewStep preview={preview} csv={sentCsv ?? preview.csv ?? ''} />
      ) : (
        <ChooseStep
          maxBodyBytes={maxBodyBytes}
          reply={reply?.step === 'choose' ? reply : undefined}
          onSend={setSentCsv}
        />
      )}
      <div className="card">
        <h3>Export</h3>
        <p>
          The ordered backlog (archived items left out) with rank, WSJF parts, status and criteria:{' '}
          <a href={`/products/${productId}/export.csv`} download>
            Download CSV
          </a>{' '}
          ·{' '}
          <a href={`/products/${productId}/export.json`} download>
            Download JSON
          </a>
        </p>
      </div>
    </section>
  );
}

function ChooseStep({
  maxBodyBytes,
  reply,
  onSend,
}: {
  maxBodyBytes: number;
  reply?: Extract<ImportReply, { step: 'choose' }>;
  onSend: (csv: string) => void;
}) {
  const id = useId();
  // The CSV itself is read by this page (a file's text, or the pasted text), not by Conform: only its errors are.
  const [form, fields] = useForm<z.input<typeof importSchema>>({ id, lastResult: reply?.result });
  const busy = useNavigation().state !== 'idle';
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [reading, setReading] = useState(false);
  const [pasted, setPasted] = useState('');
  const [clientError, setClientError] = useState<string | null>(null);
  // A chosen file that cannot be sent: the message stays until another file is chosen.
  const [rejected, setRejected] = useState<string | null>(null);
  const maxFileBytes = Math.max(1024, maxBodyBytes - formOverhead);
  const tooLarge = (size: number, what = 'file') =>
    `The ${what} is ${formatBytes(size)}; one import can take at most ${formatBytes(maxFileBytes)}. Split the file into smaller ones and import them one after another.`;
  const error = clientError ?? fields.csv.errors?.[0];
  const text = file?.text ?? pasted;

  function chooseFile(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.currentTarget.files?.[0];
    setClientError(null);
    setRejected(null);
    setFile(null);
    if (!chosen) return;
    if (chosen.size > maxFileBytes) {
      setRejected(tooLarge(chosen.size));
      setClientError(tooLarge(chosen.size));
      return;
    }
    setReading(true);
    const reader = new FileReader();
    reader.onload = () => {
      setFile({ name: chosen.name, text: String(reader.result ?? '') });
      setReading(false);
    };
    reader.onerror = () => {
      setRejected('The file could not be read. Choose it again.');
      setClientError('The file could not be read. Choose it again.');
      setReading(false);
    };
    reader.readAsText(chosen);
  }

  function send(event: FormEvent<HTMLFormElement>) {
    if (!hydrated) return;
    const problem = reading
      ? 'The file is still being read.'
      : rejected
        ? rejected
        : text.trim() === ''
          ? 'Choose a CSV file, or paste its text'
          : new Blob([text]).size > maxFileBytes
            ? tooLarge(new Blob([text]).size, file ? 'file' : 'pasted text')
            : null;
    if (problem) {
      event.preventDefault();
      setClientError(problem);
      return;
    }
    onSend(text);
    form.onSubmit(event);
  }

  return (
    <Form
      method="post"
      encType="multipart/form-data"
      className="card"
      {...getFormProps(form)}
      onSubmit={send}
      aria-labelledby={`${id}-title`}
      noValidate
    >
      <h3 id={`${id}-title`}>Choose a CSV file</h3>
      <input type="hidden" name="intent" value="preview" />
      {hydrated ? (
        <>
          <input type="hidden" name="csv" value={text} />
          <input type="hidden" name="js" value="1" />
          <input type="hidden" name="fileName" value={file?.name ?? ''} />
        </>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-file`}>CSV file</label>
        <p id={`${id}-file-hint`} className="hint">
          A Jira export (Filters → Export → Export CSV) or any CSV with a header row. At most{' '}
          {formatBytes(maxFileBytes)} per file: the server takes at most {formatBytes(maxBodyBytes)} per
          request (MAX_BODY_BYTES), so split larger files.
        </p>
        <input
          id={`${id}-file`}
          type="file"
          // Without JavaScript the file itself is uploaded; with it, the page reads the file and sends its text.
          name={hydrated ? undefined : 'file'}
          accept=".csv,text/csv,text/plain"
          onChange={chooseFile}
          aria-describedby={`${id}-file-hint${error ? ` ${id}-error` : ''}`}
          aria-invalid={error ? true : undefined}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-paste`}>Or paste CSV text</label>
        <p id={`${id}-paste-hint`} className="hint">
          Used when no file is chosen.
        </p>
        <textarea
          id={`${id}-paste`}
          name={hydrated ? undefined : 'pasted'}
          rows={6}
          spellCheck={false}
          className="csv-paste"
          onChange={(e) => setPasted(e.currentTarget.value)}
          aria-describedby={`${id}-paste-hint`}
        />
      </div>
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <FormAlert id={form.errorId} errors={form.errors} />
      <div className="actions">
        <button type="submit" className="button" disabled={reading || busy}>
          {reading ? 'Reading the file…' : busy ? 'Reading the columns…' : 'Preview'}
        </button>
      </div>
    </Form>
  );
}

function PreviewStep({ preview, csv }: { preview: Preview; csv: string }) {
  const id = useId();
  const submit = useSubmit();
  const navigation = useNavigation();
  const busy = navigation.state !== 'idle';
  const importing = busy && navigation.formData?.get('intent') === 'import';
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  const blocked = preview.errorCount > 0 || preview.itemCount === 0;
  const names = preview.header.map((h) => h.trim().toLowerCase());
  const columnName = (h: string, i: number) => {
    if (!h.trim()) return `Column ${i + 1} (no name)`;
    return names.filter((n) => n === h.trim().toLowerCase()).length > 1 ? `${h} (column ${i + 1})` : h;
  };

  // With JavaScript, a changed column updates the preview at once (after a pause, so arrowing through a list
  // does not send a request per step). Without it, "Update preview" does the same.
  function remap(event: FormEvent<HTMLFormElement>) {
    if (!(event.target instanceof HTMLSelectElement)) return;
    const form = event.currentTarget;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const values = new FormData(form);
      values.set('intent', 'preview');
      submit(values, {
        method: 'post',
        encType: 'multipart/form-data',
        replace: true,
        preventScrollReset: true,
      });
    }, 350);
  }

  return (
    <>
      <div className="card">
        <p role="status" className="import-summary">
          <strong>{preview.fileName}</strong>: {preview.rows} {preview.rows === 1 ? 'row' : 'rows'} read,{' '}
          {preview.itemCount} {preview.itemCount === 1 ? 'item' : 'items'} ready to import,{' '}
          {preview.errorCount === 0
            ? 'no errors'
            : `${preview.errorCount} ${preview.errorCount === 1 ? 'error' : 'errors'}`}
          .{busy && !importing ? <span className="muted"> Updating the preview…</span> : null}
        </p>
        <Link to="." reloadDocument>
          Choose another file
        </Link>
      </div>
      {/* A refused import: nothing was imported, and why. */}
      <FormAlert errors={preview.result.error?.['']} />
      {preview.errorCount > 0 ? (
        <section className="card" aria-labelledby={`${id}-errors`}>
          <h3 id={`${id}-errors`}>
            {preview.errorCount} {preview.errorCount === 1 ? 'row has an error' : 'errors'}: fix the file (or
            the columns below) and try again
          </h3>
          <ul className="import-errors">
            {preview.errors.map((e) => (
              <li key={`${e.line}:${e.reason}`}>
                <strong>Line {e.line}:</strong> {e.reason}
              </li>
            ))}
          </ul>
          {preview.errorCount > preview.errors.length ? (
            <p className="hint">…and {preview.errorCount - preview.errors.length} more after these.</p>
          ) : null}
        </section>
      ) : null}
      <Form
        method="post"
        encType="multipart/form-data"
        className="card"
        onChange={remap}
        aria-labelledby={`${id}-mapping`}
        // A new file gets fresh selects; a changed column keeps them (and the keyboard focus).
        key={`${preview.fileName}\u0001${preview.header.join('\u0001')}`}
      >
        <h3 id={`${id}-mapping`}>Columns</h3>
        <p className="hint">
          Which column of the file fills each field. The suggestion follows Jira’s column names; “— not
          imported —” leaves a field empty.
        </p>
        <input type="hidden" name="csv" value={csv} />
        <input type="hidden" name="fileName" value={preview.fileName} />
        <input type="hidden" name="mapped" value="1" />
        {hydrated ? <input type="hidden" name="js" value="1" /> : null}
        <div className="mapping-grid">
          {targetOrder.map((target) => (
            <div className="field" key={target}>
              <label htmlFor={`${id}-${target}`}>{targetLabels[target].label}</label>
              <select
                id={`${id}-${target}`}
                name={`map-${target}`}
                defaultValue={preview.mapping[target] === null ? '' : String(preview.mapping[target])}
                aria-describedby={`${id}-${target}-hint`}
              >
                <option value="">— not imported —</option>
                {preview.header.map((h, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns are identified by their place
                  <option key={i} value={i}>
                    {columnName(h, i)}
                  </option>
                ))}
              </select>
              <p id={`${id}-${target}-hint`} className="hint">
                {targetLabels[target].jira}
              </p>
            </div>
          ))}
        </div>
        <div className="actions">
          <button
            type="submit"
            name="intent"
            value="preview"
            className="button button-secondary"
            disabled={busy}
          >
            Update preview
          </button>
          <button
            type="submit"
            name="intent"
            value="import"
            className="button"
            disabled={blocked || busy}
            aria-describedby={blocked ? `${id}-blocked` : undefined}
          >
            {importing
              ? 'Importing…'
              : `Import ${preview.itemCount} ${preview.itemCount === 1 ? 'item' : 'items'}`}
          </button>
        </div>
        {blocked ? (
          <p id={`${id}-blocked`} className="hint">
            {preview.itemCount === 0 && preview.errorCount === 0
              ? 'The file has no rows to import.'
              : 'Import is off while any row has an error: nothing is imported until every row can be.'}
          </p>
        ) : null}
      </Form>
      {preview.items.length > 0 ? (
        <section className="card" aria-labelledby={`${id}-preview`}>
          <h3 id={`${id}-preview`}>Preview</h3>
          <div className="table-scroll">
            <table className="table">
              <caption className="caption">
                {preview.items.length === preview.itemCount
                  ? preview.itemCount === 1
                    ? 'The item, as it will be imported'
                    : `All ${preview.itemCount} items, as they will be imported`
                  : `The first ${preview.items.length} of ${preview.itemCount} items, as they will be imported`}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Title</th>
                  <th scope="col">Type</th>
                  <th scope="col" className="num">
                    Estimate
                  </th>
                  <th scope="col">MoSCoW</th>
                  <th scope="col">Parent</th>
                  <th scope="col">Labels</th>
                  <th scope="col">Criteria</th>
                </tr>
              </thead>
              <tbody>
                {preview.items.map((item) => (
                  <tr key={item.line}>
                    <td className="num">{item.line}</td>
                    <td className="title-cell">{item.title}</td>
                    <td>{typeLabels[item.type as keyof typeof typeLabels] ?? item.type}</td>
                    <td className="num">{item.estimate ?? '–'}</td>
                    <td>{item.moscow ? moscowShort[item.moscow as keyof typeof moscowShort] : '–'}</td>
                    <td>{item.parent ?? '–'}</td>
                    <td>{item.labels.length ? item.labels.join(', ') : '–'}</td>
                    <td>{item.hasCriteria ? 'Yes' : 'No'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  );
}
