import { type APIRequestContext, type Browser, expect, type Page, test } from '@playwright/test';
import { api } from './api-fixtures';
import { demoCopy } from './demo-copy';
import { demo, expectNoSeriousA11yViolations, logIn, unique } from './fixtures';

// Issue 13, item 5: refinement has guests. The facilitator (the product owner) shares the room's guest link; a
// guest in a fresh browser, without an account, follows the current item's text as the team types it and the poker
// round (who has voted, never a card before the reveal), raises a hand by keyboard (the facilitator sees it), asks a
// question (shown as text), and plays a card once the facilitator lets guests estimate. Three browsers.

const criteria = `Feature: Booking
  Scenario: Book a free slot
    Given a free slot
    When I book it
    Then it is mine`;

/** A refinement on a copy of the demo product with one new story of its own, made through the API. */
async function refinementSession(request: APIRequestContext) {
  const { token, productId } = await demoCopy(request);
  const product = { id: productId };
  const title = `Book from a phone ${unique().slice(-4)}`;
  const item = await api(request, token, 'POST', `/products/${product.id}/items`, {
    title,
    description: 'As a patient I want to book from my phone',
    criteria,
  });
  const session = await api(request, token, 'POST', `/products/${product.id}/sessions`, {
    title: `Refinement with guests ${unique().slice(-4)}`,
    agenda: [item.id],
  });
  return { room: `/products/${product.id}/sessions/${session.id}`, title };
}

async function member(browser: Browser, email: string, room: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, email, demo.password);
  await page.goto(room);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Planning poker' })).toBeVisible();
  return { context, page };
}

const poker = (page: Page) => page.getByRole('region', { name: 'Planning poker' });
const deckOf = (page: Page) => poker(page).getByRole('toolbar', { name: /Your card/ });
const description = (page: Page) => page.getByRole('textbox', { name: 'Description', exact: true });

test('a guest follows a refinement live, raises a hand, asks a question and estimates once let', async ({
  browser,
  request,
}) => {
  test.setTimeout(240_000);
  const { room, title } = await refinementSession(request);
  const owner = await member(browser, demo.owner, room);
  const po = owner.page;

  // The guest link: an absolute URL in the room, copied by keyboard.
  const guests = po.getByRole('region', { name: 'Guests' });
  const linkField = guests.getByLabel('Guest link', { exact: true });
  const link = await linkField.inputValue();
  expect(link).toMatch(/^https?:\/\/[^/]+\/join\/[\w-]+$/);
  await linkField.focus();
  await po.keyboard.press('Tab');
  await expect(guests.getByRole('button', { name: 'Copy', exact: true })).toBeFocused();
  await po.keyboard.press('Enter');
  await expect(guests.getByText('Copied to the clipboard.')).toBeVisible();
  await expectNoSeriousA11yViolations(po);

  const tom = await member(browser, demo.teamMembers[0], room);

  // The guest joins in a fresh browser, without an account.
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await guest.goto(link);
  await expect(
    guest.getByText(/^You will follow the refinement live: .* the facilitator may let guests estimate\./),
  ).toBeVisible();
  await guest.getByLabel('Your name').fill('Ana (clinic lead)');
  await guest.getByRole('button', { name: 'Join the session' }).click();
  await guest.waitForURL(/\/guest\/[0-9a-f-]{36}\/room$/);
  await expect(guest.getByRole('heading', { name: title })).toBeVisible();
  await expect(description(guest)).toContainText('As a patient I want to book from my phone');
  await expect(
    guest.getByRole('textbox', { name: 'Acceptance criteria (Gherkin)', exact: true }),
  ).toContainText('Scenario: Book a free slot');
  // Read-only, and no link to an item page the guest could not open.
  await expect(description(guest)).toHaveAttribute('contenteditable', 'false');
  await expect(guest.getByRole('link', { name: title })).toHaveCount(0);
  await expect(guests.getByRole('list', { name: 'Guests in the room' })).toContainText('Ana (clinic lead)');
  await expectNoSeriousA11yViolations(guest);

  // Tom types; the guest's text follows without a reload.
  await guest.evaluate(() => {
    (window as unknown as { stillHere: boolean }).stillHere = true;
  });
  await description(tom.page).click();
  await tom.page.keyboard.press('End');
  await tom.page.keyboard.type(' and see my next slot');
  await expect(description(guest)).toContainText('from my phone and see my next slot');

  // A round opens: the guest sees it and who has voted, never the card.
  await po.getByRole('button', { name: 'Start round' }).click();
  await expect(poker(guest)).toContainText(`Estimating: ${title}`);
  await expect(deckOf(guest)).toHaveCount(0);
  await deckOf(tom.page).getByRole('button', { name: '5', exact: true }).click();
  await expect(poker(tom.page)).toContainText('You voted 5');
  const ticks = poker(guest).getByRole('list', { name: 'Who has voted' });
  await expect(ticks.getByRole('listitem').filter({ hasText: 'Tomás Developer' })).toContainText('voted');
  await expect(ticks.getByRole('listitem').filter({ hasText: 'Tomás Developer' })).not.toContainText('5');

  // The guest raises a hand by keyboard; the facilitator sees it, and lowers it.
  const hand = guest.getByRole('button', { name: 'Raise your hand' });
  await hand.focus();
  await guest.keyboard.press('Enter');
  await expect(guest.getByRole('button', { name: 'Lower your hand' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  const hands = po.getByRole('list', { name: 'Raised hands' });
  await expect(hands).toContainText('Ana (clinic lead)');
  await expect(tom.page.getByRole('list', { name: 'Raised hands' })).toContainText('Ana (clinic lead)');

  // A question with markup: everyone reads it as the text typed.
  const question = 'Does it <b>work</b> on an old phone?';
  await guest.getByLabel('Ask a question').fill(question);
  await guest.getByRole('button', { name: 'Add question' }).click();
  const questions = po.getByRole('list', { name: 'Open questions' });
  await expect(questions).toContainText(question);
  await expect(questions).toContainText('Ana (clinic lead)');
  await expect(questions.locator('b')).toHaveCount(0);

  await hands.getByRole('button', { name: 'Lower Ana (clinic lead)’s hand' }).click();
  await expect(guest.getByRole('button', { name: 'Raise your hand' })).toHaveAttribute(
    'aria-pressed',
    'false',
  );

  // The facilitator lets guests estimate: the guest gets the deck and plays; the card counts, unseen until the reveal.
  await guests.getByLabel('Let guests estimate').check();
  await expect(deckOf(guest)).toBeVisible();
  await deckOf(guest).getByRole('button', { name: '8', exact: true }).click();
  await expect(poker(guest)).toContainText('You voted 8');
  const poTicks = poker(po).getByRole('list', { name: 'Who has voted' });
  await expect(poTicks.getByRole('listitem').filter({ hasText: 'Ana (clinic lead)' })).toContainText('voted');
  await expect(poker(po)).not.toContainText('8 votes');
  await expectNoSeriousA11yViolations(guest);

  await poker(po).getByRole('button', { name: 'Reveal cards' }).click();
  for (const page of [po, tom.page, guest]) {
    const cards = poker(page).getByRole('list', { name: 'Cards played in round 1' });
    await expect(cards.getByRole('listitem').filter({ hasText: 'Ana (clinic lead)' })).toContainText(
      '1 vote',
    );
    await expect(cards).toContainText('Tomás Developer');
  }
  expect(await guest.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  await expectNoSeriousA11yViolations(guest);
  await guestContext.close();
  await tom.context.close();
  await owner.context.close();
});
