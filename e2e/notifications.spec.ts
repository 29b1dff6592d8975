import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { api, ownerToken } from './api-fixtures';
import { demo, expectNoSeriousA11yViolations, goodPassword, logIn, unique, uniqueEmail } from './fixtures';

// Notifications and webhooks (issue 17, decision 0041). The product owner adds a webhook pointing at a receiver
// this spec starts on 127.0.0.1 and opens votes in one browser; a stakeholder in another browser sees the unread
// count in the header and the notification, follows it and marks it read; the receiver gets the signed events and
// the product owner sees them in the delivery log. The product and the stakeholder are the spec's own.

test('votes opened reach a stakeholder in another browser, and the product’s webhook, which the PO reads in the log', async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/refinery`;

  try {
    // The product, a stakeholder of its own (a fresh account), an item and a dot-voting session.
    const token = await ownerToken(request);
    const product = await api(request, token, 'POST', '/products', { name: `Notify ${unique()}` });
    const productId: string = product.id;
    const email = uniqueEmail('stakeholder');
    const signUp = await request.post('/api/v1/users', {
      data: { email, displayName: 'Nora Stakeholder', password: goodPassword },
    });
    expect(signUp.status()).toBe(201);
    const login = await request.post('/api/v1/tokens', { data: { email, password: goodPassword } });
    const noraToken: string = (await login.json()).token;
    const invite = await api(request, token, 'POST', `/products/${productId}/invites`, {
      role: 'stakeholder',
    });
    await api(request, noraToken, 'POST', `/invites/${invite.token}/accept`);
    const item = await api(request, token, 'POST', `/products/${productId}/items`, {
      title: 'Online invoices',
    });
    const title = `Q3 priorities ${unique().slice(-4)}`;
    const session = await api(request, token, 'POST', `/products/${productId}/sessions`, {
      title,
      kind: 'prioritisation',
      agenda: [item.id],
      methods: ['dots'],
    });

    const po = await browser.newContext();
    const poPage = await po.newPage();
    await logIn(poPage, demo.owner, demo.password);
    const nora = await browser.newContext();
    const noraPage = await nora.newPage();
    await logIn(noraPage, email, goodPassword);
    await expect(noraPage.getByRole('link', { name: 'Notifications, none unread' })).toBeVisible();

    // The product owner adds the webhook: a bad address first, then the receiver; the secret shows once.
    await poPage.goto(`/products/${productId}/webhooks`);
    await expect(poPage.getByText('No webhooks yet.')).toBeVisible();
    const form = poPage.getByRole('form', { name: 'Add a webhook' });
    await form.getByLabel('Address').fill('ftp://chat.example.com/hook');
    await form.getByRole('button', { name: 'Add the webhook' }).click();
    await expect(form.getByText('The address must start with https://')).toBeVisible();
    await form.getByLabel('Address').fill(hookUrl);
    await form.getByRole('button', { name: 'Add the webhook' }).click();
    const secret = await poPage.getByLabel('Signing secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    await expect(poPage.getByRole('link', { name: hookUrl, exact: true })).toBeVisible();
    await expectNoSeriousA11yViolations(poPage);

    // The product owner opens the votes in the room.
    await poPage.goto(`/products/${productId}/sessions/${session.id}`);
    await poPage.getByRole('button', { name: 'Open voting', exact: true }).click();
    await expect(poPage.getByRole('button', { name: 'Close voting', exact: true })).toBeVisible();

    // The stakeholder, in the other browser: the count comes when the window gets the focus back.
    const count = noraPage.getByRole('link', { name: '1 unread notification' });
    await expect(async () => {
      await noraPage.evaluate(() => window.dispatchEvent(new Event('focus')));
      await expect(count).toBeVisible({ timeout: 1000 });
    }).toPass();
    await noraPage.getByRole('link', { name: '1 unread notification' }).click();
    const list = noraPage.getByRole('list', { name: 'Your notifications, newest first' });
    await expect(list).toContainText(`Votes are open in “${title}”`);
    await expectNoSeriousA11yViolations(noraPage);
    await noraPage.getByRole('button', { name: `Mark read: Votes are open in “${title}”` }).click();
    await expect(noraPage.getByText('Nothing unread.')).toBeVisible();
    await expect(noraPage.getByRole('link', { name: 'Notifications, none unread' })).toBeVisible();
    await list.getByRole('link', { name: `Votes are open in “${title}”` }).click();
    await noraPage.waitForURL(new RegExp(`/sessions/${session.id}`));

    // The receiver got the event, signed; the product owner reads it in the delivery log.
    await expect.poll(() => received.map((r) => r.headers['x-refinery-event'])).toContain('votes.opened');
    const event = received.find((r) => r.headers['x-refinery-event'] === 'votes.opened')!;
    expect(String(event.headers['x-refinery-signature'])).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(JSON.parse(event.body)).toMatchObject({
      type: 'votes.opened',
      productId,
      data: { sessionTitle: title },
    });
    await poPage.goto(`/products/${productId}/webhooks`);
    // Paused from the page: the list says so; resumed, it sends again.
    await poPage.getByRole('button', { name: /^Pause: / }).click();
    await expect(poPage.getByText(/^Webhook paused/)).toBeVisible();
    await expect(poPage.getByRole('table')).toContainText('Paused');
    await expect(poPage.getByRole('button', { name: /^Send a test: / })).toHaveCount(0);
    await expectNoSeriousA11yViolations(poPage);
    await poPage.getByRole('button', { name: /^Resume: / }).click();
    await expect(poPage.getByText(/^Webhook resumed/)).toBeVisible();
    await expect(poPage.getByRole('table')).not.toContainText('Paused');
    await poPage.getByRole('link', { name: 'Delivery log' }).click();
    const log = poPage.getByRole('table', { name: 'Deliveries' });
    await expect(log.getByRole('row').filter({ hasText: 'votes.opened' })).toContainText('Delivered');
    await expect(log.getByRole('row').filter({ hasText: 'votes.opened' })).toContainText('200');
    await expectNoSeriousA11yViolations(poPage);
    // Removing asks first: cancelled, the webhook stays; confirmed, it is gone.
    await poPage.goto(`/products/${productId}/webhooks`);
    const questions: string[] = [];
    poPage.once('dialog', (dialog) => {
      questions.push(dialog.message());
      void dialog.dismiss();
    });
    await poPage.getByRole('button', { name: /^Remove: / }).click();
    await expect.poll(() => questions).toHaveLength(1);
    expect(questions[0]).toMatch(/^Remove the webhook for http/);
    await expect(poPage.getByRole('button', { name: /^Remove: / })).toBeVisible();
    poPage.once('dialog', (dialog) => void dialog.accept());
    await poPage.getByRole('button', { name: /^Remove: / }).click();
    await expect(poPage.getByText('No webhooks yet.')).toBeVisible();
    await po.close();
    await nora.close();
  } finally {
    receiver.closeAllConnections();
    receiver.close();
  }
});
