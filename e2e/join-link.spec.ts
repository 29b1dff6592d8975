import { expect, test } from '@playwright/test';
import { demoCopy } from './demo-copy';
import { demo, expectNoSeriousA11yViolations, logIn } from './fixtures';

test('a member who opens a join link joins only with the Join button, which works from the keyboard', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  // A fresh session with a join link, made through the API as the product owner.
  const copy = await demoCopy(request);
  const auth = { authorization: `Bearer ${copy.token}` };
  const product = { id: copy.productId };
  const created = await request.post(`/api/v1/products/${product?.id}/sessions`, {
    headers: auth,
    data: { title: 'Join by link', kind: 'prioritisation' },
  });
  expect(created.status()).toBe(201);
  const { id, joinCode } = (await created.json()) as { id: string; joinCode: string };
  const participantNames = async () => {
    const view = (await (await request.get(`/api/v1/sessions/${id}`, { headers: auth })).json()) as {
      participants: Array<{ name: string }>;
    };
    return view.participants.map((p) => p.name);
  };

  await logIn(page, demo.teamMembers[0], demo.password);
  await page.goto(`/join/${joinCode}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Join “Join by link”' })).toBeVisible();
  // Opening the link changed nothing.
  expect(await participantNames()).not.toContain('Tomás Developer');
  await expectNoSeriousA11yViolations(page);

  const join = page.getByRole('button', { name: 'Join the session' });
  for (let i = 0; i < 40 && !(await join.evaluate((button) => button === document.activeElement)); i++)
    await page.keyboard.press('Tab');
  await expect(join).toBeFocused();
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/products/${product?.id}/sessions/${id}$`));
  expect(await participantNames()).toContain('Tomás Developer');
});
