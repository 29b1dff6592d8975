import { expect, type Page, test } from '@playwright/test';
import { api, ownerToken, tokenOf } from './api-fixtures';
import { demo, expectNoSeriousA11yViolations, signedIn, unique } from './fixtures';

// Three amigos (issue 18 part 3): the product owner, a developer (Tom) and a tester (Quinn) on one story, each in
// their own browser. The tester adds a case the criteria miss and the others see it appear in the criteria, live;
// the developer records a question; all three mark a shared understanding; the session ends; the story's page says
// the three amigos were held, and with whom. The product is the spec's own, made through the API.

const criteria = (page: Page) => page.getByRole('textbox', { name: 'Acceptance criteria (Gherkin)' });
const understanding = (page: Page) => page.getByRole('region', { name: 'Shared understanding' });

test('the three amigos add a case live, record a question and end on a shared understanding', async ({
  browser,
  request,
}) => {
  test.setTimeout(240_000);
  const token = await ownerToken(request);
  const product = await api(request, token, 'POST', '/products', { name: `Three amigos ${unique()}` });
  const productId: string = product.id;
  for (const email of demo.teamMembers) {
    const invite = await api(request, token, 'POST', `/products/${productId}/invites`, {
      role: 'team_member',
    });
    await api(request, await tokenOf(request, email), 'POST', `/invites/${invite.token}/accept`);
  }
  const story = await api(request, token, 'POST', `/products/${productId}/items`, {
    title: 'Book a physio visit',
    criteria: 'Scenario: Books a free slot\n  Given a free slot\n  When I book it\n  Then it is mine',
  });

  const owner = await signedIn(browser, demo.owner);
  const tom = await signedIn(browser, demo.teamMembers[0]);
  const quinn = await signedIn(browser, demo.teamMembers[1]);

  // The product owner creates the session: one story, Tom develops, Quinn tests.
  await owner.page.goto(`/products/${productId}/sessions`);
  const form = owner.page.getByRole('form', { name: 'New three amigos session' });
  await form.getByLabel('Story').selectOption({ label: '#1 Book a physio visit' });
  await form.getByLabel('Developer').selectOption({ label: 'Tomás Developer' });
  await form.getByLabel('Tester').selectOption({ label: 'Tomás Developer' });
  await form.getByRole('button', { name: 'Create three amigos session' }).click();
  await expect(
    form.getByText('The developer and the tester must be two different people').first(),
  ).toBeVisible();
  await form.getByLabel('Tester').selectOption({ label: 'Quinn Tester' });
  await form.getByRole('button', { name: 'Create three amigos session' }).click();
  await owner.page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
  const room = new URL(owner.page.url()).pathname;
  const roomUrl = owner.page.url();

  await tom.page.goto(roomUrl);
  await quinn.page.goto(roomUrl);
  for (const p of [owner.page, tom.page, quinn.page]) {
    await expect(criteria(p)).toContainText('Scenario: Books a free slot');
    await expect(understanding(p)).toContainText('0 of 3 marked');
  }
  const developer = tom.page;
  const tester = quinn.page;
  await expect(developer.getByLabel('Add a case')).toHaveCount(0);
  await expect(owner.page.getByLabel('Add a case')).toHaveCount(0);

  // A malformed case is refused with the reason; nothing reaches the criteria.
  await tester.getByLabel('Add a case').fill('Scenario: Slot taken\n  the slot is gone\n  Then I am told');
  await tester.getByRole('button', { name: 'Add the case' }).click();
  await expect(tester.getByText(/must be a step/)).toBeVisible();

  // A good case: the others see it in the criteria, live.
  await tester
    .getByLabel('Add a case')
    .fill(
      'Scenario: Slot taken meanwhile\n  Given a slot someone just booked\n  When I book it\n  Then I am told to pick another',
    );
  await tester.getByRole('button', { name: 'Add the case' }).click();
  for (const p of [owner.page, developer, tester]) {
    await expect(criteria(p)).toContainText('Scenario: Slot taken meanwhile');
    await expect(p.getByRole('region', { name: 'Cases added' })).toContainText(
      'Scenario: Slot taken meanwhile',
    );
  }

  // The developer records a question; the others see it.
  const notes = (p: Page) => p.getByRole('region', { name: 'Questions, dependencies and assumptions' });
  await notes(developer).getByLabel('Note').fill('What if the clinic closes that day?');
  await notes(developer).getByRole('button', { name: 'Record' }).click();
  for (const p of [owner.page, tester])
    await expect(notes(p)).toContainText('What if the clinic closes that day?');
  await expectNoSeriousA11yViolations(tester);

  // All three mark a shared understanding (the developer takes it back once); the session ends for everyone.
  await understanding(owner.page).getByRole('button', { name: 'We share an understanding' }).click();
  await expect(understanding(developer)).toContainText('1 of 3 marked');
  await understanding(developer).getByRole('button', { name: 'We share an understanding' }).click();
  await expect(understanding(tester)).toContainText('2 of 3 marked');
  await understanding(developer).getByRole('button', { name: 'Take back my mark' }).click();
  await expect(understanding(tester)).toContainText('1 of 3 marked');
  await understanding(tester).getByRole('button', { name: 'We share an understanding' }).click();
  await expect(understanding(developer)).toContainText('2 of 3 marked');
  await understanding(developer).getByRole('button', { name: 'We share an understanding' }).click();
  for (const p of [owner.page, developer, tester]) {
    await expect(p.getByText('This session has ended')).toBeVisible();
    await expect(understanding(p)).toContainText('3 of 3 marked');
  }

  // The story's page shows the three amigos were held, and with whom.
  await owner.page.goto(`/products/${productId}/items/${story.id}`);
  const readiness = owner.page.getByTestId('three-amigos-readiness');
  await expect(readiness).toContainText('Three amigos: held on');
  await expect(readiness).toContainText('with Olivia Owner, Tomás Developer and Quinn Tester');
  expect(room).toContain(`/products/${productId}/sessions/`);

  // The session's summary records the three, the question and the case, as typed.
  await owner.page.goto(`${room}/summary`);
  const record = owner.page.getByRole('region', { name: /^Three amigos on/ });
  await expect(record).toContainText('All three marked a shared understanding');
  await expect(record.getByRole('region', { name: 'Questions' })).toContainText(
    'What if the clinic closes that day? (open)',
  );
  await expect(record.getByRole('region', { name: 'Cases added' })).toContainText(
    'Scenario: Slot taken meanwhile',
  );
  // The room's general questions panel is not used here: no second, empty "Open questions" beside the record.
  await expect(owner.page.getByRole('region', { name: 'Open questions' })).toHaveCount(0);
  await expectNoSeriousA11yViolations(owner.page);
});
