import { type Browser, expect, type Locator, type Page, test } from '@playwright/test';
import { productWith, reviewUnderWay } from './api-fixtures';
import { demo, expectNoSeriousA11yViolations, logIn, openDemoProduct, unique } from './fixtures';

// Issue 13, rough edges of the meeting rooms: a guest on a phone (390 × 844) votes with the keyboard up to the cap
// and the budget without losing focus and hears "No dots left"; every button is a 44 px target; after the reveal the
// dots show as piles (each with its count in words) and the table is one press away, scrolling sideways inside its
// own labelled region; the product owner's decision log names the by-dots order and says plainly when nothing moved.
// Then the review's Met / Not met toggles, the dashboard's share-link error, and the backlog's "Place it" choices.

const phone = { width: 390, height: 844 };

async function signedIn(browser: Browser, email: string, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await logIn(page, email, demo.password);
  return page;
}

/** Pictures for looking at the pages by eye (`POLISH_SHOTS=<folder>`); nothing is checked in them. */
async function shot(page: Page, name: string) {
  if (process.env.POLISH_SHOTS)
    await page.screenshot({ path: `${process.env.POLISH_SHOTS}/${name}.png`, fullPage: true });
}

/** The element is at least 44 × 44 CSS pixels (WCAG 2.5.5 target size). */
async function expectTouchTarget(target: Locator) {
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  expect(box, 'the target is rendered').not.toBeNull();
  expect(box!.width, 'target width').toBeGreaterThanOrEqual(44);
  expect(box!.height, 'target height').toBeGreaterThanOrEqual(44);
}

/** Presses Enter on the focused button and waits until the server has answered the dot it sent. */
async function pressForDot(page: Page) {
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.status() === 200);
  await page.keyboard.press('Enter');
  await answered;
}

/**
 * The focused dot button cannot act: it says so (aria-disabled) and keeps the focus; pressing it says why in its
 * item's live region, and the focus stays on it.
 */
async function expectRefusedInPlace(page: Page, button: Locator, title: string, why: string) {
  await expect(button).toHaveAttribute('aria-disabled', 'true');
  await expect(button).toBeFocused();
  await page.keyboard.press('Enter');
  const item = page
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) });
  await expect(item.getByRole('status').filter({ hasText: why })).toBeVisible();
  await expect(button).toBeFocused();
}

test('a guest on a phone votes dots by keyboard to the cap and the budget, then sees dot piles; the PO hears when nothing moved', async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const { productId } = await productWith(
    request,
    ['Online booking', 'SMS reminders', 'Waiting list', 'Invoices by email', 'Clinic reports'].map((t) => ({
      title: `${t} ${unique().slice(-4)}`,
      description: `As a patient I want ${t.toLowerCase()} so that I do not phone the clinic.`,
    })),
  );
  const po = await signedIn(browser, demo.owner);
  const title = `Dots ${unique()}`;
  await po.goto(`/products/${productId}/sessions`);
  const create = po.getByRole('form', { name: 'New prioritisation session' });
  await create.getByLabel('Title').fill(title);
  await create.getByLabel('Dot voting').setChecked(true);
  await create.getByLabel('WSJF scoring').setChecked(false);
  await create.getByLabel('Dots per participant').fill('3');
  await create.getByLabel('At most this many dots on one item').fill('2');
  await create.getByRole('button', { name: 'Create prioritisation session' }).click();
  await po.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
  const room = po.url();
  await po.getByRole('button', { name: 'Join', exact: true }).click();
  const link = await po.getByLabel('Guest link').inputValue();
  const titles = await po.locator('.prio-item h4').allTextContents();
  expect(titles.length).toBeGreaterThanOrEqual(5);
  const [a, b, c, , e] = titles;

  // The guest opens the link on a phone: no "Log in / Sign up" to lead them away, and the page promises what this
  // session asks (dots), not scoring.
  const guestContext = await browser.newContext({ viewport: phone });
  const guest = await guestContext.newPage();
  await guest.goto(link);
  await expect(guest.getByRole('heading', { name: `Join “${title}”` })).toBeVisible();
  await expect(guest.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveCount(0);
  await expect(guest.getByText('You will place dots on the items that matter most to you.')).toBeVisible();
  await expect(guest.locator('main')).not.toContainText(/scor(e|ing)/i);
  await expectNoSeriousA11yViolations(guest);
  await shot(guest, 'phone-join');
  await guest.getByLabel('Your name').fill('Gus');
  await guest.getByRole('button', { name: 'Join the session' }).click();
  await guest.waitForURL(/\/guest\/[0-9a-f-]{36}\/room$/);
  await expect(guest.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveCount(0);

  // Nothing to reveal before a vote was opened; the room's Voting step opens it: no second button to find.
  await expect(po.getByRole('button', { name: 'Open voting', exact: true })).toBeVisible();
  await expect(po.getByRole('button', { name: 'Reveal results', exact: true })).toHaveCount(0);
  await po
    .getByRole('list', { name: 'Phase: press one to move the room there' })
    .getByRole('button', { name: 'Voting' })
    .click();
  await expect(guest.getByText('Voting is open')).toBeVisible();
  await expect(po.getByRole('button', { name: 'Close voting', exact: true })).toBeVisible();
  const plus = (t: string) => guest.getByRole('button', { name: `Put a dot on “${t}”` });
  const minus = (t: string) => guest.getByRole('button', { name: `Take a dot off “${t}”` });
  for (const target of [plus(a), minus(a)]) await expectTouchTarget(target);

  // Keyboard only: two dots on C reach the cap of 2. The + button keeps the focus, says it is unavailable, and
  // pressing it again sends nothing and says why.
  const posts: string[] = [];
  guest.on('request', (r) => {
    if (r.method() === 'POST' && r.postData()?.includes('castDots')) posts.push(r.url());
  });
  await plus(c).focus();
  await pressForDot(guest);
  await pressForDot(guest);
  const sent = posts.length;
  await expectRefusedInPlace(guest, plus(c), c, 'At most 2 dots on one item: this one has 2.');

  // The third and last dot, on B: "No dots left" is announced (a status region) and the focus stays put.
  await plus(b).focus();
  await pressForDot(guest);
  await expect(guest.getByRole('status').filter({ hasText: 'No dots left' }).first()).toBeVisible();
  await expect(guest.locator('.dot-budget')).toHaveText(/^No dots left/);
  await expectRefusedInPlace(
    guest,
    plus(b),
    b,
    'No dots left: take a dot off another item to place it here.',
  );
  // Taking a dot off E, which has none, is refused the same way.
  await minus(e).focus();
  await expectRefusedInPlace(guest, minus(e), e, 'There is no dot on this item to take off.');
  expect(posts.length, 'a refused press sends nothing').toBe(sent + 1);
  await expectNoSeriousA11yViolations(guest);
  await shot(guest, 'phone-voting');

  // The product owner puts a dot on E, closes and reveals.
  const answered = po.waitForResponse((r) => r.request().method() === 'POST' && r.status() === 200);
  await po.getByRole('button', { name: `Put a dot on “${e}”` }).click();
  await answered;
  await po.getByRole('button', { name: 'Close voting', exact: true }).click();
  await po.getByRole('button', { name: 'Close voting now' }).click();
  await po.getByRole('button', { name: 'Reveal results', exact: true }).click();

  // The guest sees dot piles, most first, each with its count and who gave the dots in words.
  const results = guest.locator('.results-panel');
  await expect(results.getByRole('heading', { name: 'Results' })).toBeVisible();
  const pilesButton = results.getByRole('button', { name: 'Dot piles' });
  await expect(pilesButton).toHaveAttribute('aria-pressed', 'true');
  const piles = results.getByRole('list', { name: 'Dots per item, most first' }).getByRole('listitem');
  await expect(piles.nth(0)).toContainText(c);
  await expect(piles.nth(0)).toContainText('2 dots from 1 voter');
  await expect(piles.nth(0)).toContainText('From Gus ×2');
  await expect(piles.nth(0).locator('.pile-dot')).toHaveCount(2);
  await expect(piles.nth(1)).toContainText('1 dot from 1 voter');
  await expect(piles.filter({ hasText: e })).toContainText('From Olivia Owner ×1');
  await expect(piles.filter({ hasText: a })).toContainText('no dots');
  await expect(results.getByRole('table')).toHaveCount(0);
  await expectTouchTarget(pilesButton);
  await expectNoSeriousA11yViolations(guest);
  await shot(guest, 'phone-dot-piles');

  // One press to the table. "Who put dots where" scrolls sideways inside its labelled region, which stays within
  // the screen; scrolled to the end, the names still show (the first column stays put).
  const tableButton = results.getByRole('button', { name: 'Table' });
  await expectTouchTarget(tableButton);
  await tableButton.click();
  await expect(tableButton).toHaveAttribute('aria-pressed', 'true');
  await expect(results.locator('.results-table').first().locator('tbody tr').first()).toContainText(
    '2 (1 voter)',
  );
  const region = guest.getByRole('region', { name: 'Who put dots where (scrolls sideways)' });
  await expect(region.getByRole('table', { name: 'Who put dots where' })).toBeVisible();
  const box = await region.boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(phone.width);
  const widths = await region.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(widths.scroll, 'the table is wider than the phone and scrolls').toBeGreaterThan(widths.client);
  await region.scrollIntoViewIfNeeded();
  await region.evaluate((el) => {
    el.scrollLeft = el.scrollWidth;
  });
  await expect(region.getByRole('rowheader', { name: 'Gus' })).toBeInViewport();
  await expectNoSeriousA11yViolations(guest);
  await shot(guest, 'phone-results-table');

  // The product owner applies the by-dots order: items move. Applied again, nothing moves, and the page says so.
  await expect(po.getByRole('button', { name: 'Dot piles' })).toHaveAttribute('aria-pressed', 'true');
  await shot(po, 'desktop-results');
  const proposal = po.locator('.proposal-panel');
  await proposal.getByLabel('Why this order').fill('Stakeholders put their dots here');
  await proposal.getByRole('button', { name: 'Apply this order' }).click();
  await expect(proposal.getByRole('status')).toHaveText(
    /^Applied: \d+ items moved\. The backlog and the decision log show it\.$/,
  );
  await proposal.getByLabel('Why this order').fill('Confirmed at the end of the session');
  await proposal.getByRole('button', { name: 'Apply this order' }).click();
  await expect(proposal.getByRole('status')).toHaveText(
    /^Nothing moved: the backlog already follows this order\./,
  );
  await expectNoSeriousA11yViolations(po);

  // The decision log names the order it followed (by dots, not WSJF) and says when nothing moved.
  await po.goto(`/products/${productId}/decisions?kind=proposal_applied`);
  const entries = po.locator('.decision-text');
  await expect(entries.filter({ hasText: title })).toHaveCount(2);
  await expect(entries.filter({ hasText: title }).first()).toHaveText(
    `Olivia Owner applied the by-dots order from “${title}” (nothing moved: the backlog already followed this order)`,
  );
  await expect(entries.filter({ hasText: title }).nth(1)).toHaveText(
    new RegExp(`^Olivia Owner applied the by-dots order from “${title}” \\(\\d+ items moved\\)$`),
  );
  await expect(entries.filter({ hasText: title }).filter({ hasText: 'WSJF' })).toHaveCount(0);
  await expectNoSeriousA11yViolations(po);

  // The session summary names it the same way.
  await po.goto(`${room}/summary`);
  await expect(po.getByText(/applied the by-dots order \(nothing moved/)).toBeVisible();
  await guestContext.close();
});

test('review ticks: Met and Not met are 44 px toggles whose pressed state shows without colour, and keep the focus', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const review = await reviewUnderWay(request, {
    description: 'As a patient I want to book a slot online so that I do not phone the clinic.',
    criteria: ['A free slot', 'A taken slot', 'A cancelled slot']
      .map(
        (s) =>
          `  Scenario: ${s}\n    Given ${s.toLowerCase()}\n    When I book it\n    Then I am told what happened`,
      )
      .join('\n\n')
      .replace(/^/, 'Feature: Booking\n'),
  });
  for (const viewport of [phone, { width: 1280, height: 800 }]) {
    const po = await signedIn(browser, demo.owner, viewport);
    await po.goto(`/products/${review.productId}/sessions/${review.sessionId}`);
    const join = po.getByRole('button', { name: 'Join', exact: true });
    if (viewport === phone) await join.click();

    const item = po.getByRole('region', { name: new RegExp(`^${review.title} · `) });
    const met = item.getByRole('button', { name: /^Met: / });
    const notMet = item.getByRole('button', { name: /^Not met: / });
    await expect(met.first()).toBeVisible();
    if (viewport === phone) for (const b of [met.first(), notMet.first()]) await expectTouchTarget(b);

    // Keyboard: Space on "Met" of the first line; the focus stays on it while the tick travels and after.
    const line = viewport === phone ? 0 : 1;
    await met.nth(line).focus();
    await po.keyboard.press('Space');
    await expect(met.nth(line)).toHaveAttribute('aria-pressed', 'true');
    await expect(met.nth(line)).toBeFocused();
    // Pressed: a ✓ and a filled button; unpressed: no mark, an outline. Not colour alone.
    await expect(met.nth(line)).toHaveText('✓Met');
    await expect(notMet.nth(line)).toHaveText('Not met');
    await expect(met.nth(line + 1)).toHaveText('Met');
    const fill = (l: Locator) => l.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await fill(met.nth(line))).not.toBe(await fill(met.nth(line + 1)));
    await notMet.nth(line + 1).focus();
    await po.keyboard.press('Enter');
    await expect(notMet.nth(line + 1)).toHaveAttribute('aria-pressed', 'true');
    await expect(notMet.nth(line + 1)).toHaveText('✗Not met');
    await expect(notMet.nth(line + 1)).toBeFocused();
    await expectNoSeriousA11yViolations(po);
    await item.scrollIntoViewIfNeeded();
    await shot(po, viewport === phone ? 'phone-review' : 'desktop-review');
    await po.context().close();
  }
});

test('the dashboard share link: without "who is it for", the error is beside the field and the field has the focus', {
  tag: '@demo',
}, async ({ browser }) => {
  const po = await signedIn(browser, demo.owner);
  const productId = await openDemoProduct(po);
  await po.goto(`/products/${productId}/dashboard`);
  const create = po.getByRole('button', { name: 'Create share link' });
  await create.focus();
  await po.keyboard.press('Enter');
  const field = po.getByLabel('Who is it for?');
  await expect(field).toBeFocused();
  await expect(field).toBeInViewport();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription('Say who the link is for');
  await expect(po.getByText('Say who the link is for')).toBeInViewport();
  await expectNoSeriousA11yViolations(po);
  await shot(po, 'desktop-dashboard-error');
  // Typed in, the link is made.
  const who = `Front desk ${unique().slice(-4)}`;
  await field.fill(who);
  await create.click();
  await expect(po.getByLabel(`Dashboard link for ${who}`)).toBeVisible();
});

test('on a phone the backlog’s "Place it" choices read on one line each and are 44 px tall', {
  tag: '@demo',
}, async ({ browser }) => {
  const po = await signedIn(browser, demo.owner, phone);
  await openDemoProduct(po);
  const group = po.getByRole('group', { name: 'Place it' });
  if (!(await group.isVisible())) await po.locator('summary', { hasText: 'New item' }).click();
  await expect(group).toBeVisible();
  for (const name of ['At the top', 'At the bottom']) {
    const label = group.locator('label', { hasText: name });
    // The lines its words take: the distinct tops of the text's boxes.
    const lines = await label.evaluate((el) => {
      const tops = new Set<number>();
      for (const node of el.childNodes) {
        if (node.nodeType !== Node.TEXT_NODE || !node.textContent?.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
      }
      return tops.size;
    });
    expect(lines, `“${name}” on one line`).toBe(1);
    const box = await label.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
  }
  await group.getByLabel('At the top').check();
  await expectNoSeriousA11yViolations(po);
  await group.scrollIntoViewIfNeeded();
  await shot(po, 'phone-new-item');
});
