import { Form, Link, NavLink, useFetcher, useMatches } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { unreadLabel } from '~/domain/notification-kinds';

/** What a route says about the page header through its `handle`. */
export interface HeaderHandle {
  /**
   * A page for people without an account (a session's join page, a guest's room): no "Log in / Sign up", which
   * would only lead a guest away from the session.
   */
  guestPage?: boolean;
}

const isGuestPage = (handle: unknown) =>
  typeof handle === 'object' && handle !== null && (handle as HeaderHandle).guestPage === true;

/**
 * The unread count beside "Notifications": from the page's load, asked again when the window gets the focus back
 * and every minute while it has it (no live channel for it; decision 0041).
 */
function NotificationsLink({ unread }: { unread: number }) {
  const fetcher = useFetcher<{ unread: number }>();
  const { load } = fetcher;
  useEffect(() => {
    const refresh = () => {
      if (document.visibilityState === 'visible') load('/me/unread-count');
    };
    window.addEventListener('focus', refresh);
    const timer = setInterval(() => document.hasFocus() && refresh(), 60_000);
    return () => {
      window.removeEventListener('focus', refresh);
      clearInterval(timer);
    };
  }, [load]);
  // Whichever came last: a page load (after marking read, say) or a poll.
  const [count, setCount] = useState(unread);
  useEffect(() => setCount(unread), [unread]);
  useEffect(() => {
    if (fetcher.data) setCount(fetcher.data.unread);
  }, [fetcher.data]);
  return (
    <NavLink to="/notifications" aria-label={unreadLabel(count)} className="nav-notifications">
      <svg aria-hidden="true" className="nav-bell" viewBox="0 0 16 16" width="16" height="16">
        <path
          fill="currentColor"
          d="M8 16a2 2 0 0 0 2-2H6a2 2 0 0 0 2 2zm5-5V7a5 5 0 0 0-4-4.9V1a1 1 0 1 0-2 0v1.1A5 5 0 0 0 3 7v4l-1.5 1.5V13h13v-.5L13 11z"
        />
      </svg>{' '}
      Notifications
      {count > 0 ? (
        <span className="badge badge-count" aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      ) : null}
    </NavLink>
  );
}

export function AppHeader({
  user,
  unread = 0,
}: {
  user: { displayName: string; email: string } | null;
  unread?: number;
}) {
  const guestPage = useMatches().some((m) => isGuestPage(m.handle));
  return (
    <header className="app-header">
      <Link to={user ? '/products' : '/'} className="brand">
        <span aria-hidden="true" className="brand-mark">
          ◆
        </span>{' '}
        Refinery
      </Link>
      <nav aria-label="Main">
        {user ? (
          <ul className="nav-list">
            <li>
              <NavLink to="/products" end>
                Products
              </NavLink>
            </li>
            <li>
              <NotificationsLink unread={unread} />
            </li>
            <li>
              <NavLink to="/settings/tokens">API tokens</NavLink>
            </li>
            <li className="nav-user" title={user.email}>
              {user.displayName}
            </li>
            <li>
              <Form method="post" action="/logout">
                <button type="submit" className="link-button">
                  Log out
                </button>
              </Form>
            </li>
          </ul>
        ) : guestPage ? null : (
          <ul className="nav-list">
            <li>
              <NavLink to="/login">Log in</NavLink>
            </li>
            <li>
              <NavLink to="/signup">Sign up</NavLink>
            </li>
          </ul>
        )}
      </nav>
    </header>
  );
}
