// civicscan's measurements of a rendered page. Evaluated in the page after it has loaded;
// defines window.__civicscan and returns nothing. Every function returns plain JSON.
(() => {
  if (window.__civicscan) return;
  const VOID = new Set(['area','base','br','col','embed','hr','img','input','link','meta','param','source','track','wbr']);
  const RAW = new Set(['script','style','xmp','iframe','noembed','noframes','plaintext','noscript']);
  const HEAD_ONLY = new Set(['title','meta','base','link']);
  const escText = (s) => s.replace(/&/g, '&amp;').replace(/\u00a0/g, '&nbsp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const escAttr = (s) => s.replace(/&/g, '&amp;').replace(/\u00a0/g, '&nbsp;').replace(/"/g, '&quot;');

  // The flat tree as HTML: open shadow roots take the place of their host's children, slots
  // show what is assigned to them; template contents are inert and left out. An element whose
  // tree (the document or a shadow root) differs from its parent's in the flat tree says so
  // with data-civicscan-scope (SCOPE_ATTR in src/audit/a11y/dom.rs): ids, and so aria-owns,
  // reach only within one tree.
  const scopes = new Map();
  function scopeOf(el) {
    const root = el.getRootNode();
    if (root === document) return 0;
    if (!scopes.has(root)) scopes.set(root, scopes.size + 1);
    return scopes.get(root);
  }
  function serialise(node, out, inShadow, scope) {
    for (const child of node.childNodes) {
      if (child.nodeType === 3) {
        const p = child.parentNode && child.parentNode.localName;
        out.push(RAW.has(p) ? child.data : escText(child.data));
      } else if (child.nodeType === 1) {
        element(child, out, inShadow, scope);
      }
    }
  }
  function element(el, out, inShadow, parentScope) {
    const tag = el.localName;
    if (inShadow && HEAD_ONLY.has(tag)) return;
    if (tag === 'slot' && inShadow) {
      const assigned = el.assignedNodes();
      if (assigned.length) {
        for (const n of assigned) {
          if (n.nodeType === 3) out.push(escText(n.data));
          else if (n.nodeType === 1) element(n, out, false, parentScope);
        }
        return;
      }
    }
    const scope = scopeOf(el);
    out.push('<' + tag);
    for (const a of el.attributes) {
      if (!OURS.has(a.name)) out.push(' ' + a.name + '="' + escAttr(a.value) + '"');
    }
    if (scope !== parentScope) out.push(' data-civicscan-scope="' + scope + '"');
    if (!UNPAINTED.has(tag) && painted++ < PAINT_CAP) {
      out.push(' data-civicscan-paint="' + escAttr(paintAttr(el)) + '"');
    }
    // An open modal dialog makes everything outside it inert; say so where it starts.
    if (modal && !el.hasAttribute('inert') && !el.contains(modal) && !modal.contains(el) &&
        el.parentElement && el.parentElement.contains(modal)) out.push(' inert=""');
    out.push('>');
    if (VOID.has(tag)) return;
    if (tag !== 'template') {
      if (el.shadowRoot) serialise(el.shadowRoot, out, true, scope);
      else serialise(el, out, inShadow, scope);
    }
    out.push('</' + tag + '>');
  }
  // Attributes this serialiser writes (SCOPE_ATTR and PAINT_ATTR in src/audit/a11y/dom.rs): a
  // page's own are dropped, so it cannot speak for the browser.
  const OURS = new Set(['data-civicscan-scope', 'data-civicscan-paint']);
  // Elements that paint no text of their own in the page.
  const UNPAINTED = new Set(['head','title','meta','base','link','style','script','noscript','template']);
  // What the browser computed for an element's paint, for the contrast rule (PAINT_ATTR):
  // colours, background image, opacity, font, a text shadow or clip, filters and blends,
  // whether its colours or opacity are animating, and whether it is out of flow.
  const ANIMATES_PAINT = /^(color|background|opacity|filter|backdrop|mix-?blend|all)/i;
  const ANIMATES_COLOUR = /^(color|all)$/i;
  let animating = new Set();
  // Elements whose text colour is animating: their descendants inherit each frame's colour.
  let animatingColour = new Set();
  function inheritsAnimatedColour(el) {
    if (!animatingColour.size) return false;
    for (let e = el.parentElement || (el.getRootNode() && el.getRootNode().host); e;
      e = e.parentElement || (e.getRootNode() && e.getRootNode().host)) {
      if (animatingColour.has(e)) return true;
    }
    return false;
  }
  // The audit parses a page to its first 60,000 elements (MAX_ELEMENTS in src/page/mod.rs):
  // paint is not worked out for elements it will not read.
  const PAINT_CAP = 60000;
  let painted = 0;
  function paintAttr(el) {
    const cs = getComputedStyle(el);
    const none = (p) => { const v = cs.getPropertyValue(p); return v === '' || v === 'none'; };
    const pos = cs.position;
    const clip = cs.getPropertyValue('clip');
    const layout = !none('text-shadow') || (clip !== '' && clip !== 'auto') || overlaid(el);
    const positioned = pos === 'absolute' || pos === 'fixed' || pos === 'sticky';
    const effect = !none('filter') || !none('backdrop-filter') || cs.mixBlendMode !== 'normal';
    return [cs.color, cs.backgroundColor, none('background-image') ? 0 : 1, cs.opacity,
      parseFloat(cs.fontSize), cs.fontWeight, layout ? 1 : 0, effect ? 1 : 0,
      animating.has(el) || inheritsAnimatedColour(el) ? 1 : 0, positioned ? 1 : 0].join('|');
  }
  // A box that ::before or ::after paints over much of the element (the overlay that darkens a
  // banner): what is behind the text is not the element's background alone.
  const CLEAR = /^transparent$|,\s*0\)$/;
  function overlaid(el) {
    for (const pseudo of ['::before', '::after']) {
      const ps = getComputedStyle(el, pseudo);
      if (ps.content === 'none' || ps.content === 'normal') continue;
      if (ps.position !== 'absolute' && ps.position !== 'fixed') continue;
      if (ps.backgroundImage === 'none' && CLEAR.test(ps.backgroundColor)) continue;
      const w = parseFloat(ps.width), h = parseFloat(ps.height);
      if (!(w < el.offsetWidth / 2) && !(h < el.offsetHeight / 2)) return true;
    }
    return false;
  }
  // Elements whose colour, background or opacity a running (or paused) animation or
  // transition is changing: what is read of them is one frame.
  function animatingPaint() {
    const out = new Set();
    animatingColour = new Set();
    let all = [];
    try { all = document.getAnimations(); } catch (e) { return out; }
    for (const a of all) {
      const target = a.effect && a.effect.target;
      if (!target || (a.playState !== 'running' && a.playState !== 'paused')) continue;
      let props;
      if (a.transitionProperty) props = [a.transitionProperty];
      else {
        try { props = a.effect.getKeyframes().flatMap((k) => Object.keys(k)); } catch (e) { props = ['all']; }
      }
      if (props.some((p) => ANIMATES_PAINT.test(p))) out.add(target);
      if (props.some((p) => ANIMATES_COLOUR.test(p))) animatingColour.add(target);
    }
    return out;
  }
  let modal = null;
  function snapshot() {
    try { modal = document.querySelector(':modal'); } catch (e) { modal = null; }
    animating = animatingPaint();
    painted = 0;
    const out = ['<!DOCTYPE html>'];
    element(document.documentElement, out, false, 0);
    return out.join('');
  }

  // A CSS selector for an element, by id when unique, else by position.
  function selector(el) {
    const parts = [];
    while (el && el.nodeType === 1 && el !== document.documentElement) {
      if (el.id && /^[A-Za-z][\w-]*$/.test(el.id) && document.querySelectorAll('#' + el.id).length === 1) {
        parts.unshift('#' + el.id);
        break;
      }
      let i = 1;
      for (let s = el.previousElementSibling; s; s = s.previousElementSibling) if (s.localName === el.localName) i++;
      parts.unshift(el.localName + ':nth-of-type(' + i + ')');
      el = el.parentElement;
    }
    if (parts.length && !parts[0].startsWith('#')) parts.unshift('html');
    return parts.join(' > ');
  }
  function snippet(el) {
    const s = el.outerHTML || '';
    const open = s.slice(0, s.indexOf('>') + 1) || s;
    return open.length > 200 ? open.slice(0, 200) + '…' : open;
  }
  const rendered = (el) => {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none';
  };

  // What changes on screen when an element gains focus: its own paint, its pseudo-elements,
  // and that of its parents and children.
  // Paint that matters, normalised so that a line of style `none` counts as nothing whatever
  // its width or colour (browsers keep the width of an outline set to `none`).
  const PAINT = ['box-shadow','background-color','background-image','color','text-decoration-line',
    'text-decoration-color','text-decoration-thickness','text-decoration-style','transform','opacity',
    'filter','visibility','font-weight'];
  const line = (cs, what) => cs.getPropertyValue(what + '-style') === 'none' ? 'none'
    : [what + '-style', what + '-width', what + '-color', what === 'outline' ? 'outline-offset' : what + '-style']
        .map((p) => cs.getPropertyValue(p)).join(' ');
  const paintOf = (cs) => PAINT.map((p) => cs.getPropertyValue(p)).concat(
    ['outline','border-top','border-right','border-bottom','border-left'].map((w) => line(cs, w))).join('|');
  function paint(el) {
    const parts = [];
    const add = (e, pseudo) => {
      const cs = getComputedStyle(e, pseudo);
      parts.push(paintOf(cs));
      if (pseudo) parts.push(cs.getPropertyValue('content'));
    };
    for (let e = el, n = 0; e && e.nodeType === 1 && n < 3; e = e.parentElement, n++) {
      add(e, null); add(e, '::before'); add(e, '::after');
    }
    for (const c of el.querySelectorAll('*')) { if (parts.length > 400) break; add(c, null); }
    const r = el.getBoundingClientRect();
    parts.push([r.x, r.y, r.width, r.height].join(','));
    return parts.join(';');
  }

  // The element holding keyboard focus, and whether its focus shows by a change of style.
  function focusStop() {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body || el === document.documentElement) return { key: null };
    const inHidden = !!el.closest('[aria-hidden="true"]');
    const focused = paint(el);
    el.blur();
    const blurred = paint(el);
    const stillActive = document.activeElement === el;
    el.focus({ preventScroll: true });
    const back = document.activeElement === el;
    return {
      key: selector(el), snippet: snippet(el), tag: el.localName, rendered: rendered(el),
      styleChanged: focused !== blurred, diff: focused.split(';').filter((x, i) => x !== blurred.split(';')[i]).join(' // '), restored: back && !stillActive, ariaHidden: inHidden,
    };
  }
  function blurActive() { const el = document.activeElement; if (el && el.blur) el.blur(); }
  // Where the page is scrolled to: the window and every scrolled element, by its place in the
  // document. The keyboard walk takes one screen without focus per scroll state (page.rs).
  function scrollState() {
    const parts = [window.scrollX, window.scrollY];
    document.querySelectorAll('*').forEach((e, i) => {
      if (e.scrollTop || e.scrollLeft) parts.push(`${i}:${e.scrollLeft},${e.scrollTop}`);
    });
    return parts.join(' ');
  }
  function refocus(key) { const el = document.querySelector(key); if (el) el.focus({ preventScroll: true }); }

  // Elements a keyboard user should be able to reach: tabbable and rendered.
  function tabbables() {
    const sel = 'a[href],area[href],button,input:not([type=hidden]),select,textarea,iframe,summary,[tabindex],[contenteditable=""],[contenteditable=true]';
    return [...document.querySelectorAll(sel)].filter((e) => e.tabIndex >= 0 && !e.disabled && rendered(e)).map(selector);
  }

  // Text on the page that tells a keyboard user how to move on (WCAG 2.1.2 allows a trap
  // whose way out is explained).
  function mentionsKeys() {
    return /\b(press|keyboard|shortcut|ctrl|alt\s*\+|escape key|esc key)\b/i.test(document.body ? document.body.innerText : '');
  }

  // Targets smaller than 24 by 24 CSS px whose 24 px circles overlap another target, or
  // another undersized target's circle (WCAG 2.5.8). Inline links in text, user-agent controls and hidden targets are excepted.
  function targetSize() {
    const sel = 'a[href],button,input:not([type=hidden]),select,textarea,summary,[role=button],[role=link],[role=checkbox],[role=radio],[role=tab],[role=menuitem]';
    const all = [...document.querySelectorAll(sel)].filter((e) => rendered(e) && !e.disabled);
    const boxes = all.map((e) => ({ e, r: e.getBoundingClientRect() }));
    const out = [];
    const inline = (e) => {
      const cs = getComputedStyle(e);
      if (!cs.display.startsWith('inline') || cs.display === 'inline-block') return false;
      const p = e.parentElement;
      if (!p) return false;
      for (const n of p.childNodes) if (n.nodeType === 3 && n.data.trim().length > 1) return true;
      return false;
    };
    const native = (e) => ['input','select','textarea'].includes(e.localName) &&
      getComputedStyle(e).getPropertyValue('appearance') !== 'none';
    // A target for certain: a link or control, or focusable. An element with only a widget role
    // (a menuitem span without tabindex) may take no pointer input at all.
    const sure = (e) => e.matches('a[href],button,input,select,textarea,summary,[onclick]') || e.tabIndex >= 0;
    for (const { e, r } of boxes) {
      if (r.width >= 24 && r.height >= 24) continue;
      if (inline(e) || native(e)) continue;
      const cx = r.x + r.width / 2, cy = r.y + r.height / 2;
      let clash = null, doubtful = null;
      for (const o of boxes) {
        if (o.e === e || o.e.contains(e) || e.contains(o.e)) continue;
        const ox = o.r.x + o.r.width / 2, oy = o.r.y + o.r.height / 2;
        const big = o.r.width >= 24 && o.r.height >= 24;
        // WCAG 2.5.8's spacing: this target's 24 px circle may touch neither another target
        // (whatever its size: a stack of 18 px menu items fails, Understanding 2.5.8) nor, when
        // that one is undersized too, its circle.
        const near = Math.hypot(Math.max(o.r.x - cx, 0, cx - o.r.right), Math.max(o.r.y - cy, 0, cy - o.r.bottom)) < 12 ||
          (!big && Math.hypot(ox - cx, oy - cy) < 24);
        if (near && sure(o.e)) { clash = o.e; break; }
        if (near && !doubtful) doubtful = o.e;
      }
      const other = clash || doubtful;
      if (other && out.length < 200) out.push({ selector: selector(e), snippet: snippet(e), unsure: !clash || !sure(e),
        message: `The target is ${Math.round(r.width)}×${Math.round(r.height)} CSS px and its 24 px circle overlaps ${snippet(other)}; make it at least 24×24 px or space it out.` });
    }
    return out;
  }

  // Elements whose text overflows a box that hides it: measured before and after a change.
  function clippedText() {
    const out = new Map();
    for (const e of document.body ? document.body.querySelectorAll('*') : []) {
      const cs = getComputedStyle(e);
      const hidesX = cs.overflowX === 'hidden' || cs.overflowX === 'clip';
      const hidesY = cs.overflowY === 'hidden' || cs.overflowY === 'clip';
      if (!hidesX && !hidesY) continue;
      if (!rendered(e) || !(e.innerText || '').trim()) continue;
      const over = (hidesY && e.scrollHeight > e.clientHeight + 1) || (hidesX && e.scrollWidth > e.clientWidth + 1);
      if (over) out.set(e, true);
    }
    return out;
  }
  // WCAG 1.4.12: apply the spacing the criterion names; report boxes that hid no text before
  // and hide some after.
  function textSpacing() {
    const before = clippedText();
    const style = document.createElement('style');
    style.textContent = '*{line-height:1.5!important;letter-spacing:0.12em!important;word-spacing:0.16em!important}p{margin-bottom:2em!important}';
    document.head.appendChild(style);
    const after = clippedText();
    style.remove();
    const out = [];
    for (const e of after.keys()) {
      if (before.has(e)) continue;
      if (out.length < 100) out.push({ selector: selector(e), snippet: snippet(e),
        message: 'With the text spacing of WCAG 1.4.12 (line height 1.5, letter spacing 0.12em, word spacing 0.16em, paragraph spacing 2em) this box cuts its text off (overflow hidden); let it grow with its text.' });
    }
    return out;
  }

  // WCAG 1.4.10, run with the viewport 320 CSS px wide: content wider than the viewport makes
  // the reader scroll in two dimensions. Text blocks past the edge fail; tables, images,
  // media, maps, code and wide controls are the criterion's exceptions, so a page whose
  // overflow comes only from them cannot be told.
  function reflow() {
    const root = document.scrollingElement || document.documentElement;
    const width = root.clientWidth;
    if (root.scrollWidth <= width + 1) return { overflow: false, culprits: [], excepted: 0 };
    const EXCEPT = 'table,pre,code,img,svg,canvas,video,iframe,object,embed,math,[role=grid],[role=table],[role=toolbar],[role=application]';
    const culprits = [];
    let excepted = 0;
    const walker = document.createTreeWalker(document.body || root, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      if (!t.data.trim()) continue;
      const el = t.parentElement;
      if (!el || seen.has(el)) continue;
      const range = document.createRange();
      range.selectNodeContents(t);
      let past = false;
      for (const r of range.getClientRects()) if (r.right > width + 1 && r.width > 0) past = true;
      if (!past) continue;
      seen.add(el);
      // Text the reader cannot reach without scrolling sideways; hidden overflow is not scroll.
      if (el.closest(EXCEPT)) { excepted++; continue; }
      let clipped = false;
      for (let a = el; a && a !== root; a = a.parentElement) {
        const cs = getComputedStyle(a);
        if (cs.position === 'fixed' || cs.overflowX !== 'visible') { clipped = true; break; }
      }
      if (clipped) { excepted++; continue; }
      if (culprits.length < 50) culprits.push({ selector: selector(el), snippet: snippet(el) });
    }
    return { overflow: true, culprits, excepted, scrollWidth: root.scrollWidth, width };
  }

  // Runs `measure` once the viewport is `width` CSS px wide and two frames have been drawn at
  // that width, so the page's resize handlers and the animation frames they asked for have
  // run. The viewport is changed by a command sent just before this is called; should its
  // change not have reached the page yet, frames are waited for until it has (at most 2 s).
  function atWidth(width, measure) {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const twoFrames = () => requestAnimationFrame(() => requestAnimationFrame(() => {
        try { resolve(measure()); } catch (e) { reject(e); }
      }));
      const wait = () => {
        if (window.innerWidth === width || performance.now() - started > 2000) twoFrames();
        else requestAnimationFrame(wait);
      };
      wait();
    });
  }
  const reflowAt = (width) => atWidth(width, reflow);

  // Scrollable regions (WCAG 2.1.1, ACT 0ssw9k): a box that scrolls must be reachable by
  // keyboard itself or hold something focusable.
  function scrollables() {
    const out = [];
    for (const e of document.body ? document.body.querySelectorAll('*') : []) {
      const cs = getComputedStyle(e);
      // ACT 0ssw9k: a scroll distance greater than the padding on that axis, and content
      // worth reaching (text, or an image or control).
      const px = (p) => parseFloat(cs.getPropertyValue(p)) || 0;
      const sx = (cs.overflowX === 'auto' || cs.overflowX === 'scroll') &&
        e.scrollWidth - e.clientWidth > px('padding-left') + px('padding-right') + 1;
      const sy = (cs.overflowY === 'auto' || cs.overflowY === 'scroll') &&
        e.scrollHeight - e.clientHeight > px('padding-top') + px('padding-bottom') + 1;
      if (!(sx || sy) || !rendered(e)) continue;
      if (!(e.innerText || '').trim() && !e.querySelector('img,svg,video,canvas,input,button,select,textarea')) continue;
      const focusable = e.tabIndex >= 0 || [...e.querySelectorAll('*')].some((c) => c.tabIndex >= 0 && !c.disabled && rendered(c));
      out.push({ selector: selector(e), snippet: snippet(e), focusable, ariaHidden: !!e.closest('[aria-hidden="true"]') });
      if (out.length >= 100) break;
    }
    return out;
  }

  window.__civicscan = { snapshot, focusStop, blurActive, scrollState, refocus, tabbables, mentionsKeys, targetSize, textSpacing, reflow, reflowAt, scrollables };
})();
