import { type Browser, expect, type Page, test } from '@playwright/test';
import { api, ownerToken, tokenOf } from './api-fixtures';
import { demo, expectNoSeriousA11yViolations, type Person, signedIn, unique } from './fixtures';

// Stakeholder requests and saying no with reasons (issue 17): a stakeholder sends two requests in their browser; the
// product owner, in another, declines one with a written reason and accepts the other at the top of the backlog,
// under the agreed criteria v1; the stakeholder reads the states and the reason. Someone without an account sends a
// request by the product's request link in a third browser, and follows it by their private link.

const card = (page: Page, title: string) =>
  page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title, exact: true }) });

async function sendRequest(page: Page, fields: { title: string; problem: string; who?: string }) {
  const form = page.getByRole('form', { name: 'Send a request' });
  if (!(await form.isVisible())) await page.getByText('Send a request', { exact: true }).click();
  await form.getByLabel('Title').fill(fields.title);
  await form.getByLabel('The problem').fill(fields.problem);
  if (fields.who) await form.getByLabel('Who has it').fill(fields.who);
  await form.getByRole('button', { name: 'Send the request' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Sent: “${fields.title}”` })).toBeVisible();
}

async function openTriage(page: Page, title: string) {
  const item = card(page, title);
  await item.getByText(`Triage “${title}”`).click();
  return item;
}

test('a stakeholder sends requests, the product owner declines one with a reason and accepts another at the top', async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const token = await ownerToken(request);
  const product = await api(request, token, 'POST', '/products', { name: `Requests ${unique()}` });
  const productId: string = product.id;
  const invite = await api(request, token, 'POST', `/products/${productId}/invites`, { role: 'stakeholder' });
  await api(request, await tokenOf(request, demo.stakeholders[0]), 'POST', `/invites/${invite.token}/accept`);
  await api(request, token, 'POST', `/products/${productId}/items`, { title: 'Book a slot online' });
  const requestsPage = `/products/${productId}/requests`;

  const people: Person[] = [];
  const open = async (b: Browser, email: string) => {
    const person = await signedIn(b, email);
    people.push(person);
    return person.page;
  };
  try {
    // 1. The stakeholder sends two requests.
    const stakeholder = await open(browser, demo.stakeholders[0]);
    await stakeholder.goto(requestsPage);
    await expect(stakeholder.getByRole('heading', { name: 'My requests' })).toBeVisible();
    await expect(stakeholder.getByText('You have sent no requests yet.')).toBeVisible();
    await sendRequest(stakeholder, {
      title: 'Reminder by SMS',
      problem: 'Patients forget their appointment',
      who: 'Front desk',
    });
    await sendRequest(stakeholder, { title: 'Dark mode', problem: 'The screen is bright at night' });

    // 2. The product owner triages the inbox: a decline needs its reason.
    const owner = await open(browser, demo.owner);
    // The criteria the stakeholders agreed on, recorded by the product owner: version 1.
    await owner.goto(`/products/${productId}/criteria`);
    await expect(owner.getByText('No criteria agreed yet.')).toBeVisible();
    const criteria = owner.getByRole('form', { name: 'Record agreed criteria' });
    await criteria.getByLabel('Weight of business value').fill('2');
    await criteria.getByLabel('What counts as urgent').fill('Patients cannot book at all');
    await criteria.getByRole('button', { name: 'Record the criteria' }).click();
    await expect(owner.getByRole('status').filter({ hasText: 'Recorded as criteria v1.' })).toBeVisible();
    await expect(owner.getByRole('heading', { name: 'Criteria v1 (in force)' })).toBeVisible();
    await expectNoSeriousA11yViolations(owner);
    await owner.goto(requestsPage);
    await expect(owner.getByRole('heading', { name: 'Inbox' })).toBeVisible();
    await expect(owner.getByText('Triage applies criteria v1')).toBeVisible();
    await expect(owner.getByRole('link', { name: 'New (2)' })).toBeVisible();
    await openTriage(owner, 'Dark mode');
    const decline = owner.getByRole('form', { name: 'Decline “Dark mode”' });
    await decline.getByRole('button', { name: 'Decline' }).click();
    await expect(owner.getByText('Write the reason: nothing is declined without one')).toBeVisible();
    await expectNoSeriousA11yViolations(owner);
    await decline.getByLabel('Reason (the requester reads it)').fill('Not this year: booking comes first');
    await decline.getByRole('button', { name: 'Decline' }).click();
    await expect(owner.getByRole('status').filter({ hasText: 'Declined “Dark mode”' })).toBeVisible();

    await openTriage(owner, 'Reminder by SMS');
    const accept = owner.getByRole('form', { name: 'Accept “Reminder by SMS”' });
    await accept.getByLabel('Place it').selectOption('top');
    await accept.getByRole('button', { name: 'Accept' }).click();
    await expect(owner.getByRole('status').filter({ hasText: 'Accepted: “Reminder by SMS”' })).toBeVisible();
    await expect(card(owner, 'Reminder by SMS')).toContainText('criteria v1');

    // The item is first in the backlog and says who asked.
    await card(owner, 'Reminder by SMS').getByRole('link', { name: 'Open the item' }).click();
    await expect(owner.getByRole('heading', { level: 2, name: 'Reminder by SMS' })).toBeVisible();
    await expect(owner.getByText('Position 1 in the backlog')).toBeVisible();
    await expect(owner.getByText(/Requested by .+ on /)).toBeVisible();

    // The decision log shows the decline with its reason and the criteria version.
    await owner.goto(`/products/${productId}/decisions`);
    await expect(owner.getByText(/declined the request ‘Dark mode’ .* · criteria v1/)).toBeVisible();
    await expect(owner.getByText('“Not this year: booking comes first”')).toBeVisible();

    // 3. The stakeholder reads the states and the reason.
    await stakeholder.reload();
    await expect(card(stakeholder, 'Dark mode')).toContainText('Declined');
    await expect(card(stakeholder, 'Dark mode')).toContainText('Not this year: booking comes first');
    await expect(card(stakeholder, 'Reminder by SMS')).toContainText('Accepted into the backlog');
    await expect(stakeholder.getByRole('form', { name: /Decline/ })).toHaveCount(0);
    await expectNoSeriousA11yViolations(stakeholder);

    // 4. The product owner makes a request link; someone without an account sends a request by it and follows it.
    await owner.goto(requestsPage);
    await owner.getByRole('button', { name: 'Create a request link' }).click();
    const link = (await owner.getByTestId('request-link').textContent()) ?? '';
    expect(link).toMatch(/\/ask\/rql_/);
    const visitorContext = await browser.newContext();
    people.push({ context: visitorContext, page: await visitorContext.newPage() });
    const visitor = people[people.length - 1].page;
    await visitor.goto(link);
    await expect(
      visitor.getByRole('heading', { level: 1, name: /^Send a request to Requests/ }),
    ).toBeVisible();
    await visitor.getByLabel('Your name').fill('Walk-in Wendy');
    await visitor.getByLabel('Title').fill('Parking map');
    await visitor.getByLabel('The problem').fill('Patients cannot find the entrance');
    await visitor.getByRole('button', { name: 'Send the request' }).click();
    await expect(visitor).toHaveURL(/\/follow\/rqf_/);
    await expect(visitor.getByTestId('request-state')).toHaveText('New');
    await expectNoSeriousA11yViolations(visitor);

    await owner.reload();
    await openTriage(owner, 'Parking map');
    await expect(card(owner, 'Parking map')).toContainText('Walk-in Wendy (by the request link)');
    const ask = owner.getByRole('form', { name: 'Ask for more about “Parking map”' });
    await ask.getByLabel('Question').fill('Which entrance do they look for?');
    await ask.getByRole('button', { name: 'Ask' }).click();
    await expect(owner.getByRole('status').filter({ hasText: 'Asked' })).toBeVisible();

    await visitor.reload();
    await expect(visitor.getByTestId('request-state')).toHaveText('Waiting for more information');
    await expect(visitor.getByText('Which entrance do they look for?')).toBeVisible();
    await visitor.getByLabel('Your answer').fill('The one for wheelchairs');
    await visitor.getByRole('button', { name: 'Send the answer' }).click();
    await expect(visitor.getByRole('status').filter({ hasText: 'Answer sent.' })).toBeVisible();
    await expect(visitor.getByTestId('request-state')).toHaveText('New');
  } finally {
    for (const person of people) await person.context.close();
  }
});
