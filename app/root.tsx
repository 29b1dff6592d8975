import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react';
import type { ReactNode } from 'react';
import { skipLiveReloads } from '~/utils/revalidation';
import { AppHeader } from './components/app-header';
import { useNonce } from './components/nonce';
import { getUser } from './services/auth.server';
import { unreadCount } from './services/notifications/notify.server';
import stylesHref from './styles.css?url';
import { timeZoneOf } from './utils/client-hints';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesHref },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

// Routes set their own titles; this one is used where none does, and for the error pages (403, 404, 410, 500),
// which render without the failed route's meta.
export const meta: MetaFunction = ({ error }) => {
  if (!error) return [{ title: 'Refinery' }];
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return [{ title: `${(explanations[status] ?? unknownError).title} · Refinery` }];
};

export const shouldRevalidate = skipLiveReloads;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  return {
    user: user ? { id: user.id, displayName: user.displayName, email: user.email } : null,
    /** the header's count of unread notifications (decision 0041) */
    unreadNotifications: user ? await unreadCount(context.app.db, user.id) : 0,
    /** the viewer's time zone (client hint), for every date and time the pages show */
    timeZone: timeZoneOf(request),
  };
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* Blocking on purpose and first: it may reload the page before anything is painted (see the file). */}
        <script src="/client-hints.js" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { user, unreadNotifications } = useLoaderData<typeof loader>();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppHeader user={user} unread={unreadNotifications} />
      <main id="main" className="page">
        <Outlet />
      </main>
    </>
  );
}

const explanations: Record<number, { title: string; text: string }> = {
  403: {
    title: 'You do not have access to this',
    text: 'Your role in this product does not allow this action. Ask the product owner if you need it.',
  },
  404: {
    title: 'Not found',
    text: 'There is nothing here, or you are not a member of the product it belongs to.',
  },
  410: {
    title: 'This link is no longer valid',
    text: 'It has expired or was revoked. Ask the product owner for a new one.',
  },
};

const unknownError = {
  title: 'Something went wrong',
  text: 'We could not show this page. Try again in a moment.',
};

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>('root');
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const detail =
    isRouteErrorResponse(error) && typeof error.data?.message === 'string' ? error.data.message : null;
  const known = explanations[status] ?? unknownError;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppHeader user={data?.user ?? null} />
      <main id="main" className="page">
        <section className="error-page" aria-labelledby="error-title">
          <p className="error-code">{status}</p>
          <h1 id="error-title">{known.title}</h1>
          <p>{detail ?? known.text}</p>
          <p>
            <a href={data?.user ? '/products' : '/'}>
              {data?.user ? 'Back to your products' : 'Back to the start page'}
            </a>
          </p>
        </section>
      </main>
    </>
  );
}
