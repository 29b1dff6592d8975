import { expect, type Page, test } from '@playwright/test';
import { demoCopy } from './demo-copy';
import {
  demo,
  expectNoSeriousA11yViolations,
  joinRoom,
  newRefinementSession,
  signedIn,
  unique,
} from './fixtures';

// Issue 13, item 2: when the facilitator opens a poker round, the team sees the deck at the top of the room (no
// scrolling, past the Definition of Ready, description and criteria), with a banner naming the item; everyone
// sees who the round still waits for, by name; the facilitator nudges them and the nudged person's room says so.
// Cards are played by keyboard. Three browsers: the product owner (facilitator) and two team members.

const poker = (page: Page) => page.getByRole('region', { name: 'Planning poker' });
const deckOf = (page: Page) => poker(page).getByRole('toolbar', { name: /Your card/ });
const waiting = (page: Page) => poker(page).getByRole('list', { name: 'Waiting for:' });

test('a round opens at the top of the room, names who has not voted, and the nudge reaches them', async ({
  browser,
  request,
}) => {
  test.setTimeout(300_000);
  const { productId } = await demoCopy(request);
  const owner = await signedIn(browser, demo.owner);
  const tom = await signedIn(browser, demo.teamMembers[0]);
  const quinn = await signedIn(browser, demo.teamMembers[1]);

  // The product owner creates a refinement session on the top of a copy of the demo backlog (long texts, a DoR).
  const page = owner.page;
  const room = await newRefinementSession(page, productId, `Estimating ${unique()}`);
  await joinRoom([owner, tom, quinn], room, (p) => expect(poker(p)).toContainText('No round yet'));
  const itemTitle = (await page.locator('#current-title').textContent())?.trim() ?? '';
  expect(itemTitle).not.toBe('');

  // Tom is reading further down the page when the round opens.
  await tom.page.mouse.wheel(0, 2000);
  await page.getByRole('button', { name: 'Start round' }).click();

  // Everyone: the banner names the item, and the deck is in the first viewport.
  for (const p of [owner, tom, quinn]) {
    await expect(poker(p.page)).toContainText(`Estimating: ${itemTitle}`);
    await expect(deckOf(p.page)).toBeVisible();
  }
  // Nobody scrolls: the whole deck is inside the window for everyone, Tom included, who had scrolled away (the
  // room brings an open round into view when its deck is out of sight).
  for (const p of [owner, tom, quinn]) {
    await expect
      .poll(async () => {
        const box = await deckOf(p.page).boundingBox();
        return box !== null && box.y >= 0 && box.y + box.height <= p.page.viewportSize()!.height;
      })
      .toBe(true);
  }
  // Screen readers hear it open.
  await expect(tom.page.locator('p[aria-live="polite"]', { hasText: `Estimating ${itemTitle}` })).toHaveCount(
    1,
  );

  // Everyone sees who the round waits for, by name.
  for (const p of [owner, tom, quinn]) {
    for (const name of ['Olivia Owner', 'Tomás Developer', 'Quinn Tester'])
      await expect(waiting(p.page)).toContainText(name);
  }

  // Tom plays by keyboard: one tab stop for the deck, arrows move, Enter plays.
  await deckOf(tom.page).getByRole('button', { name: '0', exact: true }).focus();
  await tom.page.keyboard.press('ArrowRight');
  await tom.page.keyboard.press('ArrowRight');
  await expect(deckOf(tom.page).getByRole('button', { name: '2', exact: true })).toBeFocused();
  await tom.page.keyboard.press('Enter');
  await expect(poker(tom.page)).toContainText('You voted 2');
  await expect(deckOf(tom.page).getByRole('button', { name: '2', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  for (const p of [owner, tom, quinn]) {
    await expect(waiting(p.page)).not.toContainText('Tomás Developer');
    await expect(waiting(p.page)).toContainText('Quinn Tester');
    // The waiting list names people, never a card.
    await expect(waiting(p.page)).not.toContainText('2');
  }
  // Only the facilitator may nudge.
  for (const p of [tom, quinn])
    await expect(poker(p.page).getByRole('button', { name: 'Nudge who has not voted' })).toHaveCount(0);

  // The product owner votes, then nudges Quinn; Quinn's room asks for a card, Tom's does not.
  await deckOf(page).getByRole('button', { name: '5', exact: true }).click();
  await expect(poker(page)).toContainText('You voted 5');
  await expect(waiting(page)).not.toContainText('Olivia Owner');
  await poker(page).getByRole('button', { name: 'Nudge who has not voted' }).click();
  const notice = poker(quinn.page).getByRole('alert');
  await expect(notice).toHaveText('The facilitator is waiting for your card: pick one below.');
  await expect(poker(tom.page).getByRole('alert')).toHaveCount(0);
  await expect(poker(page).getByRole('alert')).toHaveCount(0);
  await expect(waiting(page)).toContainText('reminded');
  await expectNoSeriousA11yViolations(quinn.page);
  await expectNoSeriousA11yViolations(page);

  // Quinn plays by keyboard from the deck's tab stop; the notice goes, the list empties.
  await deckOf(quinn.page).getByRole('button', { name: '0', exact: true }).focus();
  await quinn.page.keyboard.press('End');
  await quinn.page.keyboard.press('ArrowLeft');
  await quinn.page.keyboard.press('Space');
  await expect(poker(quinn.page)).toContainText('You voted');
  await expect(notice).toHaveCount(0);
  for (const p of [owner, tom, quinn]) await expect(poker(p.page)).toContainText('Nobody left to vote.');
  await expectNoSeriousA11yViolations(tom.page);
  for (const p of [owner, tom, quinn]) await p.context.close();
});
