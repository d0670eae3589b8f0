//! One tab: open it, load a page through the request interceptor, measure, close.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio::time::Instant;
use url::Url;

use super::cdp::{CdpError, Connection, Event};
use super::{Refusal, RenderError, RenderOptions, Response, Source};
pub use crate::audit::a11y::rendered::{FocusStop, Measurements};

const PAGE_JS: &str = include_str!("page.js");

/// Run in each document before any of its scripts: records which kinds of event listeners the
/// page adds, and holds the keyboard walk's recorder.
const INIT_JS: &str = include_str!("init.js");

/// A batch of the keyboard walk, as the page noted it (`init.js`).
#[derive(Debug, Default, Deserialize)]
struct Batch {
    stops: Vec<FocusStop>,
    presses: usize,
    swallowed: usize,
    /// Whether the page armed itself for the next batch.
    again: bool,
}

/// What is read of the page before any interaction, in one object (after [`PAGE_JS`]): the DOM
/// as HTML, the elements a keyboard should reach, whether the page mentions keys or listens
/// for focus and keys, its scrolling boxes and small targets.
const DOM_JS: &str = r#"(() => {
  const c = window.__civicscan;
  return {
    html: c.snapshot(),
    tabbables: c.tabbables(),
    mentionsKeys: c.mentionsKeys(),
    focusListeners: ['focus','blur','focusin','focusout','keydown','keyup','keypress'].some(t => window.__civicscanListeners && window.__civicscanListeners.has(t)) || !!document.querySelector('[onfocus],[onblur],[onfocusin],[onfocusout],[onkeydown],[onkeyup],[onkeypress]'),
    scrollables: c.scrollables(),
    targetSize: c.targetSize(),
  };
})()"#;

/// Resource types the render stage never requests: no rendered check needs their content.
const BLOCKED_TYPES: &[&str] = &[
    "Image",
    "Media",
    "Font",
    "TextTrack",
    "Manifest",
    "Ping",
    "Prefetch",
    "CSPViolationReport",
    "SignedExchange",
    "EventSource",
    "Other",
    "WebSocket",
];

/// A page as the browser built it, with what was measured on it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RenderedPage {
    /// The page's URL.
    pub url: Url,
    /// The DOM after scripts, as HTML (open shadow roots in place, templates left out).
    pub html: String,
    /// What was measured.
    pub measurements: Measurements,
    /// Requests the page made that were answered through the source.
    pub requests_answered: u32,
    /// Requests refused without fetching (images, fonts, media, robots.txt, other methods).
    pub requests_blocked: u32,
    /// Scripts of the page that could not be had (refused, failed, or an error status): the
    /// page ran without them, so verdicts they could change are doubtful.
    pub scripts_missing: u32,
    /// Where the page's time went.
    #[serde(default)]
    pub timings: PhaseTimes,
}

/// Milliseconds a rendered page spent in each phase, for the render bench's profile.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct PhaseTimes {
    /// Getting a tab ready.
    pub tab_ms: f64,
    /// From navigating to the load event.
    pub load_ms: f64,
    /// From the load event until the page went quiet.
    pub settle_ms: f64,
    /// Reading the DOM and the static measurements.
    pub dom_ms: f64,
    /// The keyboard walk.
    pub walk_ms: f64,
    /// Text spacing and reflow at 320 CSS px.
    pub layout_ms: f64,
}

fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// A tab attached to the browser.
pub(super) struct Tab {
    conn: Arc<Connection>,
    target: String,
    session: String,
    events: mpsc::UnboundedReceiver<Event>,
    timeout: Duration,
    answered: u32,
    blocked: u32,
    scripts_missing: u32,
    scripts: std::collections::HashSet<String>,
    /// The page rendered last in this tab (left inert there), if any.
    last: Option<Url>,
}

type Answer = (String, Result<Response, Refusal>);

impl Tab {
    /// Opens a blank tab and prepares it: request interception, the listener recorder, a
    /// 1280×900 desktop viewport, focus as if the window were in front.
    pub(super) async fn open(
        conn: &Arc<Connection>,
        opts: &RenderOptions,
    ) -> Result<Tab, CdpError> {
        let t = opts.command_timeout;
        let created = conn
            .call(
                None,
                "Target.createTarget",
                json!({"url": "about:blank"}),
                t,
            )
            .await?;
        let target = str_field(&created, "targetId", "Target.createTarget")?;
        let attached = conn
            .call(
                None,
                "Target.attachToTarget",
                json!({"targetId": target, "flatten": true}),
                t,
            )
            .await?;
        let session = str_field(&attached, "sessionId", "Target.attachToTarget")?;
        let events = conn.events(&session);
        let tab = Tab {
            conn: Arc::clone(conn),
            target,
            session,
            events,
            timeout: t,
            answered: 0,
            blocked: 0,
            scripts_missing: 0,
            scripts: Default::default(),
            last: None,
        };
        // Sent at once and answered in order: one round trip to the browser, not seven.
        futures::future::try_join_all([
            tab.cmd("Page.enable", json!({})),
            tab.cmd(
                "Fetch.enable",
                json!({"patterns": [{"urlPattern": "*", "requestStage": "Request"}]}),
            ),
            tab.cmd("Network.enable", json!({})),
            tab.cmd(
                "Network.setBlockedURLs",
                json!({"urls": ["ws://*", "wss://*"]}),
            ),
            tab.cmd(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({"source": INIT_JS}),
            ),
            tab.cmd(
                "Emulation.setFocusEmulationEnabled",
                json!({"enabled": true}),
            ),
            tab.cmd(
                "Emulation.setDeviceMetricsOverride",
                json!({"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false}),
            ),
        ])
        .await?;
        Ok(tab)
    }

    /// Whether this tab is in the browser `conn`.
    pub(super) fn belongs_to(&self, conn: &Arc<Connection>) -> bool {
        Arc::ptr_eq(&self.conn, conn)
    }

    /// Leaves the page inert for the next one (`__civicscanPark` in `init.js`: its timers,
    /// listeners and document gone), so nothing of it runs while the tab waits, nor counts as
    /// the next page's when the tab navigates. A call into the page, not a navigation: leaving
    /// for `about:blank` cost the browser a sixth of its CPU on the render bench.
    pub(super) async fn park(&self) -> Result<(), CdpError> {
        let parked = self.eval("window.__civicscanPark()").await?;
        if parked == Value::Bool(true) {
            Ok(())
        } else {
            Err(CdpError::Protocol {
                method: "Runtime.evaluate".into(),
                message: "the page could not be left inert".into(),
            })
        }
    }

    /// Makes a tab that rendered a page ready for `next`: its counts zeroed, events left over
    /// from the last page dropped (requests it still had paused are cancelled when the tab
    /// navigates), the desktop viewport back. When `next` is the parked page's own document,
    /// the tab leaves for `about:blank` first: a navigation within one document (to another
    /// fragment) would not ask for the document again.
    async fn reset(&mut self, next: &Url) -> Result<(), CdpError> {
        self.answered = 0;
        self.blocked = 0;
        self.scripts_missing = 0;
        self.scripts.clear();
        if self
            .last
            .as_ref()
            .is_some_and(|last| same_document(last.as_str(), next))
        {
            self.cmd("Page.navigate", json!({"url": "about:blank"}))
                .await?;
        }
        while self.events.try_recv().is_ok() {}
        self.viewport(1280, 900).await
    }

    async fn cmd(&self, method: &str, params: Value) -> Result<Value, CdpError> {
        self.conn
            .call(Some(&self.session), method, params, self.timeout)
            .await
    }

    async fn viewport(&self, width: u32, height: u32) -> Result<(), CdpError> {
        self.cmd(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        )
        .await
        .map(drop)
    }

    /// Evaluates an expression in the page and returns its value as JSON.
    async fn eval(&self, expr: &str) -> Result<Value, CdpError> {
        let v = self
            .cmd(
                "Runtime.evaluate",
                json!({"expression": expr, "returnByValue": true, "awaitPromise": true}),
            )
            .await?;
        if let Some(ex) = v.get("exceptionDetails") {
            let text = ex
                .pointer("/exception/description")
                .or_else(|| ex.get("text"))
                .and_then(Value::as_str)
                .unwrap_or("exception");
            return Err(CdpError::Protocol {
                method: "Runtime.evaluate".into(),
                message: text.chars().take(300).collect(),
            });
        }
        Ok(v.pointer("/result/value").cloned().unwrap_or(Value::Null))
    }

    async fn eval_as<T: serde::de::DeserializeOwned + Default>(
        &self,
        expr: &str,
    ) -> Result<T, CdpError> {
        let v = self.eval(expr).await?;
        Ok(serde_json::from_value(v).unwrap_or_default())
    }

    async fn key(&self, key: &str, code: u32, shift: bool) -> Result<(), CdpError> {
        let modifiers = if shift { 8 } else { 0 };
        let event = |kind: &str| {
            self.cmd(
                "Input.dispatchKeyEvent",
                json!({"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code,
                       "nativeVirtualKeyCode": code, "modifiers": modifiers}),
            )
        };
        // Both sent at once: the browser's input queue delivers them in order, and both are
        // handled by the page before the replies come.
        futures::future::try_join(event("rawKeyDown"), event("keyUp")).await?;
        Ok(())
    }

    /// Presses `key` `n` times, every event sent at once, in order (as in [`Tab::key`]).
    async fn keys(&self, key: &str, code: u32, n: usize) -> Result<(), CdpError> {
        let mut replies = Vec::with_capacity(2 * n);
        for _ in 0..n {
            for kind in ["rawKeyDown", "keyUp"] {
                replies.push(self.conn.send(
                    Some(&self.session),
                    "Input.dispatchKeyEvent",
                    json!({"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code,
                           "nativeVirtualKeyCode": code, "modifiers": 0}),
                    self.timeout,
                ));
            }
        }
        futures::future::try_join_all(replies).await?;
        Ok(())
    }

    async fn screenshot(&self) -> Result<String, CdpError> {
        let v = self
            // Still lossless (the two screens are compared byte for byte), encoded faster.
            .cmd(
                "Page.captureScreenshot",
                json!({"format": "png", "optimizeForSpeed": true}),
            )
            .await?;
        Ok(v.get("data")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string())
    }

    /// Loads the page and measures it.
    pub(super) async fn render(
        &mut self,
        url: &Url,
        html: &str,
        source: &dyn Source,
        opts: &RenderOptions,
    ) -> Result<super::RenderedPage, RenderError> {
        if self.last.is_some() {
            self.reset(url).await?;
        }
        self.last = Some(url.clone());
        // The reply to Page.navigate comes only once the document is answered, below.
        let (conn, session, timeout) = (Arc::clone(&self.conn), self.session.clone(), self.timeout);
        let target = url.to_string();
        let mut nav = tokio::spawn(async move {
            conn.call(
                Some(&session),
                "Page.navigate",
                json!({"url": target}),
                timeout,
            )
            .await
        });
        let mut nav_done = false;
        let mut inflight: FuturesUnordered<futures::future::BoxFuture<'_, Answer>> =
            FuturesUnordered::new();
        let mut served = false;
        // After the load event, requests still coming (script-built menus fetch their data)
        // are waited for until the page has been quiet for 100 ms (at most 3 s). A page that
        // can run no script of its own and has no frames or animations has nothing left to
        // do after its load event once its requests are answered, so it is not waited for.
        let quiet = if may_change_after_load(html) {
            Duration::from_millis(100)
        } else {
            Duration::ZERO
        };
        let settle_cap = Duration::from_secs(3);
        let mut settle_until: Option<Instant> = None;
        let mut last_activity = Instant::now();
        let started = Instant::now();
        let mut timings = PhaseTimes::default();
        loop {
            if let Some(cap) = settle_until
                && (Instant::now() >= cap
                    || (inflight.is_empty() && last_activity.elapsed() >= quiet))
            {
                break;
            }
            let tick = tokio::time::sleep(Duration::from_millis(20));
            tokio::select! {
                ev = self.events.recv() => {
                    let Some(ev) = ev else { return Err(CdpError::Gone.into()) };
                    match ev.method.as_str() {
                        "Fetch.requestPaused" => {
                            last_activity = Instant::now();
                            let id = ev.params["requestId"].as_str().unwrap_or_default().to_string();
                            let req_url = ev.params.pointer("/request/url").and_then(Value::as_str).unwrap_or_default();
                            let method = ev.params.pointer("/request/method").and_then(Value::as_str).unwrap_or("GET");
                            let kind = ev.params["resourceType"].as_str().unwrap_or("Other");
                            let is_doc = !served && kind == "Document" && same_document(req_url, url);
                            if is_doc {
                                served = true;
                                self.answered += 1;
                                self.fulfil(&id, &Response {
                                    status: 200,
                                    headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
                                    body: html.as_bytes().to_vec(),
                                }).await?;
                            } else if !served {
                                // Before its document the page asks for nothing: this is the
                                // last page of the tab, going away.
                                self.refuse(&id, "Aborted").await?;
                            } else if method != "GET" || BLOCKED_TYPES.contains(&kind) {
                                // The browser's own favicon request is not the page's, and
                                // comes whenever it likes: it is refused but not counted.
                                if !(kind == "Other" && req_url.ends_with("/favicon.ico")) {
                                    self.blocked += 1;
                                }
                                self.refuse(&id, "BlockedByClient").await?;
                            } else {
                                match Url::parse(req_url) {
                                    Ok(u) if matches!(u.scheme(), "http" | "https") => {
                                        if kind == "Script" {
                                            self.scripts.insert(id.clone());
                                        }
                                        inflight.push(Box::pin(async move { (id, source.get(u).await) }));
                                    }
                                    _ => {
                                        self.blocked += 1;
                                        self.refuse(&id, "BlockedByClient").await?;
                                    }
                                }
                            }
                        }
                        "Page.loadEventFired" if served => {
                            timings.load_ms = ms_since(started);
                            settle_until = Some(Instant::now() + settle_cap);
                        }
                        _ => {}
                    }
                }
                Some((id, answer)) = inflight.next(), if !inflight.is_empty() => {
                    last_activity = Instant::now();
                    let script = self.scripts.remove(&id);
                    if script && !matches!(&answer, Ok(r) if r.status < 400) {
                        self.scripts_missing += 1;
                    }
                    match answer {
                        Ok(resp) => { self.answered += 1; self.fulfil(&id, &resp).await? }
                        Err(Refusal::Blocked(_)) => { self.blocked += 1; self.refuse(&id, "BlockedByClient").await? }
                        Err(Refusal::Failed(_)) => { self.blocked += 1; self.refuse(&id, "Failed").await? }
                    }
                }
                r = &mut nav, if !nav_done => {
                    nav_done = true;
                    let reply = r.map_err(|_| CdpError::Gone)??;
                    if let Some(e) = reply.get("errorText").and_then(Value::as_str).filter(|e| !e.is_empty()) {
                        return Err(RenderError::Load { url: url.to_string(), message: e.to_string() });
                    }
                }
                _ = tick => {}
            }
        }
        drop(inflight);
        timings.settle_ms = ms_since(started) - timings.load_ms;
        self.measure(url, opts, timings).await
    }

    async fn fulfil(&self, id: &str, resp: &Response) -> Result<(), CdpError> {
        let headers: Vec<Value> = resp
            .headers
            .iter()
            .map(|(n, v)| json!({"name": n, "value": v}))
            .collect();
        let r = self
            .cmd(
                "Fetch.fulfillRequest",
                json!({"requestId": id, "responseCode": resp.status.max(100),
                       "responseHeaders": headers, "body": B64.encode(&resp.body)}),
            )
            .await;
        ignore_stale(r)
    }

    async fn refuse(&self, id: &str, reason: &str) -> Result<(), CdpError> {
        let r = self
            .cmd(
                "Fetch.failRequest",
                json!({"requestId": id, "errorReason": reason}),
            )
            .await;
        ignore_stale(r)
    }

    /// Measures the loaded page: the DOM first (before any interaction), then the keyboard
    /// walk, then layout under text spacing and at 320 CSS px (last: it changes the viewport).
    async fn measure(
        &mut self,
        url: &Url,
        opts: &RenderOptions,
        mut timings: PhaseTimes,
    ) -> Result<super::RenderedPage, RenderError> {
        let phase = Instant::now();
        // The helper defined and the DOM read in one round trip: the script's completion value
        // is the last expression's.
        let dom = self.eval(&format!("{PAGE_JS}\n{DOM_JS}")).await?;
        let Some(html) = dom.get("html").and_then(Value::as_str) else {
            return Err(RenderError::Load {
                url: url.to_string(),
                message: "the page's DOM could not be read".into(),
            });
        };
        let html = html.to_string();
        let mut m = Measurements {
            tabbables: field(&dom, "tabbables"),
            mentions_keys: field(&dom, "mentionsKeys"),
            focus_listeners: field(&dom, "focusListeners"),
            scrollables: field(&dom, "scrollables"),
            target_size: field(&dom, "targetSize"),
            ..Measurements::default()
        };
        timings.dom_ms = ms_since(phase);
        let phase = Instant::now();
        self.walk(&mut m, opts.max_tab_stops).await?;
        timings.walk_ms = ms_since(phase);
        let phase = Instant::now();
        m.text_spacing = self
            .eval_as("window.scrollTo(0, 0), window.__civicscan.textSpacing()")
            .await?;
        // The viewport's change and the measurement at 320 px go together, in one round trip:
        // the page waits for the new width and two frames drawn at it (`atWidth`).
        let ((), reflow) = futures::future::try_join(
            self.viewport(320, 640),
            self.eval_as("window.__civicscan.reflowAt(320)"),
        )
        .await?;
        m.reflow = reflow;
        timings.layout_ms = ms_since(phase);
        Ok(super::RenderedPage {
            url: url.clone(),
            html,
            measurements: m,
            requests_answered: self.answered,
            requests_blocked: self.blocked,
            scripts_missing: self.scripts_missing,
            timings,
        })
    }

    /// Presses Tab until focus comes back to where it started or to the document, up to
    /// `max` times, noting each stop; then, if focus went round a small set of elements while
    /// others stayed out of reach, tries Shift+Tab and Escape to leave it.
    ///
    /// The presses go in batches, sent at once, and the page notes each stop as the next press
    /// begins (`init.js`), so a batch costs two round trips however many stops it has. The page
    /// stops a batch where this walk would stop to look (the walk back where it began, a stop
    /// whose focus changes no style, so the screen is compared) and swallows the presses left,
    /// so every stop is measured as when the keys went one at a time. On a page with frames
    /// (whose own documents get the presses while they hold focus) keys go one at a time.
    async fn walk(&mut self, m: &mut Measurements, max: usize) -> Result<(), CdpError> {
        let mut first: Option<String> = None;
        // Screens without focus, by the page's scroll state (`scrollState` in `page.js`).
        let mut unfocused: std::collections::HashMap<String, String> = Default::default();
        let mut pressed = 0usize;
        // Focus taken off and the first batch armed in one round trip.
        let armed_now = if max > 0 {
            format!("window.__civicscan.blurActive(), window.__civicscanWalk.arm(null, {max})")
        } else {
            "window.__civicscan.blurActive()".to_string()
        };
        let mut armed = self.eval(&armed_now).await? == Value::Bool(true);
        // Keys one at a time from then on: a page with frames, or one where the recorder lost
        // count of the presses (focus taken into a frame that script added).
        let mut one_by_one = !armed;
        while pressed < max && !m.walk_complete {
            let stops: Vec<FocusStop> = if one_by_one {
                self.key("Tab", 9, false).await?;
                vec![self.eval_as("window.__civicscan.focusStop()").await?]
            } else {
                let left = max - pressed;
                if !armed {
                    let arm = format!(
                        "window.__civicscanWalk.arm({}, {left})",
                        serde_json::to_string(&first).unwrap_or_else(|_| "null".into())
                    );
                    if self.eval(&arm).await? != Value::Bool(true) {
                        one_by_one = true;
                        continue;
                    }
                }
                // Enough presses to go round the page once, at least a few.
                let n = (m.tabbables.len() + 2)
                    .saturating_sub(pressed)
                    .max(4)
                    .min(left);
                self.keys("Tab", 9, n).await?;
                let batch: Batch = self.eval_as("window.__civicscanWalk.collect()").await?;
                armed = batch.again;
                // Every press seen by the page, and noted or swallowed.
                one_by_one =
                    batch.presses != batch.stops.len() || batch.presses + batch.swallowed != n;
                batch.stops
            };
            for mut stop in stops {
                pressed += 1;
                one_by_one |= stop.in_frame();
                let Some(key) = stop.key.clone() else {
                    if first.is_some() {
                        m.walk_complete = true;
                        break;
                    }
                    continue;
                };
                if first.as_deref() == Some(key.as_str()) {
                    m.walk_complete = true;
                    break;
                }
                first.get_or_insert_with(|| key.clone());
                if !stop.style_changed && stop.rendered && stop.restored {
                    // No style changed: compare the screen itself, with and without focus.
                    let focused = self.screenshot().await?;
                    let state: Option<String> = self
                        .eval_as(
                            "window.__civicscan.blurActive(), window.__civicscan.scrollState()",
                        )
                        .await?;
                    // The screen without focus is taken once for each scroll state of the
                    // page: with focus taken off, any stop leaves the same screen. Only a page
                    // that changes by itself between two stops could make the earlier screen
                    // differ from a fresh one.
                    let earlier = state.as_ref().and_then(|s| unfocused.get(s));
                    stop.screen_changed = Some(match earlier {
                        Some(screen) => focused != *screen,
                        None => {
                            let screen = self.screenshot().await?;
                            let changed = focused != screen;
                            if let Some(s) = state {
                                unfocused.insert(s, screen);
                            }
                            changed
                        }
                    });
                    self.eval(&format!(
                        "window.__civicscan.refocus({})",
                        serde_json::to_string(&key).unwrap_or_default()
                    ))
                    .await?;
                }
                m.stops.push(stop);
            }
            if armed && (one_by_one || m.walk_complete || pressed >= max) {
                self.eval("window.__civicscanWalk.disarm()").await?;
                armed = false;
            }
        }
        if !m.walk_complete {
            m.trap = self.trap(&m.stops, &m.tabbables).await?;
        }
        Ok(())
    }

    /// The cycle focus is stuck in, if any (see [`Tab::walk`]).
    async fn trap(
        &self,
        stops: &[FocusStop],
        tabbables: &[String],
    ) -> Result<Vec<String>, CdpError> {
        let half = &stops[stops.len() / 2..];
        let mut cycle: Vec<String> = half.iter().filter_map(|s| s.key.clone()).collect();
        cycle.sort();
        cycle.dedup();
        let cycling = half.len() >= 4 && cycle.len() * 2 <= half.len();
        let outside = tabbables.iter().any(|t| !cycle.contains(t));
        if !cycling || !outside {
            return Ok(Vec::new());
        }
        let active = || async {
            let s: FocusStop = self.eval_as("window.__civicscan.focusStop()").await?;
            Ok::<_, CdpError>(s.key)
        };
        self.key("Escape", 27, false).await?;
        self.key("Tab", 9, false).await?;
        if !active().await?.is_some_and(|k| cycle.contains(&k)) {
            return Ok(Vec::new());
        }
        for _ in 0..=cycle.len() {
            self.key("Tab", 9, true).await?;
            if !active().await?.is_some_and(|k| cycle.contains(&k)) {
                return Ok(Vec::new());
            }
        }
        Ok(cycle)
    }

    /// Closes the tab.
    pub(super) async fn close(&mut self) -> Result<(), CdpError> {
        self.conn.forget(&self.session);
        self.conn
            .call(
                None,
                "Target.closeTarget",
                json!({"targetId": self.target}),
                self.timeout,
            )
            .await
            .map(drop)
    }
}

/// `name` of an object the page returned, or its default when missing or of another shape.
fn field<T: serde::de::DeserializeOwned + Default>(v: &Value, name: &str) -> T {
    v.get(name)
        .and_then(|f| T::deserialize(f).ok())
        .unwrap_or_default()
}

/// A request that was already cancelled (the page navigated or closed) is not an error.
fn ignore_stale(r: Result<Value, CdpError>) -> Result<(), CdpError> {
    match r {
        Ok(_) | Err(CdpError::Protocol { .. }) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Whether a page's document `html` may change itself, or ask for more, after its load event:
/// it has a script (an element, an event handler attribute, a `javascript:` URL), a frame
/// (whose document is not this one), inline SVG or a marquee (which may move), a CSS animation
/// in the page, a timed refresh or an autofocus (which moves focus at a frame that may come
/// after the load event). Erring towards yes: a word in the text that looks like any of these
/// costs only the wait. An animation in an external stylesheet is not seen: such a page is
/// measured as soon as it has loaded, as a longer animation already was after 100 ms.
fn may_change_after_load(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    const SIGNS: &[&str] = &[
        "<script",
        "javascript:",
        "<iframe",
        "<frame",
        "<object",
        "<embed",
        "<svg",
        "<marquee",
        "@keyframes",
        "@starting-style",
        "animation",
        "refresh",
        // Focus moved by the browser at its next frame, which may come after the load event.
        "autofocus",
    ];
    if SIGNS.iter().any(|s| lower.contains(s)) {
        return true;
    }
    // An event handler attribute: `on` and a name, then `=`, after a space, quote or slash.
    let b = lower.as_bytes();
    let mut from = 0;
    while let Some(at) = lower[from..].find("on") {
        let i = from + at;
        from = i + 2;
        if i == 0
            || !matches!(
                b[i - 1],
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'"' | b'\'' | b'/'
            )
        {
            continue;
        }
        let mut j = i + 2;
        while j < b.len() && b[j].is_ascii_alphabetic() {
            j += 1;
        }
        if j == i + 2 {
            continue;
        }
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if b.get(j) == Some(&b'=') {
            return true;
        }
    }
    false
}

fn same_document(a: &str, b: &Url) -> bool {
    let strip = |s: &str| s.split('#').next().unwrap_or(s).to_string();
    strip(a) == strip(b.as_str())
}

fn str_field(v: &Value, field: &str, method: &str) -> Result<String, CdpError> {
    v.get(field)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| CdpError::Protocol {
            method: method.to_string(),
            message: format!("no {field} in the reply"),
        })
}

#[cfg(test)]
mod tests {
    use super::may_change_after_load;

    #[test]
    fn a_page_without_script_frames_or_animation_cannot_change_after_load() {
        let page = r#"<!doctype html><html lang="en"><head><title>Bins</title>
            <link rel="stylesheet" href="/site.css">
            <style>a:focus { outline: 2px solid }</style></head>
            <body><nav><a href="/bins">Bins</a></nav><p>Put it out on Monday.</p>
            <img src="/logo.png" alt="Logo"></body></html>"#;
        assert!(!may_change_after_load(page));
    }

    #[test]
    fn a_page_that_may_run_script_or_load_more_is_waited_for() {
        for page in [
            "<p>x</p><script src=/menu.js></script>",
            "<p>x</p><SCRIPT>go()</SCRIPT>",
            r#"<body onload="go()"><p>x</p>"#,
            "<img src=x.png onerror =go()>",
            "<svg/onload=go()>",
            r#"<a href="javascript:go()">x</a>"#,
            "<iframe src=/child></iframe>",
            "<object data=/x.svg></object>",
            "<style>@keyframes spin { to { opacity: 0 } }</style>",
            r#"<meta http-equiv="refresh" content="1">"#,
            "<input name=q autofocus>",
            "<style>@starting-style { p { opacity: 0 } }</style>",
            "<marquee>News</marquee>",
        ] {
            assert!(may_change_after_load(page), "{page}");
        }
    }

    #[test]
    fn words_that_only_start_with_on_are_not_handlers() {
        assert!(!may_change_after_load(
            "<p>Open on Monday; only one form</p><a href=/online>online</a>"
        ));
    }
}
