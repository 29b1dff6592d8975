import { type APIRequestContext, type Browser, expect, type Page, test } from '@playwright/test';
import { type DemoCopy, demoCopy } from './demo-copy';
import {
  addItemOnBacklog,
  demo,
  expectNoSeriousA11yViolations,
  joinRoom,
  newRefinementSession,
  openProduct,
  signedIn,
  unique,
} from './fixtures';

// Issue 13, item 1: two and three people who start typing at the same moment, into an empty acceptance-criteria
// box and at the end of existing criteria, on the item page and in the refinement room. Each person's text must
// stay in one piece (never letters or words of two people interleaved), everyone must end with the same text,
// and lines that were valid Gherkin stay valid. The server gives every text its first paragraph before anyone
// can type (server/collab/item-text-extension.ts), so nobody's editor creates it on the first key.

const criteria = (page: Page) => page.getByRole('textbox', { name: 'Acceptance criteria (Gherkin)' });
/** The criteria's lines as text, without the other people's caret labels drawn inside them. */
const lines = (page: Page) =>
  criteria(page).evaluate((editor) =>
    [...editor.querySelectorAll('p')].map((p) => {
      const copy = p.cloneNode(true) as HTMLElement;
      for (const label of copy.querySelectorAll('[aria-hidden="true"], .collaboration-carets__caret'))
        label.remove();
      return copy.textContent ?? '';
    }),
  );

/** The three people of these tests, each in a browser of their own, on a product of the test's own. */
async function threePeople(browser: Browser, request: APIRequestContext) {
  const product = await demoCopy(request, { backlog: false });
  const [owner, tom, quinn] = await Promise.all(
    [demo.owner, ...demo.teamMembers].map((email) => signedIn(browser, email)),
  );
  return { product, owner, tom, quinn };
}

async function newItem(page: Page, product: DemoCopy, title: string) {
  await openProduct(page, product.productId, product.name);
  await addItemOnBacklog(page, title);
}

/**
 * Everyone clicks into the criteria and gets ready (`before`, one person after the other: a new line of one person
 * reaches everyone before the next takes theirs, as people in a meeting would see), then all type their own text at
 * once, key by key.
 */
async function typeAtOnce(people: Page[], texts: string[], before: (page: Page) => Promise<void>) {
  for (const page of people) {
    await criteria(page).click();
    await before(page);
    const count = (await lines(page)).length;
    for (const other of people) await expect.poll(async () => (await lines(other)).length).toBe(count);
  }
  await Promise.all(people.map((page, i) => page.keyboard.type(texts[i], { delay: 30 })));
}

/** The same text everywhere, each typed text whole; returns the lines. */
async function sameEverywhere(people: Page[], texts: string[]): Promise<string[]> {
  for (const page of people) for (const text of texts) await expect(criteria(page)).toContainText(text);
  const [first, ...rest] = people;
  await expect
    .poll(async () => new Set((await Promise.all(people.map(lines))).map((l) => JSON.stringify(l))).size)
    .toBe(1);
  for (const page of rest) expect(await lines(page)).toEqual(await lines(first));
  return lines(first);
}

/** Nobody's text split: every typed text is inside one line, whole. */
function eachWhole(found: string[], texts: string[]) {
  for (const text of texts)
    expect(
      found.some((line) => line.includes(text)),
      `"${text}" whole in ${JSON.stringify(found)}`,
    ).toBe(true);
}

async function emptyThenNonEmpty(people: Page[], names: string[]) {
  // Into the empty criteria, all at once: one shared first line, each text in one piece.
  const first = names.map((n) => `${n} types into the empty box`);
  await typeAtOnce(people, first, async () => {});
  const afterEmpty = await sameEverywhere(people, first);
  expect(afterEmpty.filter((l) => l.trim() !== '')).toHaveLength(1);
  eachWhole(afterEmpty, first);

  // Someone makes it a scenario; then everyone adds a step at the end at once: each step its own whole line.
  await criteria(people[0]).click();
  await people[0].keyboard.press('ControlOrMeta+a');
  await people[0].keyboard.insertText('Scenario: Book a slot');
  for (const page of people) await expect.poll(() => lines(page)).toEqual(['Scenario: Book a slot']);
  const steps = names.map((n, i) => `  ${i === 0 ? 'Given' : 'And'} ${n.toLowerCase()} adds a step`);
  await typeAtOnce(people, steps, async (page) => {
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.press('Enter');
  });
  const afterSteps = await sameEverywhere(
    people,
    steps.map((s) => s.trim()),
  );
  expect(afterSteps[0]).toBe('Scenario: Book a slot');
  for (const step of steps) expect(afterSteps.map((l) => l.trim())).toContain(step.trim());
  expect(afterSteps).toHaveLength(steps.length + 1);
  // Valid lines typed at once stay valid Gherkin, for everyone.
  for (const page of people) {
    await expect(page.locator('.criteria-ok')).toHaveText('Valid Gherkin: 1 scenario.');
    await expect(page.locator('.criteria-errors')).toHaveCount(0);
  }
}

test('item page: two, then three people type at once into empty and non-empty criteria without scrambling', async ({
  browser,
  request,
}) => {
  test.setTimeout(300_000);
  const { product, owner, tom, quinn } = await threePeople(browser, request);

  // Two people, a new item with empty criteria.
  const two = `Typed together ${unique()}`;
  await newItem(owner.page, product, two);
  await owner.page.getByRole('link', { name: two }).first().click();
  await expect(owner.page.getByRole('heading', { level: 2, name: two })).toBeVisible();
  const twoHref = new URL(owner.page.url()).pathname;
  for (const p of [owner, tom]) {
    if (p !== owner) await p.page.goto(twoHref);
    await expect(criteria(p.page)).toBeVisible({ timeout: 15_000 });
  }
  await emptyThenNonEmpty([owner.page, tom.page], ['Olivia', 'Tomas']);

  // Three people, another new item.
  const three = `Typed by three ${unique()}`;
  await newItem(owner.page, product, three);
  await owner.page.getByRole('link', { name: three }).first().click();
  await expect(owner.page.getByRole('heading', { level: 2, name: three })).toBeVisible();
  const threeHref = new URL(owner.page.url()).pathname;
  for (const p of [owner, tom, quinn]) {
    if (p !== owner) await p.page.goto(threeHref);
    await expect(criteria(p.page)).toBeVisible({ timeout: 15_000 });
  }
  await emptyThenNonEmpty([owner.page, tom.page, quinn.page], ['Olivia', 'Tomas', 'Quinn']);
  await expectNoSeriousA11yViolations(tom.page);
  for (const p of [owner, tom, quinn]) await p.context.close();
});

test('refinement room: three people type at once into the current item’s empty and non-empty criteria', async ({
  browser,
  request,
}) => {
  test.setTimeout(300_000);
  const { product, owner, tom, quinn } = await threePeople(browser, request);
  const title = `Room text ${unique()}`;
  await newItem(owner.page, product, title);

  // A refinement session whose only agenda item is the new one.
  const room = await newRefinementSession(
    owner.page,
    product.productId,
    `Co-editing ${unique()}`,
    async (form) => {
      const options = form.getByRole('list', { name: 'Backlog items for the agenda' });
      const ticked = options.getByRole('checkbox', { checked: true });
      while ((await ticked.count()) > 0) await ticked.first().uncheck();
      await form.getByLabel('Filter the backlog items').fill(title);
      await options.getByLabel(title).check();
      await form.getByLabel('Filter the backlog items').fill('');
      await expect(form.getByText('1 item on the agenda')).toBeVisible();
    },
  );
  await joinRoom([owner, tom, quinn], room, (page) => expect(criteria(page)).toBeVisible());
  await emptyThenNonEmpty([owner.page, tom.page, quinn.page], ['Olivia', 'Tomas', 'Quinn']);
  await expectNoSeriousA11yViolations(quinn.page);
  for (const p of [owner, tom, quinn]) await p.context.close();
});
