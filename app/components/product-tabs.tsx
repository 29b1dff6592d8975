import { Link, NavLink, useLocation } from '@remix-run/react';
import { type KeyboardEvent, useEffect, useRef } from 'react';
import { can, type Role } from '~/domain/roles';

interface Tab {
  to: string;
  label: string;
}

/** The pages a product's people use every week stay in sight; the rest wait one click away under "More". */
const primaryTabs: Tab[] = [
  { to: 'sessions', label: 'Sessions' },
  { to: 'sprints', label: 'Sprints' },
  { to: 'dashboard', label: 'Dashboard' },
];

function moreTabs(role: Role, memberCount: number): Tab[] {
  return [
    { to: 'requests', label: role === 'stakeholder' ? 'My requests' : 'Requests' },
    { to: 'criteria', label: 'Criteria' },
    { to: 'metrics', label: 'Metrics' },
    { to: 'proposals', label: 'Order proposal' },
    { to: 'decisions', label: 'Decisions' },
    ...(can(role, 'backlog.edit') ? [{ to: 'import', label: 'Import' }] : []),
    ...(can(role, 'backlog.order') ? [{ to: 'cleanup', label: 'Cleanup' }] : []),
    { to: 'settings', label: 'Settings' },
    { to: 'jira', label: 'Jira' },
    ...(can(role, 'product.manage') ? [{ to: 'webhooks', label: 'Webhooks' }] : []),
    { to: 'members', label: `Members (${memberCount})` },
  ];
}

/**
 * The product's navigation: Backlog, Sessions, Sprints and Dashboard as tabs, everything else in a "More"
 * disclosure (a native <details>, so it opens by keyboard and works before scripts load). With scripts it also
 * closes on Escape (focus back on its button), when the focus or a click goes elsewhere, and after a navigation.
 * While one of its pages is open, the button says which.
 */
export function ProductTabs({ product }: { product: { id: string; role: Role; memberCount: number } }) {
  const { pathname } = useLocation();
  const base = `/products/${product.id}`;
  const more = moreTabs(product.role, product.memberCount);
  const inPage = (to: string) => pathname === `${base}/${to}` || pathname.startsWith(`${base}/${to}/`);
  // An item page belongs to the backlog: its tab stays marked there.
  const inBacklog = pathname === base || pathname === `${base}/` || pathname.startsWith(`${base}/items/`);
  const current = more.find((tab) => inPage(tab.to));
  const menu = useRef<HTMLDetailsElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new path is the reason to close it
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [pathname]);

  useEffect(() => {
    const closeOutside = (event: Event) => {
      const details = menu.current;
      if (details?.open && event.target instanceof Node && !details.contains(event.target))
        details.open = false;
    };
    document.addEventListener('pointerdown', closeOutside);
    document.addEventListener('focusin', closeOutside);
    return () => {
      document.removeEventListener('pointerdown', closeOutside);
      document.removeEventListener('focusin', closeOutside);
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDetailsElement>) => {
    const details = menu.current;
    if (event.key !== 'Escape' || !details?.open) return;
    event.preventDefault();
    details.open = false;
    details.querySelector('summary')?.focus();
  };

  return (
    <nav aria-label="Product" className="tabs">
      <ul className="tabs-list">
        <li>
          <Link
            to={base}
            className={inBacklog ? 'active' : undefined}
            aria-current={inBacklog ? 'page' : undefined}
          >
            Backlog
          </Link>
        </li>
        {primaryTabs.map((tab) => (
          <li key={tab.to}>
            <NavLink to={`${base}/${tab.to}`}>{tab.label}</NavLink>
          </li>
        ))}
        <li className="tabs-more">
          <details ref={menu} onKeyDown={onKeyDown}>
            <summary className={current ? 'active' : undefined}>
              More
              {current ? <span className="tabs-more-current">: {current.label}</span> : null}
            </summary>
            <div className="tabs-menu">
              <ul>
                {more.map((tab) => (
                  <li key={tab.to}>
                    <NavLink to={`${base}/${tab.to}`}>{tab.label}</NavLink>
                  </li>
                ))}
              </ul>
              <p className="tabs-menu-export">
                Export the backlog: <a href={`${base}/export.csv`}>CSV</a> ·{' '}
                <a href={`${base}/export.json`}>JSON</a>
              </p>
            </div>
          </details>
        </li>
      </ul>
    </nav>
  );
}
