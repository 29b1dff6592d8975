import type { ShouldRevalidateFunction } from '@remix-run/react';

/**
 * For loaders whose data no live change alters (the signed-in user, the product's heading): they run again after a
 * form submission or a move to another address, but not when a live room or backlog reloads its data for a change
 * someone else made (a plain revalidation of the same address). Each such reload then reads only the page's own
 * data; the page's loader still checks the viewer's access on every load.
 */
export const skipLiveReloads: ShouldRevalidateFunction = ({
  currentUrl,
  nextUrl,
  formMethod,
  defaultShouldRevalidate,
}) => (formMethod || currentUrl.href !== nextUrl.href ? defaultShouldRevalidate : false);
