import { Form, Link, NavLink } from '@remix-run/react';

export function AppHeader({ user }: { user: { displayName: string; email: string } | null }) {
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
        ) : (
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
