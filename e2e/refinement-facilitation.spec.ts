import { type Browser, expect, type Page, test } from '@playwright/test';
import { demoCopy } from './demo-copy';
import {
  addItemOnBacklog,
  demo,
  expectNoSeriousA11yViolations,
  openProduct,
  joinRoom,
  newRefinementSession,
  signedIn as signedInAs,
  unique,
} from './fixtures';

// Issue 13, rough edges of a refinement: a product's own poker deck (Settings), a new session that does not tick
// epics or rejected items, a countdown that reads the same on every screen (one of them with its clock 90 s
// ahead) and shows the facilitator's start before the server has answered, an epic that asks before it is
// estimated, a round that moves the room to its Estimating step, and facilitation handed over mid-session. Three
// browsers: Olivia (product owner), Tomás (team, facilitating) and Quinn (team), partly by keyboard; axe.

/** This browser's clock runs `skewMs` ahead of the real one, as a laptop whose clock is off would. */
const skewedClock = (skewMs: number) => `(() => {
  const RealDate = Date;
  const skew = ${skewMs};
  class SkewedDate extends RealDate {
    constructor(...args) { if (args.length === 0) super(RealDate.now() + skew); else super(...args); }
    static now() { return RealDate.now() + skew; }
  }
  globalThis.Date = SkewedDate;
})();`;

const signedIn = (browser: Browser, email: string, skewMs = 0) =>
  signedInAs(browser, email, {
    viewport: { width: 1280, height: 900 },
    initScript: skewMs ? skewedClock(skewMs) : undefined,
  });

const poker = (page: Page) => page.getByRole('region', { name: 'Planning poker' });
const deckOf = (page: Page) => poker(page).getByRole('toolbar', { name: /Your card/ });
const currentPhase = (page: Page) =>
  page.getByRole('list', { name: /^Phase/ }).locator('[aria-current="step"]');
const facilitatorTools = (page: Page) => page.locator('.facilitator-tools');
/** Picks the option of a select whose text contains `text`. */
async function choose(select: ReturnType<Page['getByLabel']>, text: string) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  expect(value, `an option with “${text}”`).not.toBeNull();
  await select.selectOption(value!);
}

/**
 * What each screen's countdown says, read at the same real moment, as the interval of real end times it implies
 * (a countdown showing s was read while between s-1 and s seconds were left).
 */
async function countdownReadings(pages: Page[]) {
  return Promise.all(
    pages.map((page) =>
      page.getByRole('timer').evaluate((el) => {
        const at = performance.timeOrigin + performance.now();
        const [m, s] = (el.textContent ?? '').split(':').map(Number);
        const left = m * 60 + s;
        return { text: el.textContent, from: at + (left - 1) * 1000, to: at + left * 1000 };
      }),
    ),
  );
}
/** How far apart the screens' countdowns are: 0 when their intervals overlap, else the gap in ms. */
const disagreement = (readings: Array<{ from: number; to: number }>) =>
  Math.max(0, Math.max(...readings.map((r) => r.from)) - Math.min(...readings.map((r) => r.to)));

test('custom deck, agenda defaults, one countdown, epic warning, phase and facilitation hand-over', async ({
  browser,
  request,
}) => {
  test.setTimeout(300_000);
  const product = await demoCopy(request);
  const owner = await signedIn(browser, demo.owner);
  const tom = await signedIn(browser, demo.teamMembers[0]);
  // Quinn's laptop clock is 90 seconds ahead.
  const quinn = await signedIn(browser, demo.teamMembers[1], 90_000);
  const page = owner.page;
  const { productId } = product;

  // Settings: the product owner adds a deck of hours, by keyboard; a malformed deck is refused at its field.
  await page.goto(`/products/${productId}/settings`);
  const decks = page.getByRole('region', { name: 'Planning poker decks' });
  const deckName = `Hours ${unique().slice(-4)}`;
  await decks.getByLabel('Deck name').fill(deckName);
  await decks.getByLabel('Cards').fill('1, 2, 2');
  await decks.getByLabel('Cards').press('Enter');
  await expect(decks.getByRole('alert')).toHaveText('“2” is on the deck twice');
  await expect(decks.getByLabel('Cards')).toHaveAttribute('aria-invalid', 'true');
  await decks.getByLabel('Cards').fill('1, 2, 4, 8, 16, ?');
  await decks.getByLabel('Cards').press('Enter');
  await expect(decks.getByText(`Deck “${deckName}” added: 1, 2, 4, 8, 16, ?.`)).toBeVisible();
  await expect(decks.getByRole('list', { name: 'Decks' })).toContainText(`${deckName}: 1, 2, 4, 8, 16, ?`);
  await expectNoSeriousA11yViolations(page);

  // A new session ticks only items that can be estimated: no epic, nothing rejected.
  let epicTitle = '';
  const room = await newRefinementSession(page, productId, `Facilitation ${unique()}`, async (form) => {
    const options = form.getByRole('list', { name: 'Backlog items for the agenda' }).getByRole('listitem');
    const ticked = options.filter({ has: page.getByRole('checkbox', { checked: true }) });
    await expect(ticked).not.toHaveCount(0);
    for (const meta of await ticked.locator('.agenda-option-meta').allTextContents()) {
      expect(meta).not.toContain('Epic');
      expect(meta).not.toContain('Rejected');
    }
    // The product owner puts an epic on the agenda all the same.
    const epic = options.filter({ has: page.locator('.type-epic') }).first();
    epicTitle = (await epic.locator('label').textContent())?.trim() ?? '';
    expect(epicTitle).not.toBe('');
    await epic.getByRole('checkbox').check();
    await choose(form.getByLabel('Facilitator'), 'Tomás Developer');
  });
  await joinRoom([owner, tom, quinn], room, async (p) => {
    await expect(p.locator('.live-status:not(.live-text *)')).toHaveText(/: Live$/);
    await expect(currentPhase(p)).toContainText('Lobby');
  });

  // The countdown: Tomás starts it. His own screen counts before the server has answered (his request is held
  // here until it does); the others follow once it has, and all three agree, Quinn's 90 s clock included.
  await expect(tom.page.getByRole('timer')).toHaveText('Off');
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await tom.page.route(
    (url) => url.pathname.startsWith(room),
    async (route) => {
      if (route.request().method() === 'POST' && (route.request().postData() ?? '').includes('setTimer'))
        await held;
      await route.continue();
    },
  );
  // Quinn's network hands the room's data over late, 1.5 s after the server read its clock: a countdown set by
  // the clock in the room's data would be that much off; the one measured on connecting to the live channel is not.
  await quinn.page.route(
    (url) => url.pathname.startsWith(room),
    async (route) => {
      if (route.request().method() !== 'GET') return route.continue();
      const response = await route.fetch();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.fulfill({ response });
    },
  );
  await tom.page.getByRole('button', { name: 'Start 10 min' }).click();
  await expect(tom.page.getByRole('timer')).toHaveText(/^(10:00|9:[0-5]\d)$/);
  await expect(page.getByRole('timer')).toHaveText('Off');
  release();
  for (const p of [owner, tom, quinn])
    await expect(p.page.getByRole('timer')).toHaveText(/^(10:00|9:[0-5]\d)$/);
  await tom.page.unrouteAll({ behavior: 'wait' });
  const screens = [owner.page, tom.page, quinn.page];
  // Read at the same moment, the three screens agree within a fraction of a second, whatever Quinn's clock says.
  await expect.poll(async () => disagreement(await countdownReadings(screens))).toBeLessThan(300);
  for (let i = 0; i < 3; i++) {
    const readings = await countdownReadings(screens);
    expect(disagreement(readings), JSON.stringify(readings)).toBeLessThan(1000);
    const shown = readings[0].text;
    await expect(owner.page.getByRole('timer')).not.toHaveText(shown ?? '', { timeout: 3000 });
  }
  await quinn.page.unrouteAll({ behavior: 'wait' });
  await expectNoSeriousA11yViolations(tom.page);

  // The room takes up the epic (Tomás presses it in the agenda unless it came first).
  if ((await tom.page.locator('#current-title').textContent())?.trim() !== epicTitle)
    await tom.page.getByRole('region', { name: 'Agenda' }).getByRole('button', { name: epicTitle }).click();
  for (const p of [owner, tom, quinn]) await expect(p.page.locator('#current-title')).toHaveText(epicTitle);

  // Opening a round on the epic asks first (keyboard: the confirm button takes the focus); Tomás picks the
  // deck of hours and goes ahead.
  await choose(poker(tom.page).getByLabel('Deck'), deckName);
  await poker(tom.page).getByRole('button', { name: 'Start round' }).focus();
  await tom.page.keyboard.press('Enter');
  const warning = poker(tom.page).getByRole('group', { name: 'Estimate an epic?' });
  await expect(warning).toContainText(`“${epicTitle}” is an epic`);
  await expect(warning).toContainText('split');
  await expect(warning.getByRole('button', { name: 'Estimate the epic anyway' })).toBeFocused();
  await expectNoSeriousA11yViolations(tom.page);
  // Cancel goes back; nothing was opened for anyone.
  await warning.getByRole('button', { name: 'Cancel' }).click();
  await expect(poker(tom.page).getByRole('button', { name: 'Start round' })).toBeFocused();
  await expect(poker(page)).toContainText('No round yet');
  await tom.page.keyboard.press('Enter');
  await expect(warning.getByRole('button', { name: 'Estimate the epic anyway' })).toBeFocused();
  await tom.page.keyboard.press('Enter');

  // The round is open everywhere with the hours deck, and every room has moved to its Estimating step.
  for (const p of [owner, tom, quinn]) {
    await expect(poker(p.page)).toContainText(`Estimating: ${epicTitle}`);
    await expect(poker(p.page)).toContainText(deckName);
    await expect(deckOf(p.page).getByRole('button')).toHaveText(['1', '2', '4', '8', '16', '?']);
    await expect(currentPhase(p.page)).toContainText('Estimating');
  }
  await deckOf(page).getByRole('button', { name: '2', exact: true }).click();
  await deckOf(tom.page).getByRole('button', { name: '4', exact: true }).click();
  await deckOf(quinn.page).getByRole('button', { name: '1', exact: true }).focus();
  await quinn.page.keyboard.press('ArrowRight');
  await quinn.page.keyboard.press('ArrowRight');
  await quinn.page.keyboard.press('ArrowRight');
  await quinn.page.keyboard.press('Enter');
  await expect(poker(quinn.page)).toContainText('You voted 8');
  await expect(poker(tom.page)).toContainText('Nobody left to vote.');
  await poker(tom.page).getByRole('button', { name: 'Reveal cards' }).click();
  // A deck of numbers has a mean: (2 + 4 + 8) / 3.
  for (const p of [owner, tom, quinn])
    await expect(poker(p.page).locator('.tally-stats')).toContainText('Mean4.7');
  await expect(currentPhase(page)).toContainText('Estimating');

  // Tomás hands facilitation to Quinn, by keyboard. Quinn's room gets the controls, Tomás's loses them; the
  // product owner keeps hers.
  await tom.page.getByRole('button', { name: 'Hand over facilitation…' }).focus();
  await tom.page.keyboard.press('Enter');
  const handOver = tom.page.getByRole('form', { name: 'Hand over facilitation' });
  await expect(handOver.getByLabel('New facilitator')).toBeFocused();
  await choose(handOver.getByLabel('New facilitator'), 'Quinn Tester');
  await expectNoSeriousA11yViolations(tom.page);
  await tom.page.keyboard.press('Tab');
  await expect(handOver.getByRole('button', { name: 'Hand over' })).toBeFocused();
  await tom.page.keyboard.press('Enter');
  await expect(quinn.page.locator('.room-meta')).toContainText('Facilitator: Quinn Tester (you)');
  await expect(facilitatorTools(quinn.page).getByRole('button', { name: 'End session…' })).toBeVisible();
  await expect(poker(quinn.page).getByRole('button', { name: 'Commit estimate' })).toBeVisible();
  await expect(tom.page.locator('.room-meta')).toContainText('Facilitator: Quinn Tester');
  await expect(facilitatorTools(tom.page)).toHaveCount(0);
  await expect(poker(tom.page).getByRole('button', { name: /Commit estimate|Re-vote/ })).toHaveCount(0);
  await expect(page.locator('.room-meta')).toContainText('Facilitator: Quinn Tester');
  await expect(facilitatorTools(page).getByRole('button', { name: 'End session…' })).toBeVisible();

  // Quinn, now facilitating, commits the estimate: the room goes back to refining.
  await poker(quinn.page).getByLabel('Estimate to commit (points)').fill('5');
  await poker(quinn.page).getByRole('button', { name: 'Commit estimate' }).click();
  for (const p of [owner, tom, quinn]) await expect(currentPhase(p.page)).toContainText('Refining');
  await expectNoSeriousA11yViolations(quinn.page);
  for (const p of [owner, tom, quinn]) await p.context.close();
});

test('the item page lists its acceptance criteria as they are typed, for everyone on it', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const product = await demoCopy(request, { backlog: false });
  const owner = await signedIn(browser, demo.owner);
  const tom = await signedIn(browser, demo.teamMembers[0]);
  const page = owner.page;
  await openProduct(page, product.productId, product.name);
  const title = `Live criteria ${unique()}`;
  await addItemOnBacklog(page, title);
  await page.getByRole('link', { name: title }).first().click();
  await page.waitForURL(/\/items\/[0-9a-f-]{36}$/);
  await tom.page.goto(page.url());
  const summary = (p: Page) => p.getByRole('region', { name: 'Acceptance criteria', exact: true });
  const editor = (p: Page) => p.getByRole('textbox', { name: 'Acceptance criteria (Gherkin)' });
  for (const p of [page, tom.page])
    await expect(summary(p).getByRole('heading', { level: 3 })).toHaveText('No criteria yet');

  await editor(page).click();
  await page.keyboard.type('Scenario: Book a slot');
  for (const line of ['Given a free slot', 'When I book it', 'Then it is mine']) {
    await page.keyboard.press('Enter');
    await page.keyboard.type(line);
  }
  // The editor and the summary say the same, on both screens, without a reload.
  for (const p of [page, tom.page]) {
    await expect(p.locator('.criteria-status')).toHaveText('Valid Gherkin: 1 scenario.');
    await expect(summary(p).getByRole('heading', { level: 3 })).toHaveText('1 criterion');
    await expect(summary(p).getByRole('listitem')).toContainText('Scenario: Book a slot');
    await expect(summary(p).getByRole('listitem')).toContainText('3 steps');
  }
  // A line that does not parse: the summary keeps the last valid criteria and says so.
  await page.keyboard.press('Enter');
  await page.keyboard.type('Nonsense that is not a step');
  for (const p of [page, tom.page]) {
    await expect(summary(p)).toContainText(
      'The criteria being written do not parse yet: these are the last valid ones.',
    );
    await expect(summary(p).getByRole('heading', { level: 3 })).toHaveText('1 criterion');
  }
  await expectNoSeriousA11yViolations(tom.page);
  for (const p of [owner, tom]) await p.context.close();
});
