#!/usr/bin/env node
// Runs axe-core and `civicscan audit --render all` over the same pages on loopback and prints,
// rule by rule, where the two agree. A developer's tool: neither CI nor `cargo test` uses it.
// Usage: see README.md beside this file.
'use strict';

const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const REPO = path.resolve(__dirname, '..', '..');
const FIX = path.join(REPO, 'tests', 'fixtures');
const ACT_ASSETS = '/WAI/content-assets/wcag-act-rules/test-assets/';
const VIEWPORT = { width: 1280, height: 900 }; // civicscan's (src/render/page.rs)

// Rules of the two tools that test the same thing under other names. Rules with the same id in
// both are paired without being listed. A page fails a pair when any of its rules fails there.
const PAIRS = [
  { axe: ['avoid-inline-spacing'], civ: ['avoid-inline-spacing-letter', 'avoid-inline-spacing-word', 'avoid-inline-spacing-line-height'] },
  { axe: ['button-name', 'input-button-name'], civ: ['button-name'] },
  { axe: ['duplicate-id-aria'], civ: ['duplicate-id-referenced'] },
  { axe: ['label', 'aria-input-field-name', 'aria-toggle-field-name'], civ: ['label'] },
  { axe: ['aria-command-name'], civ: ['aria-menuitem-name'] },
];

// civicscan's rendered rules (src/audit/a11y/rendered.rs): listed even where axe has no peer.
const RENDERED = ['focus-visible', 'keyboard-trap', 'text-spacing-clipped', 'reflow', 'target-size', 'scrollable-region-focusable'];

const MIME = {
  '.html': 'text/html; charset=utf-8', '.htm': 'text/html; charset=utf-8', '.css': 'text/css',
  '.js': 'text/javascript', '.svg': 'image/svg+xml', '.xml': 'application/xml', '.json': 'application/json',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.gif': 'image/gif', '.mp3': 'audio/mpeg', '.mp4': 'video/mp4',
};

function usage(code) {
  process.stdout.write(`Usage: nice -n 19 node compare.js [options] [SET...]

Sets (default: a11y w3c-bad act real-pages demo):
  a11y          tests/fixtures/a11y (rule fixtures and the council page)
  w3c-bad       the ten pages of W3C's Before-After Demonstration
  act           the ACT test cases (HTML ones), with W3C's expected outcome beside each
  real-pages    tests/fixtures/real-pages rebuilt as tests/real_pages.rs does
  demo          pages of \`civicscan demo serve\` (the scripted council too when it can)
  dir:PATH      every .html file under PATH, served on loopback
  url:URL       one page already served on loopback

Options:
  --civicscan PATH   the binary (default: target/release, else target/debug)
  --chromium PATH    the browser for both tools (default: $CIVICSCAN_CHROMIUM, else
                     /usr/bin/chromium-headless-shell, else /usr/bin/chromium)
  --out DIR          also write results.json and disagreements.md there
  --best-practice    also run axe's best-practice rules
  --limit N          at most N pages a set (a quick try)
  --demo-councils N  generated demo councils (default 2)
  --demo-pages N     pages read from each demo council (default 15)
  --batch N          URLs per civicscan process (default 60)
`);
  process.exit(code);
}

function parseArgs(argv) {
  const o = { sets: [], civicscan: null, chromium: null, out: null, bestPractice: false, limit: Infinity,
    demoCouncils: 2, demoPages: 15, batch: 60 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { if (i + 1 >= argv.length) usage(2); return argv[++i]; };
    const num = () => { const n = Number(val()); if (!Number.isFinite(n) || n < 1) usage(2); return n; };
    if (a === '-h' || a === '--help') usage(0);
    else if (a === '--civicscan') o.civicscan = val();
    else if (a === '--chromium') o.chromium = val();
    else if (a === '--out') o.out = val();
    else if (a === '--best-practice') o.bestPractice = true;
    else if (a === '--limit') o.limit = num();
    else if (a === '--demo-councils') o.demoCouncils = num();
    else if (a === '--demo-pages') o.demoPages = num();
    else if (a === '--batch') o.batch = num();
    else if (a.startsWith('-')) { process.stderr.write(`unknown option ${a}\n`); usage(2); }
    else o.sets.push(a);
  }
  if (!o.sets.length) o.sets = ['a11y', 'w3c-bad', 'act', 'real-pages', 'demo'];
  o.civicscan = o.civicscan || ['release', 'debug'].map((p) => path.join(REPO, 'target', p, 'civicscan')).find((p) => fs.existsSync(p));
  if (!o.civicscan) die('no civicscan binary: build one (nice -n 19 cargo build --release) or pass --civicscan PATH');
  // The browser civicscan itself would find first (src/render/mod.rs), for both tools.
  o.chromium = o.chromium || process.env.CIVICSCAN_CHROMIUM ||
    ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((p) => fs.existsSync(p));
  if (!o.chromium) die('no browser: apt-get install chromium-headless-shell, or pass --chromium PATH');
  return o;
}

function die(msg) { process.stderr.write(`axe-compare: ${msg}\n`); process.exit(1); }
const log = (msg) => process.stderr.write(`axe-compare: ${msg}\n`);

function walk(dir, keep, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, keep, out);
    else if (keep(p)) out.push(p);
  }
  return out;
}
const isHtml = (p) => /\.html?$/i.test(p);

// ---- the loopback server: folders mounted at URL prefixes ----

function startServer(mounts) {
  const server = http.createServer((req, res) => {
    let pathname;
    try { pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { pathname = '/'; }
    const m = mounts.filter((m) => pathname.startsWith(m.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
    if (m) {
      const file = path.resolve(m.root, '.' + path.posix.normalize('/' + pathname.slice(m.prefix.length)));
      if (file.startsWith(path.resolve(m.root)) && fs.existsSync(file) && fs.statSync(file).isFile()) {
        res.writeHead(200, { 'content-type': MIME[path.extname(file).toLowerCase()] || 'application/octet-stream' });
        fs.createReadStream(file).pipe(res);
        return;
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---- the page sets ----

// The page as tests/real_pages.rs rebuilds it (keep the two alike).
function realPageHtml(p) {
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  let h = '<!doctype html><html lang="en"><head><meta charset="utf-8">';
  if (p.title) h += `<title>${esc(p.title)}</title>`;
  h += '</head><body><header>';
  if (p.breadcrumb && p.breadcrumb.length) {
    h += '<nav aria-label="Breadcrumb" class="breadcrumb"><ol>';
    p.breadcrumb.forEach((c, i) => { h += `<li><a href="/crumb-${i}">${esc(c)}</a></li>`; });
    h += '</ol></nav>';
  }
  h += '</header><main>';
  if (p.h1) h += `<h1>${esc(p.h1)}</h1>`;
  h += `<p>${esc(p.excerpt)}</p>`;
  for (const s of p.headings || []) h += `<h2>${esc(s)}</h2><p></p>`;
  return h + '</main></body></html>';
}

async function crawl(home, max) {
  const seen = new Set([home]);
  const queue = [home];
  const pages = [];
  while (queue.length && pages.length < max) {
    const url = queue.shift();
    let res, body;
    try {
      res = await fetch(url, { redirect: 'manual' });
      body = await res.text();
    } catch { continue; }
    if (res.status !== 200 || !(res.headers.get('content-type') || '').includes('text/html')) continue;
    pages.push(url);
    for (const m of body.matchAll(/href="([^"#]+)/g)) {
      let u;
      try { u = new URL(m[1].replace(/&amp;/g, '&'), url); } catch { continue; }
      if (u.origin !== new URL(home).origin || seen.has(u.href) || /\.(css|js|pdf|docx?|xlsx?|csv|png|jpe?g|svg|xml|txt)$/i.test(u.pathname)) continue;
      seen.add(u.href);
      queue.push(u.href);
    }
  }
  return pages;
}

async function startDemo(opts) {
  const help = spawnSync(opts.civicscan, ['demo', 'serve', '--help'], { encoding: 'utf8' }).stdout || '';
  const scripted = help.includes('--scripted');
  if (!scripted) log('this civicscan cannot serve the scripted council (`demo serve --scripted`); generated councils only');
  const args = ['demo', 'serve', '--councils', String(opts.demoCouncils)].concat(scripted ? ['--scripted'] : []);
  const child = spawn(opts.civicscan, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const homes = await new Promise((resolve, reject) => {
    let buf = '';
    const found = [];
    const timer = setTimeout(() => reject(new Error('demo serve printed no councils within 60 s')), 60000);
    child.stdout.on('data', (d) => {
      buf += d;
      for (const line of buf.split('\n')) {
        const m = /^\s+(\S+)\s.*\s(http:\/\/\S+)\s*$/.exec(line);
        if (m && !found.some((f) => f.slug === m[1])) found.push({ slug: m[1], url: m[2] });
      }
      if (found.length >= opts.demoCouncils + (scripted ? 1 : 0)) { clearTimeout(timer); resolve(found); }
    });
    child.on('exit', (c) => { clearTimeout(timer); reject(new Error(`demo serve exited with ${c}`)); });
  });
  const pages = [];
  for (const h of homes) for (const u of await crawl(h.url, opts.demoPages)) pages.push({ url: u, source: `demo ${h.slug} ${new URL(u).pathname}` });
  return { child, pages };
}

async function buildSets(opts, base, mounts, tmp) {
  const sets = [];
  const add = (name, files, root, prefix, extra = () => ({})) => {
    mounts.push({ prefix, root });
    sets.push({ name, pages: files.slice(0, opts.limit).map((f) => ({
      url: base + prefix + path.relative(root, f).split(path.sep).map(encodeURIComponent).join('/'),
      source: path.relative(REPO, f), ...extra(f) })) });
  };
  for (const s of opts.sets) {
    if (s === 'a11y') {
      const root = path.join(FIX, 'a11y');
      add('a11y', walk(root, isHtml), root, '/a11y/', (f) => {
        const m = /rule=(\S+) expect=(\S+)/.exec(fs.readFileSync(f, 'utf8').slice(0, 400));
        return m ? { fixture: { rule: m[1], expect: m[2] } } : {};
      });
    } else if (s === 'w3c-bad') {
      const root = path.join(FIX, 'w3c-bad');
      const files = ['before', 'after'].flatMap((d) => fs.readdirSync(path.join(root, d)).filter(isHtml).sort().map((f) => path.join(root, d, f)));
      add('w3c-bad', files, root, '/w3c-bad/');
    } else if (s === 'act') {
      const root = path.join(FIX, 'act');
      const index = JSON.parse(fs.readFileSync(path.join(root, 'testcases.json'), 'utf8')).testcases;
      const byPath = new Map(index.map((t) => [path.join(root, t.relativePath), t]));
      const files = walk(path.join(root, 'testcases'), isHtml).filter((f) => byPath.has(f));
      mounts.push({ prefix: ACT_ASSETS, root: path.join(root, 'test-assets') });
      add('act', files, root, '/act/', (f) => {
        const t = byPath.get(f);
        return { act: { rule: t.ruleId, name: t.ruleName, expected: t.expected, title: t.testcaseTitle } };
      });
    } else if (s === 'real-pages') {
      const dir = path.join(tmp, 'real-pages');
      fs.mkdirSync(dir, { recursive: true });
      const lines = fs.readFileSync(path.join(FIX, 'real-pages', 'pages.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
      const files = lines.map((l, i) => {
        const p = JSON.parse(l);
        const f = path.join(dir, `${String(i + 1).padStart(3, '0')}-${p.council}.html`);
        fs.writeFileSync(f, realPageHtml(p));
        return f;
      });
      add('real-pages', files, dir, '/real-pages/', (f) => ({ source: `tests/fixtures/real-pages/pages.jsonl line ${Number(path.basename(f).slice(0, 3))}` }));
    } else if (s === 'demo') {
      const demo = await startDemo(opts);
      sets.push({ name: 'demo', pages: demo.pages.slice(0, opts.limit), child: demo.child });
    } else if (s.startsWith('dir:')) {
      const root = path.resolve(s.slice(4));
      add(path.basename(root), walk(root, isHtml), root, `/${sets.length}-${path.basename(root)}/`);
    } else if (s.startsWith('url:')) {
      const u = new URL(s.slice(4));
      if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && !u.hostname.endsWith('.localhost')) die(`${u}: not on loopback`);
      sets.push({ name: 'urls', pages: [{ url: u.href, source: u.href }] });
    } else die(`unknown set ${s}`);
  }
  return sets;
}

// ---- axe-core ----

async function runAxe(opts, pages) {
  const puppeteer = require('puppeteer-core');
  const axe = require('axe-core');
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'].concat(opts.bestPractice ? ['best-practice'] : []);
  const browser = await puppeteer.launch({
    executablePath: opts.chromium, headless: opts.chromium.includes('headless-shell') ? 'shell' : true, defaultViewport: VIEWPORT,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars', '--force-color-profile=srgb', '--font-render-hinting=none', '--mute-audio'],
  });
  const results = new Map();
  let done = 0;
  try {
    for (const p of pages) {
      const page = await browser.newPage();
      const work = (async () => {
        await page.goto(p.url, { waitUntil: 'load', timeout: 20000 });
        // Pages with script get a moment to finish what they start after the load event.
        if (await page.evaluate(() => !!document.querySelector('script'))) {
          await page.waitForNetworkIdle({ idleTime: 300, timeout: 3000 }).catch(() => {});
        }
        for (const f of page.frames()) await f.evaluate(axe.source).catch(() => {});
        return page.evaluate(async (tags) => {
          const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, rules: { 'target-size': { enabled: true } }, resultTypes: ['violations', 'incomplete'] });
          const slim = (x) => ({ id: x.id, nodes: x.nodes.slice(0, 8).map((n) => ({
            target: n.target.join(' '), html: n.html.slice(0, 160),
            message: [...n.any, ...n.all, ...n.none].map((c) => c.message).filter(Boolean).slice(0, 2).join(' / ') })), count: x.nodes.length });
          return { violations: r.violations.map(slim), incomplete: r.incomplete.map(slim) };
        }, tags);
      })();
      const timeout = new Promise((_, rej) => setTimeout(() => rej(new Error('page took over 60 s')), 60000));
      try { results.set(p.url, await Promise.race([work, timeout])); } catch (e) { results.set(p.url, { error: String(e.message || e) }); }
      await page.close().catch(() => {});
      if (++done % 100 === 0) log(`axe: ${done}/${pages.length} pages`);
    }
  } finally { await browser.close().catch(() => {}); }
  return { results, version: axe.version, rules: axe.getRules(tags).map((r) => r.ruleId) };
}

// ---- civicscan ----

function rulesetFile(tmp) {
  // The shipped ruleset with a loopback-friendly request rate: every page and stylesheet is on
  // one host here, and the survey's one request a second would make the run take an hour.
  const text = fs.readFileSync(path.join(REPO, 'rulesets', 'better-connected.toml'), 'utf8')
    .replace(/^requests_per_second\s*=.*$/m, 'requests_per_second = 500.0');
  const f = path.join(tmp, 'ruleset.toml');
  fs.writeFileSync(f, text);
  return f;
}

function civicscanRules() {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  return [...readme.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
}

async function runCivicscan(opts, pages, tmp) {
  const ruleset = rulesetFile(tmp);
  const results = new Map();
  for (let i = 0; i < pages.length; i += opts.batch) {
    const urls = pages.slice(i, i + opts.batch).map((p) => p.url);
    const args = ['audit', '--render', 'all', '--format', 'json', '--allow-private', '--ruleset', ruleset, '--chromium', opts.chromium, ...urls];
    const { out, err } = await new Promise((resolve) => {
      const child = spawn(opts.civicscan, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '', err = '';
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { err += d; });
      child.on('close', () => resolve({ out, err }));
    });
    for (const line of out.split('\n').filter((l) => l.trim())) {
      const r = JSON.parse(line);
      results.set(r.page, { findings: r.findings, cut: r.cut, rendered: r.findings.every((f) => f.rendered) });
    }
    for (const line of err.split('\n')) {
      const m = /^warning: (\S+): not rendered, static findings only: (.*)$/.exec(line);
      if (m && results.has(m[1])) { results.get(m[1]).rendered = false; results.get(m[1]).why = m[2]; }
    }
    for (const u of urls) if (!results.has(u)) results.set(u, { error: (err.split('\n').find((l) => l.includes(u)) || 'no output').slice(0, 300) });
    log(`civicscan: ${Math.min(i + opts.batch, pages.length)}/${pages.length} pages`);
  }
  return results;
}

// ---- comparison ----

function pairsFor(axeRules, civRules) {
  const pairs = PAIRS.filter((p) => p.axe.some((r) => axeRules.includes(r))).map((p) => ({ ...p }));
  const taken = new Set(pairs.flatMap((p) => p.axe.concat(p.civ)));
  for (const r of axeRules) if (civRules.includes(r) && !taken.has(r)) pairs.push({ axe: [r], civ: [r] });
  for (const r of RENDERED) if (!pairs.some((p) => p.civ.includes(r))) pairs.push({ axe: [], civ: [r] });
  return pairs;
}

function verdicts(pair, axeRes, civRes) {
  const av = axeRes.violations.filter((v) => pair.axe.includes(v.id));
  const ai = axeRes.incomplete.filter((v) => pair.axe.includes(v.id));
  const cf = civRes.findings.filter((f) => pair.civ.includes(f.rule));
  return {
    axeFail: av.length > 0, axeReview: ai.length > 0, av, ai,
    civFail: cf.some((f) => f.outcome === 'failed'), civCant: cf.some((f) => f.outcome === 'cantTell'), cf,
  };
}

function compare(sets, axe, civ, civRules) {
  const pairs = pairsFor(axe.rules, civRules);
  const rows = new Map(pairs.map((p) => [p, { pair: p, both: 0, axeOnly: 0, civOnly: 0, axeReview: 0, axeReviewCivFail: 0, civCant: 0, civCantAxeFail: 0, pages: 0, disagreements: [] }]));
  const skipped = [];
  let compared = 0;
  for (const set of sets) {
    for (const p of set.pages) {
      const a = axe.results.get(p.url), c = civ.get(p.url);
      if (!a || a.error || !c || c.error || !c.rendered) {
        skipped.push({ set: set.name, url: p.url, source: p.source, axe: a && a.error, civicscan: c && (c.error || c.why) });
        continue;
      }
      compared++;
      for (const row of rows.values()) {
        const v = verdicts(row.pair, a, c);
        row.pages++;
        if (v.axeFail && v.civFail) row.both++;
        else if (v.axeFail) row.axeOnly++;
        else if (v.civFail) row.civOnly++;
        if (v.axeReview && !v.axeFail) { row.axeReview++; if (v.civFail) row.axeReviewCivFail++; }
        if (v.civCant && !v.civFail) { row.civCant++; if (v.axeFail) row.civCantAxeFail++; }
        if (v.axeFail !== v.civFail && row.pair.axe.length) {
          row.disagreements.push({ set: set.name, url: p.url, source: p.source, fixture: p.fixture, act: p.act,
            axe: v.axeFail ? 'fails' : v.axeReview ? 'needs review' : 'passes',
            civicscan: v.civFail ? 'fails' : v.civCant ? 'cannot tell' : 'passes',
            axeNodes: v.av.concat(v.ai).flatMap((x) => x.nodes.map((n) => ({ rule: x.id, ...n }))).slice(0, 8),
            civFindings: v.cf.slice(0, 8).map((f) => ({ rule: f.rule, outcome: f.outcome, selector: f.selector, snippet: f.snippet, message: f.message })) });
        }
      }
    }
  }
  return { rows: [...rows.values()], skipped, compared };
}

function table(cmp) {
  const name = (r) => (r.pair.axe.length ? r.pair.axe.join(' + ') : '—') + ' ~ ' + r.pair.civ.join(' + ');
  const active = cmp.rows.filter((r) => r.both + r.axeOnly + r.civOnly + r.axeReview + r.civCant > 0 || RENDERED.some((x) => r.pair.civ.includes(x)));
  const lines = ['| axe-core ~ civicscan | both fail | only axe | only civicscan | axe review (civicscan fails) | civicscan cannot tell (axe fails) |', '|---|---:|---:|---:|---:|---:|'];
  for (const r of active.sort((a, b) => name(a).localeCompare(name(b)))) {
    lines.push(`| ${name(r)} | ${r.both} | ${r.pair.axe.length ? r.axeOnly : '—'} | ${r.civOnly} | ${r.pair.axe.length ? `${r.axeReview} (${r.axeReviewCivFail})` : '—'} | ${r.civCant} (${r.civCantAxeFail}) |`);
  }
  const quiet = cmp.rows.filter((r) => !active.includes(r)).map(name);
  return lines.join('\n') + (quiet.length ? `\n\nShared rules that neither tool flagged on any page: ${quiet.length}.` : '');
}

function disagreementsMd(cmp) {
  const out = ['# Disagreements', ''];
  for (const r of cmp.rows.filter((r) => r.disagreements.length)) {
    out.push(`## ${r.pair.axe.join(' + ')} ~ ${r.pair.civ.join(' + ')}`, '');
    for (const d of r.disagreements) {
      out.push(`- **${d.set}** \`${d.source}\` (${d.url}): axe ${d.axe}, civicscan ${d.civicscan}` +
        (d.act ? `; ACT ${d.act.rule} "${d.act.name}", ${d.act.title}: expected ${d.act.expected}` : '') +
        (d.fixture ? `; fixture for ${d.fixture.rule}, expected ${d.fixture.expect}` : ''));
      for (const n of d.axeNodes) out.push(`  - axe ${n.rule}: \`${n.target}\` ${n.message}`);
      for (const f of d.civFindings) out.push(`  - civicscan ${f.rule} ${f.outcome}: \`${f.selector}\` ${f.message}`);
    }
    out.push('');
  }
  return out.join('\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'axe-compare-'));
  const mounts = [];
  const server = await startServer(mounts);
  const base = `http://127.0.0.1:${server.address().port}`;
  let sets = [];
  try {
    sets = await buildSets(opts, base, mounts, tmp);
    const pages = sets.flatMap((s) => s.pages);
    log(`${pages.length} pages in ${sets.length} sets; civicscan ${opts.civicscan}; browser ${opts.chromium}`);
    let t = Date.now();
    const civ = await runCivicscan(opts, pages, tmp);
    log(`civicscan took ${((Date.now() - t) / 1000).toFixed(1)} s`);
    t = Date.now();
    const axe = await runAxe(opts, pages);
    log(`axe-core took ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const cmp = compare(sets, axe, civ, civicscanRules());
    const version = spawnSync(opts.civicscan, ['--version'], { encoding: 'utf8' }).stdout.trim();
    const browser = spawnSync(opts.chromium, ['--version'], { encoding: 'utf8' }).stdout.trim();
    const head = `axe-core ${axe.version} (tags wcag2a/aa, wcag21a/aa, wcag22a/aa${opts.bestPractice ? ', best-practice' : ''}) against ${version} --render all, ${browser}\n` +
      `Pages: ${sets.map((s) => `${s.name} ${s.pages.length}`).join(', ')}; compared ${cmp.compared}, skipped ${cmp.skipped.length} (not loaded or not rendered by one of the tools).\n`;
    process.stdout.write(head + '\n' + table(cmp) + '\n');
    for (const s of cmp.skipped) process.stdout.write(`skipped ${s.set} ${s.source}: axe ${s.axe || 'ok'}; civicscan ${s.civicscan || 'ok'}\n`);
    if (opts.out) {
      fs.mkdirSync(opts.out, { recursive: true });
      const perPage = sets.flatMap((s) => s.pages.map((p) => ({ set: s.name, ...p, axe: axe.results.get(p.url), civicscan: civ.get(p.url) })));
      fs.writeFileSync(path.join(opts.out, 'results.json'), JSON.stringify({ head, rows: cmp.rows.map(({ disagreements, ...r }) => r), skipped: cmp.skipped, pages: perPage }, null, 1));
      fs.writeFileSync(path.join(opts.out, 'disagreements.md'), disagreementsMd(cmp));
      fs.writeFileSync(path.join(opts.out, 'table.md'), head + '\n' + table(cmp) + '\n');
      log(`wrote ${opts.out}/results.json, disagreements.md and table.md`);
    }
  } finally {
    for (const s of sets) if (s.child) s.child.kill();
    server.closeAllConnections();
    server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => die(e.stack || String(e)));
