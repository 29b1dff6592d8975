// Room latency (issue 13, "Speed a facilitator feels"): for each kind of live change in the meeting rooms, the time
// from the action in one browser to its appearance in three others. Four browser contexts in one Chromium, each
// signed in as a different member of one fresh product; the production build on its own port with a fresh PGlite
// data folder and the demo data (e2e/start-server.mjs).
//
// The clock: every page runs on this machine, so performance.timeOrigin + performance.now() is one clock across
// pages. The acting page stamps the moment its click is dispatched (a capture listener on the document); each
// watcher page stamps the first DOM mutation after which the change is there (a MutationObserver, so it is the
// moment the page has it in its DOM, before the next paint). A sample is watcher stamp minus action stamp; each
// repeat gives three samples, one per watcher.
//
//   npm run build && npm run bench:rooms
//   BENCH_ROOMS_REPEATS=10 BENCH_ROOMS_PORT=4331 npm run bench:rooms
//   BENCH_ROOMS_URL=http://127.0.0.1:4331 npm run bench:rooms   (a server already running, with the demo data)
import { type ChildProcess, spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type APIRequestContext, type Browser, chromium, type Page, request } from '@playwright/test';
import { api, ownerToken, reviewUnderWay } from '../e2e/api-fixtures';
import { demo, logIn, unique } from '../e2e/fixtures';
import { fmt, machine, percentile } from './lib';

const repeats = Number(process.env.BENCH_ROOMS_REPEATS ?? 5);
const port = process.env.BENCH_ROOMS_PORT ?? process.env.E2E_PORT ?? '4331';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromiumPath = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';

/** What a watcher waits for: an element matching `selector` whose text equals (or contains) `text`. */
interface Sight {
  selector: string;
  text: string;
  exact?: boolean;
}

declare global {
  interface Window {
    __benchClick?: number;
    __benchSeen?: Promise<number>;
  }
}

/** Arms a watcher page: from now on, the first DOM state in which `sight` holds is stamped. */
async function arm(page: Page, sight: Sight) {
  await page.evaluate((s) => {
    const now = () => performance.timeOrigin + performance.now();
    const holds = () =>
      [...document.querySelectorAll(s.selector)].some((el) => {
        const text = (el.textContent ?? '').trim();
        return s.exact ? text === s.text : text.includes(s.text);
      });
    if (holds()) throw new Error(`already there before the action: ${JSON.stringify(s)}`);
    performance.clearResourceTimings();
    window.__benchSeen = new Promise<number>((resolve) => {
      const observer = new MutationObserver(() => {
        if (!holds()) return;
        const at = now();
        observer.disconnect();
        resolve(at);
      });
      observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    });
  }, sight);
}

/** Stamps every click the page dispatches (capture phase, before the app's own handlers). */
async function stampClicks(page: Page) {
  // tsx (esbuild) wraps named functions in a `__name` helper that the page does not have: give it one.
  await page.evaluate('window.__name = window.__name || ((f) => f)');
  await page.evaluate(() => {
    document.addEventListener(
      'click',
      () => {
        window.__benchClick = performance.timeOrigin + performance.now();
      },
      { capture: true },
    );
  });
}

/**
 * One measured change: arms the watchers, runs `act` in the acting page (a click), and returns the delays in ms
 * from the click's dispatch to the change in each watcher's DOM.
 */
async function measure(actor: Page, watchers: Page[], sight: Sight, act: () => Promise<void>) {
  for (const w of watchers) await arm(w, sight);
  await actor.evaluate(() => {
    window.__benchClick = undefined;
    performance.clearResourceTimings();
  });
  await act();
  const seen = await Promise.all(
    watchers.map((w) =>
      Promise.race([
        w.evaluate(() => window.__benchSeen as Promise<number>),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`not seen in 30 s: ${JSON.stringify(sight)}`)), 30_000),
        ),
      ]),
    ),
  );
  const clicked = await actor.evaluate(() => window.__benchClick);
  if (clicked === undefined) throw new Error('the action dispatched no click');
  // Let every page finish what the change set off (its reload) before the next change, then read the timings.
  await settle([actor, ...watchers]);
  const reloads = await Promise.all(watchers.map((w) => firstLoad(w, clicked)));
  const stages = reloads.map((l, i) => ({
    reloadStart: l ? l.start - clicked : null,
    reloadEnd: l ? l.end - clicked : null,
    // Seen before the page's reload of its data had arrived: drawn from the live document.
    fromLive: !l || l.end > seen[i],
  }));
  const sent = await firstLoad(actor, clicked);
  const action = sent ? { start: sent.start - clicked, end: sent.end - clicked } : null;
  return { delays: seen.map((t) => t - clicked), stages, action };
}

/** Waits until no page has started a request for half a second (at most 10 s). */
async function settle(pages: Page[]) {
  const count = () =>
    Promise.all(pages.map((p) => p.evaluate(() => performance.getEntriesByType('resource').length)));
  let last = (await count()).join();
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = (await count()).join();
    if (now === last) return;
    last = now;
  }
}

/** The page's first data request (a Remix single-fetch call, `….data`) started after `since`: its start and end. */
function firstLoad(page: Page, since: number) {
  return page.evaluate((after) => {
    const [first] = performance
      .getEntriesByType('resource')
      .filter(
        (e) => new URL(e.name).pathname.endsWith('.data') && performance.timeOrigin + e.startTime >= after,
      )
      .sort((a, b) => a.startTime - b.startTime);
    return first
      ? {
          start: performance.timeOrigin + first.startTime,
          end: performance.timeOrigin + (first as PerformanceResourceTiming).responseEnd,
        }
      : null;
  }, since);
}

async function startServer(): Promise<{ baseURL: string; stop: () => Promise<void> }> {
  if (process.env.BENCH_ROOMS_URL) return { baseURL: process.env.BENCH_ROOMS_URL, stop: async () => {} };
  const baseURL = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ['e2e/start-server.mjs'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, E2E_PORT: port },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error('the server stopped while starting');
    try {
      if ((await fetch(`${baseURL}/login`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no server on ${baseURL} after 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    baseURL,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The owner invites the demo team members and a stakeholder to the product; each accepts with their own token. */
async function addMembers(http: APIRequestContext, ownerTok: string, productId: string) {
  const people = [
    { email: demo.teamMembers[0], role: 'team_member' },
    { email: demo.teamMembers[1], role: 'team_member' },
    { email: demo.stakeholders[0], role: 'stakeholder' },
  ];
  for (const p of people) {
    const invite = await api(http, ownerTok, 'POST', `/products/${productId}/invites`, { role: p.role });
    const login = await http.post('/api/v1/tokens', { data: { email: p.email, password: demo.password } });
    const token = (await login.json()).token as string;
    await api(http, token, 'POST', `/invites/${invite.token}/accept`, {});
  }
}

async function signedIn(browser: Browser, baseURL: string, email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await logIn(page, email, demo.password);
  return page;
}

/** Everyone opens the room and joins; waits until each page's live channel is up. */
async function enter(pages: Page[], room: string) {
  for (const page of pages) {
    await page.goto(room);
    // Members join (stakeholders as spectators in a refinement); anyone already in goes straight to the room.
    const lobby = page.locator('.lobby-card');
    await page.locator('.lobby-card, .live-status').first().waitFor();
    if (await lobby.isVisible()) {
      await lobby.getByRole('button').first().click();
      await lobby.waitFor({ state: 'detached' });
    }
    await page
      .locator('.live-status:not(.live-text *)')
      .filter({ hasText: /: Live$/ })
      .waitFor();
    await stampClicks(page);
  }
}

async function main() {
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: chromiumPath }).catch(async (error) => {
    await server.stop();
    throw error;
  });
  const results = new Map<string, number[]>();
  // Where the time went: when each watcher's reload of its data started and ended, from the click.
  const stages = new Map<
    string,
    { actionStart: number[]; actionEnd: number[]; reloadStart: number[]; reloadEnd: number[]; live: number }
  >();
  const add = (kind: string, sample: Awaited<ReturnType<typeof measure>>) => {
    results.set(kind, [...(results.get(kind) ?? []), ...sample.delays]);
    const s = stages.get(kind) ?? { actionStart: [], actionEnd: [], reloadStart: [], reloadEnd: [], live: 0 };
    if (sample.action) {
      s.actionStart.push(sample.action.start);
      s.actionEnd.push(sample.action.end);
    }
    for (const stage of sample.stages) {
      if (stage.reloadStart !== null) s.reloadStart.push(stage.reloadStart);
      if (stage.reloadEnd !== null) s.reloadEnd.push(stage.reloadEnd);
      if (stage.fromLive) s.live++;
    }
    stages.set(kind, s);
  };
  try {
    const http = await request.newContext({ baseURL: server.baseURL });
    const criteria = [1, 2, 3]
      .map((n) => `Scenario: Case ${n}\n  Given a patient\n  When they book slot ${n}\n  Then it is booked`)
      .join('\n\n');
    // A fresh product of the demo owner with a sprint under review; two more backlog items for the agendas.
    const review = await reviewUnderWay(http, { description: 'Booking online', criteria });
    const productId = review.productId;
    const ownerTok = await ownerToken(http);
    const titles = [`First ${unique()}`, `Second ${unique()}`, `Third ${unique()}`];
    const items: string[] = [];
    for (const title of titles)
      items.push((await api(http, ownerTok, 'POST', `/products/${productId}/items`, { title })).id);
    await addMembers(http, ownerTok, productId);

    const owner = await signedIn(browser, server.baseURL, demo.owner);
    const others = [
      await signedIn(browser, server.baseURL, demo.teamMembers[0]),
      await signedIn(browser, server.baseURL, demo.teamMembers[1]),
      await signedIn(browser, server.baseURL, demo.stakeholders[0]),
    ];
    const everyone = [owner, ...others];
    const roomOf = (sessionId: string) => `/products/${productId}/sessions/${sessionId}`;

    // ---- Refinement: poker reveal, phase change, current agenda item -------------------------------------
    const refinement = await api(http, ownerTok, 'POST', `/products/${productId}/sessions`, {
      title: `Bench refinement ${unique()}`,
      kind: 'refinement',
      agenda: items,
    });
    await enter(everyone, roomOf(refinement.id));
    const poker = (page: Page) => page.getByRole('region', { name: 'Planning poker' });
    for (let i = 0; i < repeats; i++) {
      const round = i + 1;
      await poker(owner)
        .getByRole('button', { name: i === 0 ? 'Start round' : 'Re-vote' })
        .click();
      await poker(owner)
        .getByRole('toolbar', { name: /Your card/ })
        .getByRole('button', { name: '5', exact: true })
        .click();
      await poker(owner).getByText('You voted 5').waitFor();
      for (const w of others) await poker(w).getByText('1 of').first().waitFor();
      add(
        'Poker reveal',
        await measure(
          owner,
          others,
          { selector: `[aria-label="Cards played in round ${round}"]`, text: '' },
          () => poker(owner).getByRole('button', { name: 'Reveal cards' }).click(),
        ),
      );
    }
    const phases = owner.getByRole('list', { name: /^Phase/ });
    for (let i = 0; i < repeats; i++) {
      const label = i % 2 === 0 ? 'Wrap-up' : 'Refining';
      add(
        'Phase change',
        await measure(owner, others, { selector: '.phase-steps [aria-current="step"]', text: label }, () =>
          phases.getByRole('button', { name: label }).click(),
        ),
      );
    }
    const agenda = owner.getByRole('region', { name: 'Agenda' });
    const current = (await owner.locator('#current-title').textContent())?.trim() ?? '';
    const others2 = titles.filter((t) => t !== current);
    for (let i = 0; i < repeats; i++) {
      const title = others2[i % 2];
      add(
        'Current agenda item',
        await measure(owner, others, { selector: '#current-title', text: title, exact: true }, () =>
          agenda.getByRole('button', { name: title }).click(),
        ),
      );
    }

    // ---- Prioritisation: open voting (a fresh session each time; voting opens once per session) --------
    for (let i = 0; i < repeats; i++) {
      const session = await api(http, ownerTok, 'POST', `/products/${productId}/sessions`, {
        title: `Bench prioritisation ${unique()}`,
        kind: 'prioritisation',
        agenda: items,
        methods: ['dots'],
      });
      await enter(everyone, roomOf(session.id));
      add(
        'Open voting (prioritisation)',
        await measure(owner, others, { selector: 'main', text: 'Voting is open' }, () =>
          owner.getByRole('button', { name: 'Open voting', exact: true }).click(),
        ),
      );
    }

    // ---- Review: Met / Not met tick, feedback reaching the product owner --------------------------------
    await enter(everyone, roomOf(review.sessionId));
    const checklist = `ul[aria-label="Acceptance criteria and Definition of Done: ${review.title}"] > li:first-child .badge`;
    const region = owner.getByRole('region', { name: new RegExp(`^${review.title} · `) });
    for (let i = 0; i < repeats; i++) {
      const word = i % 2 === 0 ? 'Met' : 'Not met';
      add(
        'Review tick (Met / Not met)',
        await measure(owner, others, { selector: checklist, text: word, exact: true }, () =>
          region
            .getByRole('button', { name: new RegExp(`^${word}: `) })
            .first()
            .click(),
        ),
      );
    }
    const giver = others[2];
    const watchers = [owner, others[0], others[1]];
    for (let i = 0; i < repeats; i++) {
      const text = `Bench feedback ${unique()}`;
      // The form starts afresh once the giver's own list has the previous note: fill it after that.
      if (i > 0)
        await giver
          .locator('main li', { hasText: 'Bench feedback' })
          .nth(i - 1)
          .waitFor();
      await giver.getByLabel('Your feedback').fill(text);
      add(
        'Review feedback (to the PO and two others)',
        await measure(giver, watchers, { selector: 'main li', text }, () =>
          giver.getByRole('button', { name: 'Add feedback' }).click(),
        ),
      );
    }
    await http.dispose();
  } finally {
    await browser.close();
    await server.stop();
  }

  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(`Room latency, ${new Date().toISOString()}`);
  console.log(`Machine: ${machine()}; load average ${load} (1, 5, 15 min) at the end`);
  console.log(
    `${repeats} repeats per kind × 3 watching browsers; action = click dispatched, seen = in the DOM.\n`,
  );
  console.log('| Change | n | p50 | p95 | max |');
  console.log('|---|---|---|---|---|');
  for (const [kind, samples] of results)
    console.log(
      `| ${kind} | ${samples.length} | ${fmt(percentile(samples, 50))} | ${fmt(percentile(samples, 95))} | ${fmt(Math.max(...samples))} |`,
    );
  console.log(
    '\nWhere the time goes (p50 from the click): the acting page’s request, then the watchers’ reload of their data\n',
  );
  console.log(
    '| Change | request sent | answered | reload starts | reload ends | seen | seen before the reload |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const [kind, s] of stages) {
    const p50 = (v: number[]) => (v.length ? fmt(percentile(v, 50)) : '–');
    const seen = results.get(kind) ?? [];
    console.log(
      `| ${kind} | ${p50(s.actionStart)} | ${p50(s.actionEnd)} | ${p50(s.reloadStart)} | ${p50(s.reloadEnd)} | ${p50(seen)} | ${s.live} of ${seen.length} |`,
    );
  }
  const worst = Math.max(...[...results.values()].map((s) => percentile(s, 95)));
  console.log(
    `\nGoal: every change within 300 ms p95 — ${worst <= 300 ? 'met' : 'not met'} (worst p95 ${fmt(worst)}).`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
