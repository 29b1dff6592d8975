import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import {
  addItemOnBacklog,
  createProduct,
  expectNoSeriousA11yViolations,
  newUser,
  signUp,
  submitSignUp,
  unique,
} from './fixtures';

// A refinement session in three browsers at once: the product owner (facilitator), a developer and a stakeholder.
// Everything the room shows of the others arrives live (no reload); nobody sees another's card before the reveal;
// the estimate and the split land in the backlog; the ended session is read-only and its summary says what changed.

interface Person {
  context: BrowserContext;
  page: Page;
  name: string;
}

async function inviteLink(
  page: Page,
  productId: string,
  role: 'Team member' | 'Stakeholder',
): Promise<string> {
  await page.goto(`/products/${productId}/invites`);
  await page.getByLabel('Role', { exact: true }).selectOption({ label: role });
  await page.getByRole('button', { name: 'Create invite link' }).click();
  const field = page.getByLabel(`Invite link for a ${role.toLowerCase()}`);
  await expect(field).toHaveValue(/\/invites\/[^/]+$/);
  return field.inputValue();
}

/** A new person signs up from an invite link in a browser of their own and joins the product. */
async function joinByInvite(
  browser: Browser,
  link: string,
  productName: string,
  prefix: string,
  name: string,
): Promise<Person> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const user = { ...newUser(prefix), name };
  await page.goto(link);
  await page.getByRole('main').getByRole('link', { name: 'Sign up' }).click();
  await submitSignUp(page, user);
  await expect(page).toHaveURL(link);
  await page.getByRole('button', { name: `Join ${productName}` }).click();
  await page.waitForURL(/\/products\/[^/]+$/);
  return { context, page, name: user.name };
}

const poker = (page: Page) => page.getByRole('region', { name: 'Planning poker' });
const people = (page: Page) => page.getByRole('region', { name: 'People' });
const agenda = (page: Page) => page.getByRole('region', { name: 'Agenda' });
const voteTicks = (page: Page) => poker(page).getByRole('list', { name: 'Who has voted' });

/**
 * What the poker panel and the participant list say, without the deck of cards (whose buttons carry every value):
 * this is where another person's card would show if it leaked. (People's names here have no digits.)
 */
async function visibleVotes(page: Page): Promise<string> {
  const texts = await Promise.all(
    [poker(page), people(page).getByRole('list', { name: 'Participants' })].map((region) =>
      region.evaluate((el) => {
        const copy = el.cloneNode(true) as HTMLElement;
        // The cards one may play, and the decks one may open the next round with, are not votes.
        for (const deck of copy.querySelectorAll('[role="toolbar"], select')) deck.remove();
        return copy.textContent ?? '';
      }),
    ),
  );
  return texts.join(' ');
}

/** A card value as a whole number in a text ("3" but not the 3 in "13" or "0–3"). */
const shows = (text: string, value: string) => new RegExp(`(^|[^0-9])${value}([^0-9]|$)`).test(text);

test('a refinement session: join, secret votes, reveal, commit, split, end and summary, in three browsers', async ({
  page,
  browser,
  baseURL,
}) => {
  // One long scenario in three browsers; generous, as CI machines are often busy.
  test.setTimeout(420_000);

  // The product owner sets up a product: a Definition of Ready, three stories, a developer and a stakeholder.
  const owner = await signUp(page, { ...newUser('owner'), name: 'Petra Owner' });
  const productName = `Payments ${unique()}`;
  const productId = await createProduct(page, productName);
  await page.goto(`/products/${productId}/settings`);
  const dor = page.getByRole('form', { name: 'Definition of Ready' });
  await dor.getByLabel('Definition of Ready, new line').nth(0).fill('Acceptance criteria are written');
  await dor.getByLabel('Definition of Ready, new line').nth(1).fill('The team has estimated it');
  await dor.getByRole('button', { name: 'Save the Definition of Ready' }).click();
  await expect(page.getByText('Definition of Ready saved', { exact: false })).toBeVisible();
  await page.goto(`/products/${productId}`);
  for (const title of ['Pay by card', 'Pay by invoice', 'Refund a payment'])
    await addItemOnBacklog(page, title);
  const devLink = await inviteLink(page, productId, 'Team member');
  const stakeholderLink = await inviteLink(page, productId, 'Stakeholder');
  const dev = await joinByInvite(browser, devLink, productName, 'dev', 'Dana Developer');
  const watcher = await joinByInvite(browser, stakeholderLink, productName, 'stakeholder', 'Sven Sponsor');
  const po: Person = { context: page.context(), page, name: owner.name };

  // The Sessions tab: empty, with the product owner's form; the agenda is picked from the backlog.
  await page.goto(`/products/${productId}`);
  await page.getByRole('navigation', { name: 'Product' }).getByRole('link', { name: 'Sessions' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Sessions' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No sessions yet: plan the first meeting' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  const form = page.getByRole('form', { name: 'New refinement session' });
  await form.getByLabel('Title', { exact: true }).fill('Payments refinement');
  const options = form.getByRole('list', { name: 'Backlog items for the agenda' });
  // The top items that are not ready are ticked to start with; the filter narrows the list.
  await expect(options.getByLabel('Pay by card')).toBeChecked();
  await form.getByLabel('Filter the backlog items').fill('refund');
  await expect(options.getByRole('checkbox')).toHaveCount(1);
  await options.getByLabel('Refund a payment').uncheck();
  await form.getByLabel('Filter the backlog items').fill('');
  await expect(form.getByText('2 items on the agenda')).toBeVisible();
  await expect(form.getByLabel('Facilitator')).toHaveValue(/.+/);
  await form.getByRole('button', { name: 'Create session and open the room' }).click();
  await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
  const room = new URL(page.url()).pathname;

  // Everyone joins: the developer estimates, the stakeholder can only watch. The session is planned until the
  // first person joins; from then on it is running everywhere, though the room is still in its lobby.
  await expect(page.getByRole('heading', { level: 2, name: 'Payments refinement' })).toBeVisible();
  await expect(page.locator('.room-meta .state-badge')).toHaveText('Planned');
  await expect(page.getByText('the session starts when the first person joins')).toBeVisible();
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(people(page).getByRole('list', { name: 'Participants' })).toContainText(owner.name);
  await expect(page.locator('.room-meta .state-badge')).toHaveText('Running');
  const sessionsList = await po.context.newPage();
  await sessionsList.goto(`/products/${productId}/sessions`);
  await expect(sessionsList.getByRole('row').filter({ hasText: 'Payments refinement' })).toContainText(
    'Running · Lobby',
  );
  await sessionsList.close();
  await dev.page.goto(room);
  await expect(dev.page.locator('.room-meta .state-badge')).toHaveText('Running');
  await expect(dev.page.getByText('The session is running.')).toBeVisible();
  await dev.page.getByRole('button', { name: 'Join', exact: true }).click();
  await watcher.page.goto(room);
  await expect(watcher.page.getByRole('button', { name: 'Join', exact: true })).toHaveCount(0);
  await watcher.page.getByRole('button', { name: 'Join as spectator' }).click();
  for (const p of [po, dev, watcher]) {
    const list = people(p.page).getByRole('list', { name: 'Participants' });
    await expect(list.getByRole('listitem')).toHaveCount(3);
    await expect(list.getByRole('listitem').filter({ hasText: watcher.name })).toContainText('watching');
    // Presence: everyone is here now (awareness of the session's live document).
    await expect(people(p.page).getByText('3 of 3 here')).toBeVisible();
    await expect(p.page.locator('.live-status:not(.live-text *)')).toHaveText(/: Live$/);
  }
  await expectNoSeriousA11yViolations(page);

  // The facilitator moves the room to Refining and starts the time-box; everyone sees it.
  await page.getByRole('button', { name: /Refining/ }).click();
  for (const p of [dev, watcher])
    await expect(p.page.locator('.room-meta .state-badge')).toHaveText('Running');
  await page.getByRole('button', { name: 'Start 10 min' }).click();
  for (const p of [dev, watcher]) await expect(p.page.getByRole('timer')).toHaveText(/^(10:00|9:[0-5]\d)$/);

  // The Definition of Ready is ticked live by the team; the stakeholder sees it read-only.
  await dev.page.getByLabel('Acceptance criteria are written').check();
  await expect(page.getByLabel('Acceptance criteria are written')).toBeChecked();
  await expect(watcher.page.getByRole('list', { name: 'Definition of Ready checklist' })).toContainText(
    'Met: Acceptance criteria are written',
  );
  await expect(
    watcher.page.getByRole('list', { name: 'Definition of Ready checklist' }).getByRole('checkbox'),
  ).toHaveCount(0);

  // The product owner and the developer write the story's description at the same time, in the room: each sees the
  // other's text and named caret; the stakeholder sees the text and cannot type.
  const description = (p: typeof page) => p.getByRole('textbox', { name: 'Description', exact: true });
  const poText = 'Patients pick a slot and pay the deposit.';
  const devText = 'Slots are held for ten minutes.';
  await description(page).click();
  await description(dev.page).click();
  await Promise.all([
    page.keyboard.type(poText, { delay: 20 }),
    dev.page.keyboard.type(devText, { delay: 20 }),
  ]);
  for (const p of [po, dev, watcher]) {
    await expect(description(p.page)).toContainText(poText);
    await expect(description(p.page)).toContainText(devText);
  }
  await expect(page.locator('.description-editor .live-caret-label', { hasText: dev.name })).toBeVisible();
  await expect(dev.page.locator('.description-editor .live-caret-label', { hasText: po.name })).toBeVisible();
  await expect(description(watcher.page)).toHaveAttribute('aria-readonly', 'true');
  await description(watcher.page).click();
  await watcher.page.keyboard.type('stakeholder was here');
  await expect(description(page)).not.toContainText('stakeholder was here');
  await expect(description(watcher.page)).not.toContainText('stakeholder was here');

  // Round 1: secret votes. The developer plays 13 by keyboard, the product owner 3 by mouse.
  await page.getByRole('button', { name: 'Start round' }).click();
  const deck = dev.page.getByRole('toolbar', { name: /Your card/ });
  await expect(deck).toBeVisible();
  await expect(watcher.page.getByRole('toolbar')).toHaveCount(0);
  await expect(poker(watcher.page)).toContainText('You are watching');
  // A vote reaches the other rooms through the live document: they do not reload their data for it.
  const watcherReloads: string[] = [];
  const countReload = (request: { url(): string }) => {
    if (request.url().includes('_data=')) watcherReloads.push(request.url());
  };
  watcher.page.on('request', countReload);
  await deck.getByRole('button', { name: '0', exact: true }).focus();
  for (let i = 0; i < 6; i++) await dev.page.keyboard.press('ArrowRight');
  await expect(deck.getByRole('button', { name: '13', exact: true })).toBeFocused();
  await dev.page.keyboard.press('Enter');
  await expect(poker(dev.page)).toContainText('You voted 13');
  await expect(deck.getByRole('button', { name: '13', exact: true })).toHaveAttribute('aria-pressed', 'true');
  // The tick appears live for the others, without the value.
  await expect(voteTicks(page).getByRole('listitem').filter({ hasText: dev.name })).toContainText('voted');
  await expect(voteTicks(watcher.page).getByRole('listitem').filter({ hasText: dev.name })).toHaveClass(
    /has-voted/,
  );
  watcher.page.off('request', countReload);
  expect(watcherReloads).toEqual([]);
  await poker(page)
    .getByRole('toolbar', { name: /Your card/ })
    .getByRole('button', { name: '3', exact: true })
    .click();
  await expect(poker(page)).toContainText('You voted 3');
  for (const p of [po, dev, watcher]) await expect(poker(p.page)).toContainText('2 of 2 voted');
  // Nobody sees another's card before the reveal, the facilitator included.
  expect(shows(await visibleVotes(page), '13')).toBe(false);
  expect(shows(await visibleVotes(dev.page), '3')).toBe(false);
  const watcherView = await visibleVotes(watcher.page);
  expect(shows(watcherView, '13') || shows(watcherView, '3')).toBe(false);

  // The reveal: everyone sees the same cards, the statistics and the wide-spread flag.
  await page.getByRole('button', { name: 'Reveal cards' }).click();
  for (const p of [po, dev, watcher]) {
    const cards = poker(p.page).getByRole('list', { name: 'Cards played in round 1' });
    await expect(cards.getByRole('listitem')).toHaveCount(2);
    await expect(cards.getByRole('listitem').filter({ hasText: dev.name })).toContainText('13');
    await expect(cards.getByRole('listitem').filter({ hasText: owner.name })).toContainText('3');
    await expect(poker(p.page).getByText('Wide spread — discuss and re-vote.')).toBeVisible();
    await expect(poker(p.page).locator('.tally-stats')).toContainText('Mean8Median3Mode3, 13Votes2');
  }
  await expectNoSeriousA11yViolations(page);

  // Round 2 after the discussion: both play 5; round 1 is kept, collapsed. The facilitator commits 5.
  await page.getByRole('button', { name: 'Re-vote' }).click();
  await deck.getByRole('button', { name: '5', exact: true }).click();
  await poker(page).getByRole('button', { name: '5', exact: true }).click();
  await expect(poker(page)).toContainText('2 of 2 voted');
  await page.getByRole('button', { name: 'Reveal cards' }).click();
  await expect(poker(dev.page).getByRole('list', { name: 'Cards played in round 2' })).toContainText(
    '2 votes',
  );
  // Only the collapsed round 1 still carries the flag.
  await expect(poker(page).getByText('Wide spread — discuss and re-vote.')).toBeHidden();
  await expect(poker(page).locator('details summary')).toHaveText('Round 1 — median 3, mean 8, wide spread');
  await expect(page.getByLabel('Estimate to commit (points)')).toHaveValue('5');
  await page.getByRole('button', { name: 'Commit estimate' }).click();
  for (const p of [po, dev, watcher]) {
    await expect(poker(p.page)).toContainText('Committed: 5 points');
    await expect(agenda(p.page).getByRole('listitem').filter({ hasText: 'Pay by card' })).toContainText(
      '5 pts',
    );
  }

  // A refusal is shown next to its control: a bad estimate never makes an error page.
  await page.getByLabel('Estimate to commit (points)').fill('-4');
  await page.getByLabel('Estimate to commit (points)').evaluate((el) => el.removeAttribute('min'));
  await page.getByRole('button', { name: 'Commit estimate' }).click();
  await expect(poker(page).getByText('Estimate cannot be negative')).toBeVisible();
  const bad = await page.request.post(`${room}.data`, {
    headers: { Origin: baseURL! },
    form: { command: 'commitEstimate', estimate: 'lots' },
  });
  expect(bad.status()).toBe(400);
  expect(await bad.text()).toContain('Estimate must be a number');
  const unknown = await page.request.post(`${room}.data`, {
    headers: { Origin: baseURL! },
    form: { command: 'dropTables' },
  });
  expect(unknown.status()).toBe(400);
  const spectatorVote = await watcher.page.request.post(`${room}.data`, {
    headers: { Origin: baseURL! },
    form: { command: 'castEstimate', value: '8' },
  });
  expect(spectatorVote.status()).toBe(403);
  expect(await spectatorVote.text()).toContain('Spectators watch; they do not estimate');
  const devFacilitates = await dev.page.request.post(`${room}.data`, {
    headers: { Origin: baseURL! },
    form: { command: 'revealEstimates' },
  });
  expect(devFacilitates.status()).toBe(403);

  // Hands and questions: the developer raises a hand, the facilitator lowers it; the stakeholder asks.
  await dev.page.getByRole('button', { name: 'Raise your hand' }).click();
  await expect(people(page).getByRole('list', { name: 'Raised hands' })).toContainText(dev.name);
  await people(page)
    .getByRole('button', { name: `Lower ${dev.name}’s hand` })
    .click();
  await expect(dev.page.getByRole('button', { name: 'Raise your hand' })).toBeVisible();
  await watcher.page.getByLabel('Ask a question').fill('Do clinics in Spain need invoices in Spanish?');
  await watcher.page.getByRole('button', { name: 'Add question' }).click();
  await expect(page.getByRole('region', { name: 'Open questions' })).toContainText(
    'Do clinics in Spain need invoices in Spanish?',
  );
  await dev.page.getByLabel('Ask a question').fill('Which card brands at launch?');
  await dev.page.getByRole('button', { name: 'Add question' }).click();
  await page.getByRole('button', { name: 'Mark answered: Which card brands at launch?' }).click();
  for (const p of [po, dev, watcher]) {
    const questions = p.page.getByRole('region', { name: 'Open questions' });
    await expect(questions).toContainText('1 answered');
    await expect(questions).not.toContainText('Which card brands at launch?');
  }
  // Only the facilitator marks questions answered.
  await expect(dev.page.getByRole('button', { name: /^Mark answered/ })).toHaveCount(0);

  // Split: the developer sees only "below"; the product owner splits the story into two.
  await dev.page.getByText('Split into stories').click();
  await expect(dev.page.getByLabel('At the top of the backlog')).toHaveCount(0);
  await page.getByText('Split into stories').click();
  const split = page.getByRole('form', { name: 'Split “Pay by card” into stories' });
  await split
    .getByRole('group', { name: 'New story 1' })
    .getByLabel('Title')
    .fill('Pay by card: Visa and Mastercard');
  await split
    .getByRole('group', { name: 'New story 1' })
    .getByLabel(/Acceptance criteria/)
    .fill('Scenario: Pay\n  Given a booking\n  Whereupon it breaks');
  await split.getByRole('group', { name: 'New story 2' }).getByLabel('Title').fill('Pay by card: 3-D Secure');
  await split.getByRole('button', { name: 'Split into 2 stories' }).click();
  await expect(split.getByText(/Story 1: acceptance criteria do not parse at line 3/)).toBeVisible();
  await split
    .getByRole('group', { name: 'New story 1' })
    .getByLabel(/Acceptance criteria/)
    .fill(
      'Scenario: Pay by Visa\n  Given a booking to pay\n  When I pay with a Visa card\n  Then the booking is paid',
    );
  await split.getByRole('button', { name: 'Split into 2 stories' }).click();
  await expect(
    split.getByText('Split. The new stories are on the agenda right after this item.'),
  ).toBeVisible();
  for (const p of [po, dev, watcher]) {
    await expect(agenda(p.page).getByRole('listitem')).toHaveCount(4);
    await expect(agenda(p.page)).toContainText('Pay by card: Visa and Mastercard');
    await expect(agenda(p.page)).toContainText('Pay by card: 3-D Secure');
  }

  // The facilitator takes the room to the next item; everyone follows.
  await agenda(page)
    .getByRole('button', { name: /Pay by invoice/ })
    .click();
  for (const p of [po, dev, watcher])
    await expect(p.page.getByRole('heading', { level: 3, name: 'Pay by invoice' })).toBeVisible();

  // Switching one's own part during an open round, by keyboard. The developer plays 8, then steps back to
  // watching: the card is withdrawn unseen and the round no longer waits for them. The stakeholder cannot switch.
  await page.getByRole('button', { name: 'Start round' }).click();
  await deck.getByRole('button', { name: '8', exact: true }).click();
  await expect(poker(dev.page)).toContainText('You voted 8');
  for (const p of [po, dev, watcher]) await expect(poker(p.page)).toContainText('1 of 2 voted');
  await expect(people(watcher.page).getByRole('button', { name: /^Switch to/ })).toHaveCount(0);
  await expect(people(watcher.page)).toContainText('You are watching');
  await expect(people(dev.page)).toContainText(
    'Switching to watching withdraws your card from the open round.',
  );
  await people(dev.page).getByRole('button', { name: 'Switch to watching' }).focus();
  await dev.page.keyboard.press('Enter');
  await expect(people(dev.page).getByRole('button', { name: 'Switch to estimating' })).toBeFocused();
  await expect(dev.page.getByRole('toolbar', { name: /Your card/ })).toHaveCount(0);
  await expect(poker(dev.page)).toContainText('To play a card, switch to estimating under People.');
  for (const p of [po, dev, watcher]) {
    await expect(poker(p.page)).toContainText('0 of 1 voted');
    await expect(voteTicks(p.page).getByRole('listitem')).toHaveCount(1);
    await expect(
      people(p.page)
        .getByRole('list', { name: 'Participants' })
        .getByRole('listitem')
        .filter({ hasText: dev.name }),
    ).toContainText('watching');
    expect(shows(await visibleVotes(p.page), '8')).toBe(false);
  }
  // Back to estimating: the round waits for the developer again, whose withdrawn card is gone.
  await dev.page.keyboard.press('Enter');
  await expect(people(dev.page).getByRole('button', { name: 'Switch to watching' })).toBeFocused();
  await expect(poker(dev.page)).toContainText('Pick a card');
  for (const p of [po, dev, watcher]) await expect(poker(p.page)).toContainText('0 of 2 voted');
  await deck.getByRole('button', { name: '5', exact: true }).click();
  await poker(page).getByRole('button', { name: '5', exact: true }).click();
  await expect(poker(page)).toContainText('2 of 2 voted');
  await page.getByRole('button', { name: 'Reveal cards' }).click();
  for (const p of [po, dev, watcher]) {
    const cards = poker(p.page).getByRole('list', { name: 'Cards played in round 1' });
    await expect(cards.getByRole('listitem')).toHaveCount(1);
    await expect(cards).toContainText('2 votes');
    expect(shows(await visibleVotes(p.page), '8')).toBe(false);
  }

  // The backlog shows the new stories and the committed estimate.
  const backlog = await po.context.newPage();
  await backlog.goto(`/products/${productId}`);
  const list = backlog.getByRole('list', { name: 'Backlog in priority order' });
  await expect(
    list.getByRole('link', { name: 'Pay by card: Visa and Mastercard', exact: true }),
  ).toBeVisible();
  await expect(list.getByRole('link', { name: 'Pay by card: 3-D Secure', exact: true })).toBeVisible();
  const parent = list
    .locator('li[data-row-id]')
    .filter({ has: backlog.getByRole('link', { name: 'Pay by card', exact: true }) });
  await expect(parent.locator('.num').first()).toHaveText('5 points');
  await expect(parent.locator('.type')).toHaveText('Epic');
  await backlog.close();

  // The end, with a confirm step; every room turns read-only with a link to the summary.
  await page.getByRole('button', { name: 'End session…' }).click();
  await expect(page.getByRole('button', { name: 'End session', exact: true })).toBeFocused();
  await page.getByRole('button', { name: 'End session', exact: true }).click();
  for (const p of [po, dev, watcher]) {
    await expect(p.page.getByText('This session has ended')).toBeVisible();
    await expect(p.page.getByRole('button', { name: 'Raise your hand' })).toHaveCount(0);
    await expect(p.page.getByRole('button', { name: 'Start round' })).toHaveCount(0);
  }
  await dev.page.getByRole('link', { name: 'Read the summary' }).click();
  await expect(dev.page.getByRole('heading', { level: 2, name: 'Payments refinement' })).toBeVisible();
  const items = dev.page.getByRole('table');
  await expect(items.getByRole('row').filter({ hasText: 'Pay by card' }).first()).toContainText(
    /–\s*→\s*changed to\s*5/,
  );
  const newStories = dev.page.getByRole('region', { name: 'New stories' });
  await expect(newStories).toContainText('Pay by card: Visa and Mastercard (split from Pay by card)');
  await expect(newStories).toContainText('Pay by card: 3-D Secure');
  const openQuestions = dev.page.getByRole('region', { name: 'Open questions' });
  await expect(openQuestions).toContainText('Do clinics in Spain need invoices in Spanish?');
  await expect(openQuestions).toContainText('1 answered in the session.');
  const who = dev.page.getByRole('region', { name: 'Who took part' });
  await expect(who.getByRole('listitem')).toHaveCount(3);
  await expect(who.getByRole('listitem').filter({ hasText: watcher.name })).toContainText('(watching)');
  await expectNoSeriousA11yViolations(dev.page);

  // The Markdown download.
  const [download] = await Promise.all([
    dev.page.waitForEvent('download'),
    dev.page.getByRole('link', { name: 'Download as Markdown' }).click(),
  ]);
  // Browsers take the UTF-8 name (filename*); the ASCII slug is the fallback.
  expect(download.suggestedFilename()).toBe('Payments refinement summary.md');
  const markdown = await dev.page.request.get(`${room}/summary.md`);
  expect(markdown.headers()['content-type']).toBe('text/markdown; charset=utf-8');
  expect(markdown.headers()['content-disposition']).toMatch(
    /^attachment; filename="payments-refinement-summary\.md"/,
  );
  const text = await markdown.text();
  expect(text).toContain('# Payments refinement');
  expect(text).toContain('Pay by card: 3\\-D Secure');

  // The list shows the ended session with its people.
  await page.goto(`/products/${productId}/sessions`);
  const row = page.getByRole('row').filter({ hasText: 'Payments refinement' });
  await expect(row).toContainText('Ended');
  await expect(row).toContainText('3 participants');
  await expectNoSeriousA11yViolations(page);

  await dev.context.close();
  await watcher.context.close();
});
