// Run in every document of a tab before any of the page's own scripts (Page.
// addScriptToEvaluateOnNewDocument). Defines nothing the page's scripts would notice except three
// window properties.
(() => {
  // Which kinds of event listeners the page adds.
  const seen = (window.__civicscanListeners = new Set());
  const add = EventTarget.prototype.addEventListener;

  // The keyboard walk's recorder (page.rs, Tab::walk). Armed by the walk, it notes each Tab
  // stop as the next Tab press begins, when everything the last press set off has run, so a
  // batch of presses sent at once needs one call to read back. Where the walk must stop —
  // focus back where it began or on the document, a stop to compare on screen, focus on a
  // frame (one added by script: pages with frames are walked a key at a time) or the most
  // stops — it swallows the
  // presses still coming, before any listener of the page sees them, so focus stays where a
  // walk pressing one key at a time would have left it. Its own listeners are the first on the
  // window and are not counted among the page's.
  const FRAMES = new Set(['iframe', 'frame', 'object', 'embed']);
  const walk = {
    armed: false, halted: false, pending: false, first: null, left: 0,
    stops: [], presses: 0, swallowed: 0,
  };
  const record = () => {
    walk.pending = false;
    const s = window.__civicscan.focusStop();
    walk.stops.push(s);
    walk.left--;
    if (!s.key) {
      if (walk.first !== null) walk.halted = true;
    } else if (s.key === walk.first) {
      walk.halted = true;
    } else {
      if (walk.first === null) walk.first = s.key;
      if ((!s.styleChanged && s.rendered && s.restored) || FRAMES.has(s.tag)) walk.halted = true;
    }
    if (walk.left <= 0) walk.halted = true;
  };
  const swallow = (e) => { e.preventDefault(); e.stopImmediatePropagation(); };
  add.call(window, 'keydown', (e) => {
    if (!walk.armed || e.key !== 'Tab') return;
    if (walk.pending) record();
    if (walk.halted) { walk.swallowed++; swallow(e); return; }
    walk.presses++;
    walk.pending = true;
  }, true);
  add.call(window, 'keyup', (e) => {
    if (walk.armed && walk.halted && e.key === 'Tab') swallow(e);
  }, true);
  window.__civicscanWalk = {
    // Starts a batch: `first` is the walk's first stop so far (or null), `left` the stops it
    // may still record. Refused (false) on a page with frames: a press that takes focus into
    // a frame leaves the next press to the frame's document, which this recorder never sees,
    // so there keys go one at a time.
    arm(first, left) {
      if (document.querySelector('iframe,frame,object,embed')) return false;
      Object.assign(walk, { armed: true, halted: left <= 0, pending: false, first, left,
        stops: [], presses: 0, swallowed: 0 });
      return true;
    },
    // Ends a batch: the stops noted and the presses seen and swallowed. When the walk goes on
    // as it was (the batch ran out of presses, or stopped only for a look at the screen), the
    // next batch is armed at once (`again`), saving a call.
    collect() {
      if (walk.pending) record();
      const out = { stops: walk.stops, presses: walk.presses, swallowed: walk.swallowed, again: false };
      const last = walk.stops[walk.stops.length - 1];
      const ends = walk.left <= 0 || (last && (!last.key ? walk.first !== null
        : last.key === walk.first || FRAMES.has(last.tag)));
      if (ends) walk.armed = false;
      else {
        Object.assign(walk, { halted: false, pending: false, stops: [], presses: 0, swallowed: 0 });
        out.again = true;
      }
      return out;
    },
    disarm() { walk.armed = false; },
  };

  // Leaves the page inert while its tab waits for the next page (page.rs, Tab::park), so that
  // nothing of it runs or asks for anything meanwhile, nor when the tab navigates: every timer,
  // interval, animation frame and idle callback cancelled, then the document emptied with
  // `document.open()`, which also erases every event listener and handler of the window and
  // the document (`beforeunload` and `resize` among them), and with the document's elements go
  // its frames, animations and media. The functions are the browser's own, taken before any
  // of the page's scripts ran, so a page that replaced them cannot keep itself alive. Returns
  // true once done; the tab is closed instead when it throws (an XML document cannot be
  // opened).
  const pristine = {
    setTimeout: window.setTimeout, clearTimeout: window.clearTimeout,
    requestAnimationFrame: window.requestAnimationFrame,
    cancelAnimationFrame: window.cancelAnimationFrame,
    requestIdleCallback: window.requestIdleCallback,
    cancelIdleCallback: window.cancelIdleCallback,
    stop: window.stop, open: Document.prototype.open, close: Document.prototype.close,
  };
  const cancelAll = (request, cancel) => {
    // Ids count up from 1 in each window: the newest bounds every live one.
    const newest = request();
    for (let id = newest; id > 0; id--) cancel(id);
  };
  Object.defineProperty(window, '__civicscanPark', {
    value() {
      const p = pristine;
      cancelAll(() => p.setTimeout.call(window, () => {}, 0), (id) => p.clearTimeout.call(window, id));
      cancelAll(() => p.requestAnimationFrame.call(window, () => {}), (id) => p.cancelAnimationFrame.call(window, id));
      if (p.requestIdleCallback) {
        cancelAll(() => p.requestIdleCallback.call(window, () => {}), (id) => p.cancelIdleCallback.call(window, id));
      }
      p.stop.call(window);
      p.open.call(document);
      p.close.call(document);
      return true;
    },
  });

  EventTarget.prototype.addEventListener = function (type, ...rest) {
    try { seen.add(String(type)); } catch (e) {}
    return add.call(this, type, ...rest);
  };
})();
