// The dashboard at /ui/ in a real browser: Debian's headless Chromium driven by playwright-core, against a real
// `tollgate serve` with the demo provider (the built-in emulator) and the harness's emulated providers. Every view
// is saved as a screenshot under artifacts/dashboard/ (not committed) for a person to look at.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { MASTER_KEY, client, getJson, ledgerEntries, repoRoot, startStack, stopStack } from './harness.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(repoRoot, 'tests', 'e2e-js', 'artifacts', 'dashboard');
// A key name and metadata that would run script if the page ever treated them as markup.
const HOSTILE_NAME = '<img src=x onerror="window.__xss=1;alert(1)">';
const HOSTILE_META = '<script>window.__xss=2</script>';

let stack;
let browser;
let profile;
const problems = [];

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startStack({ config: { demo: true } });
  profile = mkdtempSync(join(tmpdir(), 'tollgate-dashboard-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    // Without the background-networking flags Chromium keeps calling out, and this machine has no network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  if (profile) {
    rmSync(profile, { recursive: true, force: true });
  }
  await stopStack(stack);
});

/** A fresh tab that records script errors, dialogs and CSP violations: any of them fails the test that opened it. */
async function newPage() {
  const page = await browser.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', async (d) => {
    problems.push(`dialog: ${d.type()} ${d.message()}`);
    await d.dismiss();
  });
  page.on('console', (m) => {
    // Refused API calls (a wrong key at sign-in, a virtual key asking for /v1/keys) are logged as failed loads; they are expected.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      problems.push(`console: ${m.text()}`);
    }
  });
  return page;
}

async function closePage(page) {
  const xss = await page.evaluate(() => window.__xss);
  await page.close();
  assert.equal(xss, undefined, 'a key name or metadata ran as script');
  assert.deepEqual(problems.splice(0), []);
}

async function signIn(page, key) {
  await page.goto(`${stack.rootURL}/ui/`);
  await page.fill('input[name=key]', key);
  await page.click('form.signin button[type=submit]');
  await page.waitForSelector('[data-testid=who]');
}

async function shot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** "$0.000161" -> 0.000161 */
const dollars = (text) => Number(text.trim().replace(/^\$/, '').replace(/,/g, ''));

/** Non-background pixels of a canvas: a chart with data paints its bars in the palette's colours. */
// Chart.js draws after the data arrives (and animates): the count is polled, for at most 5 s, until bars show.
async function paintedPixels(page, testid) {
  let n = 0;
  for (let i = 0; i < 50 && n <= 20; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 100));
    n = await countPainted(page, testid);
  }
  return n;
}

async function countPainted(page, testid) {
  return page.$eval(`[data-testid=${testid}]`, (canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      // #2563eb, the first series' colour.
      if (data[i + 3] > 200 && Math.abs(data[i] - 0x25) < 8 && Math.abs(data[i + 1] - 0x63) < 8 && Math.abs(data[i + 2] - 0xeb) < 8) {
        n++;
      }
    }
    return n;
  });
}

let teamKey;
let teamPrefix;

test('signIn_MasterKey_OverviewChartsShowTheTrafficJustMade', async () => {
  const openai = client(stack);
  const ids = [];
  for (const model of ['demo/demo-chat', 'demo/demo-chat', 'openai/gpt-4o-mini', 'groq/llama-3.3-70b-versatile']) {
    const { response } = await openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hello dashboard' }] }).withResponse();
    ids.push(response.headers.get('x-tollgate-request-id'));
  }
  await ledgerEntries(stack, ids);
  const usage = (await getJson(stack, '/v1/usage')).body.total;

  const page = await newPage();
  await page.goto(`${stack.rootURL}/ui/`);
  await shot(page, 'signin');
  await page.fill('input[name=key]', 'tg-not-a-real-key');
  await page.click('form.signin button[type=submit]');
  await page.waitForSelector('.notice.error');
  assert.match(await page.textContent('.notice.error'), /Invalid API key/);

  await signIn(page, MASTER_KEY);
  await page.waitForSelector('[data-testid=stat-spend]');
  assert.match(await page.textContent('[data-testid=who]'), /master key/);
  assert.equal(dollars(await page.textContent('[data-testid=stat-spend] .stat-value')), usage.cost);
  assert.equal(await page.textContent('[data-testid=stat-requests] .stat-value'), String(usage.requests));
  assert.ok(usage.requests >= 4 && usage.cost > 0);
  assert.ok(await paintedPixels(page, 'chart-spend') > 20, 'the spend chart has bars');
  assert.ok(await paintedPixels(page, 'chart-requests') > 20, 'the requests chart has bars');
  const providers = await page.$$eval('[data-testid=providers] tbody td:first-child', (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(providers.sort(), ['demo', 'groq', 'openai']);
  await page.selectOption('select[aria-label="Split by"]', 'provider');
  await page.waitForFunction(() => location.hash.includes('split=provider'));
  await page.waitForSelector('[data-testid=chart-spend]');
  await shot(page, 'overview');
  await closePage(page);
});

test('playground_StreamedReply_ShowsUsageAndTheLedgersCost', async () => {
  const page = await newPage();
  await signIn(page, MASTER_KEY);
  await page.goto(`${stack.rootURL}/ui/#/playground`);
  await page.waitForSelector('select[name=model]');
  await page.selectOption('select[name=model]', 'demo/demo-chat');
  await page.fill('textarea[name=prompt]', 'Tell me about tollgates');
  await page.click('form.composer button[type=submit]');
  await page.waitForSelector('[data-testid=reply-cost]');

  const reply = await page.textContent('[data-testid=reply] .text');
  assert.match(reply, /tollgates/i, 'the emulator echoes the prompt');
  const href = await page.getAttribute('[data-testid=reply] a', 'href');
  const id = decodeURIComponent(href.split('id=')[1]);
  const entry = (await ledgerEntries(stack, [id])).get(id);
  assert.equal(entry.stream, true);
  assert.ok(entry.cost > 0);
  assert.equal(dollars(await page.textContent('[data-testid=reply-cost]')), entry.cost);
  assert.match(await page.textContent('[data-testid=reply] .reply-meta'), new RegExp(`${entry.usage.output_tokens} out`));
  await shot(page, 'playground');

  // The reply's ledger link opens the request log with that request's detail and its cost.
  await page.click('[data-testid=reply] a');
  await page.waitForSelector('[data-testid=request-detail]');
  assert.equal(dollars(await page.textContent('[data-testid=detail-cost]')), entry.cost);
  await closePage(page);
});

test('keys_CreateEditDisable_HostileNameIsText_AndTheGatewayRefusesTheDisabledKey', async () => {
  const page = await newPage();
  await signIn(page, MASTER_KEY);
  await page.goto(`${stack.rootURL}/ui/#/keys`);
  await page.click('[data-testid=new-key]');
  await page.fill('[data-testid=key-form] input[name=name]', HOSTILE_NAME);
  await page.fill('[data-testid=key-form] input[name=threshold]', '2');
  await page.selectOption('[data-testid=key-form] select[name=retention]', 'week');
  await page.fill('[data-testid=key-form] textarea[name=metadata]', `team=${HOSTILE_META}`);
  await page.click('[data-testid=key-form] button[type=submit]');
  await page.waitForSelector('[data-testid=created-key]');
  teamKey = await page.inputValue('[data-testid=created-key]');
  assert.match(teamKey, /^tg-[A-Za-z0-9]{40}$/);
  teamPrefix = teamKey.slice(0, 8);

  const row = `[data-testid=keys] tr[data-id="${teamPrefix}"]`;
  await page.waitForSelector(row);
  assert.equal(await page.textContent(`${row} .key-name`), HOSTILE_NAME + `team=${HOSTILE_META}`);
  assert.equal(await page.$$eval('[data-testid=keys] img, [data-testid=keys] script', (els) => els.length), 0);
  assert.match(await page.textContent(`${row} .budget-text`), /\$0 of \$2\.00 per week/);
  await shot(page, 'keys-created');

  // The key works, then its spend shows against the budget.
  const openai = client(stack, { apiKey: teamKey });
  const { response } = await openai.chat.completions.create({ model: 'demo/demo-chat', messages: [{ role: 'user', content: 'from the team' }] }).withResponse();
  const id = response.headers.get('x-tollgate-request-id');
  const entry = (await ledgerEntries(stack, [id])).get(id);
  await page.reload();
  await page.waitForSelector(row);
  assert.match(await page.textContent(`${row} .budget-text`), new RegExp(`^\\$${entry.cost} of \\$2\\.00 per week`));

  // Edit a limit: only it changes.
  await page.click(`${row} button:text("Edit")`);
  await page.fill('[data-testid=key-form] input[name=rpm]', '7');
  await page.click('[data-testid=key-form] button[type=submit]');
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('7 rpm'), `${row} .limits`);
  const edited = (await getJson(stack, '/v1/keys')).body.data.find((k) => k.prefix === teamPrefix);
  assert.equal(edited.rpm, 7);
  assert.equal(edited.name, HOSTILE_NAME);
  assert.equal(edited.limit.threshold, 2);

  // Disable: the gateway refuses the key.
  await page.click(`${row} button:text("Disable")`);
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('disabled'), `${row} td:nth-child(3)`);
  await assert.rejects(
    openai.chat.completions.create({ model: 'demo/demo-chat', messages: [{ role: 'user', content: 'still there?' }] }),
    (err) => err.status === 401 && /disabled/.test(err.message));
  await shot(page, 'keys');
  await page.click(`${row} button:text("Enable")`);
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('active'), `${row} td:nth-child(3)`);
  await closePage(page);
});

test('requests_FilterByStatusAndKey_ShowsOnlyMatchingRows', async () => {
  // A refused request (bad key) and one to a closed provider (mistral points at a closed port: 502).
  await fetch(`${stack.baseURL}/chat/completions`, { method: 'POST', headers: { Authorization: 'Bearer tg-wrong', 'Content-Type': 'application/json' }, body: '{}' });
  await client(stack).chat.completions.create({ model: 'mistral/mistral-small-latest', messages: [{ role: 'user', content: 'x' }] }).catch(() => {});

  const page = await newPage();
  await signIn(page, MASTER_KEY);
  await page.goto(`${stack.rootURL}/ui/#/requests`);
  await page.waitForSelector('[data-testid=requests] tbody tr');
  const all = await page.$$eval('[data-testid=requests] tbody tr', (rows) => rows.length);

  await page.selectOption('[data-testid=request-filters] select[name=status]', 'error');
  await page.click('[data-testid=request-filters] button[type=submit]');
  await page.waitForFunction(() => location.hash.includes('status=error'));
  await page.waitForSelector('[data-testid=requests] tbody tr');
  const statuses = await page.$$eval('[data-testid=requests] tbody tr .status', (els) => els.map((e) => Number(e.textContent)));
  assert.ok(statuses.length >= 2 && statuses.length < all, `${statuses.length} of ${all}`);
  assert.ok(statuses.every((s) => s >= 400), statuses.join(','));
  assert.ok(statuses.includes(401) && statuses.includes(502), statuses.join(','));

  await page.click('[data-testid=request-filters] a.button');
  await page.waitForFunction(() => location.hash === '#/requests');
  await page.selectOption('[data-testid=request-filters] select[name=key]', teamPrefix);
  await page.click('[data-testid=request-filters] button[type=submit]');
  await page.waitForFunction(() => location.hash.includes('key='));
  await page.waitForSelector('[data-testid=requests] tbody tr');
  const keys = await page.$$eval('[data-testid=requests] tbody tr td:nth-child(2) code', (els) => els.map((e) => e.textContent));
  assert.deepEqual(keys, [teamPrefix]);

  await page.click('[data-testid=requests] tbody tr');
  await page.waitForSelector('[data-testid=request-detail]');
  assert.match(await page.textContent('[data-testid=request-detail]'), /Input \(uncached\)/);
  // The detail lists the attempts the ledger has for the newest of the key's requests (none for a refused one).
  const newest = (await getJson(stack, `/v1/requests?key=${teamPrefix}&limit=1`)).body.data[0];
  const shown = await page.$$eval('[data-testid=detail-attempts] tbody tr', (rows) => rows.map((r) => r.cells[1].textContent));
  assert.deepEqual(shown, newest.attempts.map((a) => a.provider));
  if (newest.attempts.length === 0) assert.match(await page.textContent('[data-testid=request-detail]'), /refused before it was sent/);
  await shot(page, 'requests');
  await closePage(page);
});

test('models_SearchSortAndCompareTwoModels_CostsComeFromTheGateway', async () => {
  const page = await newPage();
  await signIn(page, MASTER_KEY);
  await page.goto(`${stack.rootURL}/ui/#/models`);
  await page.waitForSelector('[data-testid=models] tbody tr');
  await page.fill('input[aria-label="Search models"]', 'gpt-4o');
  const shown = await page.$$eval('[data-testid=models] tbody tr', (rows) => rows.map((r) => r.dataset.id));
  assert.ok(shown.length >= 2 && shown.every((id) => id.includes('gpt-4o')), shown.join(','));

  // Sort by input price, dearest first.
  await page.click('[data-testid=models] th:text("Input / 1M")');
  await page.click('[data-testid=models] th:text("Input / 1M")');
  const prices = await page.$$eval('[data-testid=models] tbody tr td:nth-child(5)', (tds) => tds.map((td) => Number(td.textContent.replace('$', ''))));
  assert.deepEqual(prices, [...prices].sort((a, b) => b - a));

  await page.check('input[aria-label="Compare openai/gpt-4o"]');
  await page.check('input[aria-label="Compare openai/gpt-4o-mini"]');
  await page.fill('input[name=input]', '100000');
  await page.fill('input[name=output]', '20000');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=cost-table] tbody tr').length === 2);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=cost-table] tbody tr')].every((r) => r.textContent.includes('$')));
  const expected = (await getJson(stack, '/v1/cost?model=openai/gpt-4o&model=openai/gpt-4o-mini&input=100000&output=20000')).body.data;
  await page.waitForFunction((cost) => document.querySelector('[data-testid=cost-table] tr[data-id="openai/gpt-4o"] td.total')?.textContent === `$${cost}`,
    expected[0].cost.toFixed(2));
  const totals = await page.$$eval('[data-testid=cost-table] tbody tr', (rows) => Object.fromEntries(rows.map((r) => [r.dataset.id, r.querySelector('td.total').textContent])));
  assert.equal(dollars(totals['openai/gpt-4o']), expected[0].cost);
  assert.equal(dollars(totals['openai/gpt-4o-mini']), expected[1].cost);
  assert.match(await page.textContent('[data-testid=cost-table] tr.best'), /gpt-4o-mini.*cheapest/);
  await shot(page, 'models');
  await closePage(page);
});

test('signIn_VirtualKey_SeesOnlyItself', async () => {
  // Another key with traffic of its own, which the team key must not see anywhere.
  const res = await fetch(`${stack.baseURL}/keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${MASTER_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'other-team-secret-name', limit: { retention: 'day', threshold: 5 } }),
  });
  const other = (await res.json()).data;
  const { response } = await client(stack, { apiKey: other.key }).chat.completions
    .create({ model: 'demo/demo-chat', messages: [{ role: 'user', content: 'other team' }] }).withResponse();
  await ledgerEntries(stack, [response.headers.get('x-tollgate-request-id')]);

  const page = await newPage();
  const seen = [];
  await signIn(page, teamKey);
  assert.match(await page.textContent('[data-testid=who]'), new RegExp(teamPrefix));
  await page.waitForSelector('[data-testid=stat-spend]');
  assert.equal(await page.$('[data-testid=top-keys]'), null, 'no other keys on the overview');
  assert.equal(await page.textContent('[data-testid=stat-requests] .stat-value'), '1');
  await shot(page, 'overview-virtual-key');

  await page.goto(`${stack.rootURL}/ui/#/keys`);
  await page.waitForSelector('[data-testid=keys] tbody tr');
  const rows = await page.$$eval('[data-testid=keys] tbody tr', (trs) => trs.map((tr) => tr.dataset.id));
  assert.deepEqual(rows, [teamPrefix]);
  seen.push(await page.textContent('main'));
  assert.equal(await page.$('[data-testid=new-key]'), null);

  await page.goto(`${stack.rootURL}/ui/#/requests`);
  await page.waitForSelector('[data-testid=requests] tbody tr');
  const keys = await page.$$eval('[data-testid=requests] tbody tr td:nth-child(2)', (tds) => [...new Set(tds.map((td) => td.textContent.slice(0, 8)))]);
  assert.deepEqual(keys, [teamPrefix]);
  seen.push(await page.textContent('main'));

  await page.goto(`${stack.rootURL}/ui/#/overview?range=24h&split=key`);
  await page.waitForSelector('[data-testid=stat-spend]');
  seen.push(await page.textContent('main'));
  await page.goto(`${stack.rootURL}/ui/#/requests?status=ok`);
  await page.waitForSelector('[data-testid=requests] tbody tr');
  seen.push(await page.textContent('main'));
  for (const text of seen) {
    assert.ok(!text.includes(other.prefix) && !text.includes('other-team-secret-name'), 'the other key shows to the team key');
  }

  // The page holds the key in this tab's session storage only, never in a cookie.
  assert.equal(await page.evaluate(() => document.cookie), '');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('tollgate.key')), teamKey);
  await page.click('.nav .who button');
  await page.waitForSelector('form.signin');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('tollgate.key')), null);
  await closePage(page);
});
