import { Form, Link, NavLink, useMatches } from '@remix-run/react';

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

export function AppHeader({ user }: { user: { displayName: string; email: string } | null }) {
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
