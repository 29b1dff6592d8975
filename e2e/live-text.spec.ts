import { expect, type Page, test } from '@playwright/test';
import { demoCopy } from './demo-copy';
import { demo, expectNoSeriousA11yViolations, openProduct, signedIn, unique } from './fixtures';

// Live co-editing of an item's description and acceptance criteria: the product owner and a team member type
// at once and see each other's text and named carets; a stakeholder follows read-only; a Gherkin error is shown
// at its line; the text survives a reload and reaches Postgres (the .feature download); axe on the pages.

const description = (page: Page) => page.getByRole('textbox', { name: 'Description', exact: true });
const criteria = (page: Page) => page.getByRole('textbox', { name: 'Acceptance criteria (Gherkin)' });
const liveStatus = (page: Page) => page.locator('.live-text .live-status');
const person = (page: Page, name: string) => page.locator('.live-text .presence', { hasText: name });

async function openLiveText(page: Page, href: string) {
  await page.goto(href);
  await expect(liveStatus(page)).toContainText('Live');
  await expect(description(page)).toBeVisible();
}

test('two people type into the same description at once, a stakeholder follows read-only, Gherkin errors show their line', async ({
  browser,
  request,
}) => {
  // Generous: three browsers and two axe runs on a small, often busy machine.
  test.setTimeout(300_000);
  const product = await demoCopy(request);
  const owner = await signedIn(browser, demo.owner);
  const team = await signedIn(browser, demo.teamMembers[0]);
  const watcher = await signedIn(browser, demo.stakeholders[0]);
  const a = owner.page;
  const b = team.page;
  const s = watcher.page;

  // A fresh item on a product of this test's own.
  await openProduct(a, product.productId, product.name);
  const title = `Live text ${unique()}`;
  await a.getByText('New item').click();
  await a.getByLabel('Title', { exact: true }).fill(title);
  await a.getByRole('button', { name: 'Add item' }).click();
  await a.getByRole('link', { name: title }).click();
  await expect(a.getByRole('heading', { level: 2, name: title })).toBeVisible();
  const itemHref = new URL(a.url()).pathname;
  await expect(liveStatus(a)).toContainText('Live');
  await openLiveText(b, itemHref);
  await openLiveText(s, itemHref);

  // Everyone sees who is here.
  for (const page of [a, b, s]) {
    await expect(person(page, 'Olivia Owner')).toBeVisible();
    await expect(person(page, 'Tomás Developer')).toBeVisible();
    await expect(person(page, 'Sam Stakeholder')).toBeVisible();
  }
  await expect(person(a, 'Olivia Owner')).toContainText('(you)');

  // Both type at the same time.
  const olivias = 'Olivia writes the goal.';
  const tomas = 'Tomás adds the constraint.';
  await description(a).click();
  await description(b).click();
  await Promise.all([a.keyboard.type(olivias, { delay: 25 }), b.keyboard.type(tomas, { delay: 25 })]);
  for (const page of [a, b, s]) {
    await expect(description(page)).toContainText(olivias);
    await expect(description(page)).toContainText(tomas);
  }
  // Each sees the other's named caret, and that the other is typing (cleared after about 2 s idle).
  await expect(
    a.locator('.description-editor .live-caret-label', { hasText: 'Tomás Developer' }),
  ).toBeVisible();
  await expect(b.locator('.description-editor .live-caret-label', { hasText: 'Olivia Owner' })).toBeVisible();
  await b.keyboard.type(' More.', { delay: 40 });
  await expect(person(a, 'Tomás Developer')).toContainText('typing in the description');
  await expect(person(a, 'Tomás Developer')).toContainText('in the description');
  await expect(person(a, 'Tomás Developer')).not.toContainText('typing', { timeout: 6_000 });

  // Rich text: a bulleted list from the toolbar.
  await a.keyboard.press('ControlOrMeta+End');
  await a.keyboard.press('Enter');
  await a.getByRole('button', { name: 'Bulleted list' }).click();
  await a.keyboard.type('Works on a phone');
  await expect(b.locator('.description-editor ul li')).toContainText('Works on a phone');

  // The stakeholder sees everything and cannot change it.
  await expect(s.getByText('You see the text as it is written, but cannot change it.')).toBeVisible();
  await expect(person(a, 'Sam Stakeholder')).toContainText('following');
  await expect(description(s)).toHaveAttribute('contenteditable', 'false');
  await expect(description(s)).toHaveAttribute('aria-readonly', 'true');
  await expect(s.getByRole('toolbar')).toHaveCount(0);
  await expect(s.locator('.description-editor ul li')).toContainText('Works on a phone');
  await description(s).click();
  await s.keyboard.type('Forged by Sam');
  await expect(description(s)).not.toContainText('Forged');

  // A Gherkin error is shown at its line, for everyone, while it is typed.
  await criteria(b).click();
  for (const [index, line] of [
    'Scenario: Book online',
    '  Given a free slot',
    '  this line is not Gherkin',
  ].entries()) {
    if (index > 0) await b.keyboard.press('Enter');
    await b.keyboard.insertText(line);
  }
  for (const page of [b, a]) {
    await expect(page.locator('.criteria-errors')).toContainText('Line 3:');
    await expect(page.locator('.criteria-errors')).toContainText('this line is not Gherkin');
    await expect(page.locator('.criteria-error-line')).toContainText('this line is not Gherkin');
    await expect(page.locator('.criteria-error-line')).toHaveCount(1);
  }
  await expect(criteria(b)).toHaveAttribute('aria-invalid', 'true');
  await expect(a.locator('.criteria-editor .live-caret-label', { hasText: 'Tomás Developer' })).toBeVisible();
  await a.locator('.live-text').screenshot({ path: test.info().outputPath('live-text-owner.png') });
  await expectNoSeriousA11yViolations(a);

  // Fixed: the line becomes a step.
  await b.keyboard.press('Shift+Home');
  await b.keyboard.insertText('  Then it is booked');
  await expect(b.locator('.criteria-ok')).toHaveText('Valid Gherkin: 1 scenario.');
  await expect(a.locator('.criteria-error-line')).toHaveCount(0);

  // Stored in Postgres (the .feature download reads the item's row) once the edits are stored.
  await expect
    .poll(async () => (await a.request.get(`${itemHref}/feature`)).text(), { timeout: 15_000 })
    .toContain('Then it is booked');

  // After a reload the text is still there.
  await a.reload();
  await expect(liveStatus(a)).toContainText('Live');
  await expect(description(a)).toContainText(olivias);
  await expect(description(a)).toContainText(tomas);
  await expect(criteria(a)).toContainText('Then it is booked');
  await expect(a.getByRole('list', { name: '1 criterion' })).toBeVisible();

  await s.locator('.live-text').screenshot({ path: test.info().outputPath('live-text-stakeholder.png') });
  await expectNoSeriousA11yViolations(s);
  for (const context of [owner.context, team.context, watcher.context]) await context.close();
});
