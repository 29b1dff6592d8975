import { expect, test } from '@playwright/test';
import { createProduct, newUser, openMoreTab, signUp, submitSignUp, unique } from './fixtures';

// The acceptance test of the foundation: a product owner invites a stakeholder by link; the stakeholder joins in
// another browser, sees the product, and is refused owner-only actions both in the UI (403 page) and in the API
// (403 problem+json). The owner sees the new member; a revoked link answers 410.
test('a product owner invites a stakeholder, who joins and is refused owner-only actions', async ({
  page,
  browser,
  request,
}) => {
  // 1. The owner signs up, creates a product and makes a stakeholder invite link.
  const owner = await signUp(page, newUser('owner'));
  const productName = `Clinic Portal ${unique()}`;
  const productId = await createProduct(page, productName, 'Booking for a small clinic');
  await expect(page.getByText('Your role: Product owner')).toBeVisible();

  await openMoreTab(page, /^Members \(1\)$/);
  await page.getByRole('link', { name: 'Invite people' }).click();
  await expect(page).toHaveURL(`/products/${productId}/invites`);
  await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Stakeholder' });
  await page.getByLabel('Link expires after').selectOption({ label: '7 days' });
  await page.getByRole('button', { name: 'Create invite link' }).click();
  const linkField = page.getByLabel('Invite link for a stakeholder');
  await expect(linkField).toHaveValue(/\/invites\/[^/]+$/);
  const inviteLink = await linkField.inputValue();
  expect(new URL(inviteLink).origin).toBe(new URL(page.url()).origin);
  await expect(page.getByRole('list', { name: 'Open invite links' }).getByRole('listitem')).toHaveCount(1);

  // 2. In a second browser context (no shared cookies), another new person opens the link and signs up from it.
  const guestContext = await browser.newContext();
  try {
    const guest = await guestContext.newPage();
    const stakeholder = newUser('stakeholder');
    await guest.goto(inviteLink);
    await expect(guest.getByRole('heading', { level: 1, name: `Join ${productName}` })).toBeVisible();
    await expect(guest.getByText('You are invited as a stakeholder.')).toBeVisible();
    await guest.getByRole('main').getByRole('link', { name: 'Sign up' }).click();
    await expect(guest).toHaveURL(/\/signup\?redirectTo=/);
    await submitSignUp(guest, stakeholder);

    // Back on the invite, now signed in: join.
    await expect(guest).toHaveURL(inviteLink);
    await guest.getByRole('button', { name: `Join ${productName}` }).click();
    await expect(guest).toHaveURL(`/products/${productId}`);
    await expect(guest.getByRole('heading', { level: 1, name: productName })).toBeVisible();
    await expect(guest.getByText('Your role: Stakeholder')).toBeVisible();
    await guest.getByRole('navigation', { name: 'Product' }).locator('summary').click();
    await expect(guest.getByRole('link', { name: 'Members (2)' })).toBeVisible();

    // The product is in the stakeholder's list, with their role.
    await guest.goto('/products');
    const card = guest.getByRole('listitem').filter({ has: guest.getByRole('link', { name: productName }) });
    await expect(card.getByText('Stakeholder', { exact: true })).toBeVisible();

    // A stakeholder sees the members but cannot manage them.
    await guest.goto(`/products/${productId}/members`);
    await expect(guest.getByRole('cell', { name: owner.name, exact: true })).toBeVisible();
    await expect(guest.getByRole('link', { name: 'Invite people' })).toHaveCount(0);
    await expect(guest.getByRole('button', { name: /Remove/ })).toHaveCount(0);

    // 3. The owner-only invites page answers with the 403 page.
    const refused = await guest.goto(`/products/${productId}/invites`);
    expect(refused?.status()).toBe(403);
    await expect(
      guest.getByRole('heading', { level: 1, name: 'You do not have access to this' }),
    ).toBeVisible();
    await expect(guest.getByText('403', { exact: true })).toBeVisible();
    await expect(guest.getByRole('button', { name: 'Create invite link' })).toHaveCount(0);

    // 4. The API refuses an owner-only action with 403 problem+json. The stakeholder makes a token in the browser.
    await guest.goto('/settings/tokens');
    const tokenName = `script ${unique()}`;
    await guest.getByLabel('Token name').fill(tokenName);
    await guest.getByRole('button', { name: 'Create token' }).click();
    const tokenField = guest.getByLabel(`Token “${tokenName}”`);
    await expect(tokenField).toHaveValue(/^rfy_/);
    const token = await tokenField.inputValue();
    const auth = { Authorization: `Bearer ${token}` };

    // The token works for what a stakeholder may do (so the refusal below is about the role, not the token)…
    const readable = await request.get(`/api/v1/products/${productId}`, { headers: auth });
    expect(readable.status()).toBe(200);
    expect(await readable.json()).toMatchObject({ id: productId, name: productName, role: 'stakeholder' });

    // …and an owner-only operation (createInvite) is refused.
    const forbidden = await request.post(`/api/v1/products/${productId}/invites`, {
      headers: auth,
      data: { role: 'team_member', expiresInDays: 7 },
    });
    expect(forbidden.status()).toBe(403);
    expect(forbidden.headers()['content-type']).toMatch(/^application\/problem\+json/);
    const problem = await forbidden.json();
    expect(problem).toMatchObject({ status: 403 });
    expect(typeof problem.detail).toBe('string');
    expect(problem.detail.length).toBeGreaterThan(0);

    // 5. The owner sees the new member, as a stakeholder, in the Members tab.
    await page.goto(`/products/${productId}`);
    await openMoreTab(page, 'Members (2)');
    await expect(page).toHaveURL(`/products/${productId}/members`);
    const row = page.getByRole('row').filter({ hasText: stakeholder.email });
    await expect(row.getByRole('cell', { name: stakeholder.name, exact: true })).toBeVisible();
    await expect(row.getByLabel(`Role of ${stakeholder.name}`)).toHaveValue('stakeholder');

    // 6. The owner revokes the link; opening it now shows the 410 page.
    await page.goto(`/products/${productId}/invites`);
    const openInvites = page.getByRole('list', { name: 'Open invite links' });
    await openInvites.getByRole('button', { name: 'Revoke' }).click();
    await expect(page.getByText('No open invite links.')).toBeVisible();

    const gone = await guest.goto(inviteLink);
    expect(gone?.status()).toBe(410);
    await expect(
      guest.getByRole('heading', { level: 1, name: 'This link is no longer valid' }),
    ).toBeVisible();
    await expect(guest.getByRole('button', { name: `Join ${productName}` })).toHaveCount(0);
  } finally {
    await guestContext.close();
  }
});
