import { expect, type Page, test } from '@playwright/test';
import { api, productWith, tokenOf } from './api-fixtures';
import { demo, expectNoSeriousA11yViolations, logIn } from './fixtures';

// Votes before the meeting (issue 18): the product owner opens a prioritisation session for voting two days before
// the live session; a stakeholder in another time zone votes from another browser; nobody sees the vote before
// the reveal; the product owner starts the live session, sees the stakeholder listed as having voted before the
// meeting, and the revealed totals include that vote. The product and the session are the spec's own (API).

async function putDot(page: Page, title: string) {
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.status() === 200);
  await page.getByRole('button', { name: `Put a dot on “${title}”` }).click();
  await answered;
}

test('a stakeholder votes before the meeting and the live session starts with that vote in', async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const titles = ['Text reminders before visits', 'Online payment', 'Waiting list'];
  const { token, productId, itemIds } = await productWith(
    request,
    titles.map((title) => ({ title })),
  );
  const invite = await api(request, token, 'POST', `/products/${productId}/invites`, { role: 'stakeholder' });
  const samToken = await tokenOf(request, demo.stakeholders[0]);
  await api(request, samToken, 'POST', `/invites/${invite.token}/accept`, {});
  const session = await api(request, token, 'POST', `/products/${productId}/sessions`, {
    title: 'Spring priorities',
    kind: 'prioritisation',
    agenda: itemIds,
    methods: ['dots'],
  });
  const room = `/products/${productId}/sessions/${session.id}`;

  // The product owner opens the window: two days by default, in their time zone.
  const poContext = await browser.newContext({ timezoneId: 'Europe/London' });
  const po = await poContext.newPage();
  await logIn(po, demo.owner, demo.password);
  await po.goto(room);
  const windowPanel = po.getByRole('region', { name: 'Votes before the meeting' });
  await expect(windowPanel.getByLabel('Let people vote before the meeting, until')).toBeVisible();
  await expect(windowPanel).toContainText('Your time zone: Europe/London');
  await windowPanel.getByRole('button', { name: 'Open voting before the meeting' }).click();
  await expect(windowPanel.getByRole('status')).toContainText(/Voting closes in 4[78] h/);
  await expectNoSeriousA11yViolations(po);
  // The sessions list says the session is open for votes before the meeting, and until when.
  await po.goto(`/products/${productId}/sessions`);
  await expect(po.getByRole('row', { name: /Spring priorities/ })).toContainText(
    /Voting before the meeting, until \S/,
  );
  await po.goto(room);

  // A stakeholder in Tokyo, in another browser, sees the window, joins and votes.
  const samContext = await browser.newContext({ timezoneId: 'Asia/Tokyo' });
  const sam = await samContext.newPage();
  await logIn(sam, demo.stakeholders[0], demo.password);
  await sam.goto(room);
  await expect(sam.getByText(/Voting closes in 4[78] h/)).toBeVisible();
  await expect(sam.getByText(/GMT\+9/).first()).toBeVisible();
  await sam.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(sam.getByText('You have not voted yet.')).toBeVisible();
  await putDot(sam, titles[1]);
  await putDot(sam, titles[1]);
  await expect(sam.getByText(/You have voted\./)).toBeVisible();
  await expectNoSeriousA11yViolations(sam);

  // The product owner's room shows who voted, never what: no results, no totals.
  const voted = po.getByRole('list', { name: 'Who has voted' });
  await expect(voted).toContainText('Sam Stakeholder');
  await expect(po.getByRole('heading', { name: 'Results' })).toHaveCount(0);
  await expect(po.locator('main')).not.toContainText('2 dots');

  // The live session starts: the stakeholder is listed as having voted before the meeting.
  await po.getByRole('button', { name: 'Open voting', exact: true }).click();
  await expect(voted.getByText('(voted before the meeting)')).toBeVisible();
  await expect(voted.locator('li', { hasText: 'Sam Stakeholder' })).toContainText('voted before the meeting');
  await expect(po.getByText(/Voting before the meeting closed .*: 1 person voted/)).toBeVisible();

  // After the reveal, every page's totals include the vote cast before the meeting.
  await po.getByRole('button', { name: 'Reveal results', exact: true }).click();
  for (const page of [po, sam]) {
    const results = page.locator('.results-panel');
    await expect(results.getByRole('heading', { name: 'Results' })).toBeVisible();
    await expect(results).toContainText(/Online payment\s*2 dots from 1 voter/);
  }

  // The decision log says the window opened and closed, with how many voted.
  await po.goto(`/products/${productId}/decisions`);
  await expect(po.getByText(/opened voting before the meeting, until/)).toBeVisible();
  await expect(po.getByText('Voting before the meeting closed: 1 person voted')).toBeVisible();
  await poContext.close();
  await samContext.close();
});
