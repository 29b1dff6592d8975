import { useSearchParams } from '@remix-run/react';

/**
 * The success message after a CSV import, which redirects to the backlog with `?imported=<count>`. Only the count
 * comes from the URL, so a crafted link cannot put words on the page.
 */
export function ImportNotice() {
  const [params] = useSearchParams();
  const raw = params.get('imported');
  if (!raw || !/^\d{1,6}$/.test(raw)) return null;
  const count = Number(raw);
  return (
    <p className="alert alert-success" role="status">
      Imported {count} {count === 1 ? 'item' : 'items'}. {count === 1 ? 'It is' : 'They are'} at the bottom of
      the backlog.
    </p>
  );
}
