//! One tab: open it, load a page through the request interceptor, measure, close.

use std::collections::{HashMap, HashSet};
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

/// Records which kinds of event listeners the page adds, before any of its scripts run.
const INIT_JS: &str = r#"(() => {
  const seen = (window.__civicscanListeners = new Set());
  const add = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, ...rest) {
    try { seen.add(String(type)); } catch (e) {}
    return add.call(this, type, ...rest);
  };
})();"#;

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
    /// Whether a page was rendered in this tab before.
    used: bool,
    /// Whether the next page replaces the last one in the tab directly (the headless shell),
    /// rather than after the tab has left it for `about:blank` (see [`Tab::park`]).
    in_place: bool,
    /// The last page's document loaders and frames (other than the tab's main frame): what
    /// they ask for while the next page loads is not the next page's.
    past: Past,
}

/// Whose a request is, as far as the browser says.
#[derive(Debug, Default)]
struct Past {
    loaders: HashSet<String>,
    frames: HashSet<String>,
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
        let version = conn.call(None, "Browser.getVersion", json!({}), t).await?;
        let product = version["product"].as_str().unwrap_or_default();
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
            used: false,
            in_place: product.starts_with("HeadlessChrome/"),
            past: Past::default(),
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

    /// Gets the tab ready to wait for its next page: in the headless shell nothing is done (the
    /// next page replaces this one, which saves a fifth of the browser's CPU; what this one
    /// asks for meanwhile is told apart by its loader, see [`Tab::render`]); in `chromium`'s
    /// headless mode the tab leaves the page for `about:blank`, so nothing of it runs while the
    /// tab waits (going from a page straight to the next there, a screenshot of the next could
    /// wait for ever: the ACT harness hung on one, paint holding off or not).
    pub(super) async fn park(&self) -> Result<(), CdpError> {
        if self.in_place {
            return Ok(());
        }
        self.cmd("Page.navigate", json!({"url": "about:blank"}))
            .await
            .map(drop)
    }

    /// Makes a tab that rendered a page ready for the next: its counts zeroed, events left
    /// over from the last page dropped, their loaders and frames noted as the last page's
    /// (requests it still had paused are cancelled when the tab navigates), the desktop
    /// viewport back.
    async fn reset(&mut self) -> Result<(), CdpError> {
        self.answered = 0;
        self.blocked = 0;
        self.scripts_missing = 0;
        self.scripts.clear();
        while let Ok(ev) = self.events.try_recv() {
            self.note_past(&ev);
        }
        self.viewport(1280, 900).await
    }

    /// Notes the loader or frame of an event of the last page's.
    fn note_past(&mut self, ev: &Event) {
        match ev.method.as_str() {
            "Network.requestWillBeSent" => {
                if let Some(l) = ev.params["loaderId"].as_str() {
                    self.past.loaders.insert(l.to_string());
                }
            }
            "Fetch.requestPaused" => {
                if let Some(f) = ev.params["frameId"].as_str().filter(|f| *f != self.target) {
                    self.past.frames.insert(f.to_string());
                }
            }
            _ => {}
        }
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
        if self.used {
            self.reset().await?;
        } else {
            self.past = Past::default();
        }
        self.used = true;
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
        // Whose each request is: the page's document loader, and each request's loader as
        // `Network.requestWillBeSent` names it. The last page of a reused tab lives on until
        // this page's document commits, and what it asks for meanwhile is not this page's.
        let mut loader: Option<String> = None;
        let mut loaders: HashMap<String, String> = HashMap::new();
        // Requests paused before their loader was known, held for it (at most `unknown_wait`).
        let mut held: Vec<(Instant, Value)> = Vec::new();
        let mut frames: HashSet<String> = HashSet::new();
        let unknown_wait = Duration::from_millis(500);
        // After the load event, requests still coming (script-built menus fetch their data)
        // are waited for until the page has been quiet for 100 ms (at most 3 s).
        let quiet = Duration::from_millis(100);
        let settle_cap = Duration::from_secs(3);
        let mut settle_until: Option<Instant> = None;
        let mut last_activity = Instant::now();
        let started = Instant::now();
        let mut timings = PhaseTimes::default();
        loop {
            if let Some(cap) = settle_until
                && (Instant::now() >= cap
                    || (inflight.is_empty() && held.is_empty() && last_activity.elapsed() >= quiet))
            {
                break;
            }
            // Held requests whose loader is now known, or that waited long enough (then
            // counted as this page's, as before loaders were told apart).
            let mut i = 0;
            while i < held.len() {
                let owner = owner(
                    &self.past,
                    &self.target,
                    &held[i].1,
                    loader.as_deref(),
                    &loaders,
                );
                if owner.is_some() || held[i].0.elapsed() >= unknown_wait {
                    let (_, params) = held.swap_remove(i);
                    if owner == Some(false) {
                        self.refuse(str_of(&params, "requestId"), "Aborted").await?;
                    } else {
                        self.admit(&params, source, &mut inflight).await?;
                    }
                } else {
                    i += 1;
                }
            }
            let tick = tokio::time::sleep(Duration::from_millis(20));
            tokio::select! {
                ev = self.events.recv() => {
                    let Some(ev) = ev else { return Err(CdpError::Gone.into()) };
                    match ev.method.as_str() {
                        "Network.requestWillBeSent" => {
                            if let (Some(id), Some(l)) = (ev.params["requestId"].as_str(), ev.params["loaderId"].as_str()) {
                                loaders.insert(id.to_string(), l.to_string());
                            }
                        }
                        "Fetch.requestPaused" => {
                            last_activity = Instant::now();
                            let id = str_of(&ev.params, "requestId");
                            let req_url = ev.params.pointer("/request/url").and_then(Value::as_str).unwrap_or_default();
                            let kind = ev.params["resourceType"].as_str().unwrap_or("Other");
                            let is_doc = !served && kind == "Document" && same_document(req_url, url);
                            if is_doc {
                                served = true;
                                // A navigation's request id is its document's loader id.
                                loader = ev.params["networkId"].as_str().map(str::to_string);
                                self.answered += 1;
                                self.fulfil(id, &Response {
                                    status: 200,
                                    headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
                                    body: html.as_bytes().to_vec(),
                                }).await?;
                            } else if !served {
                                // Before its document the page asks for nothing: this is the
                                // last page of the tab, going away.
                                self.refuse(id, "Aborted").await?;
                            } else {
                                if let Some(f) = ev.params["frameId"].as_str().filter(|f| *f != self.target) {
                                    frames.insert(f.to_string());
                                }
                                match owner(&self.past, &self.target, &ev.params, loader.as_deref(), &loaders) {
                                    Some(true) => self.admit(&ev.params, source, &mut inflight).await?,
                                    // The last page's, asked for before this one committed.
                                    Some(false) => self.refuse(id, "Aborted").await?,
                                    None => held.push((Instant::now(), ev.params)),
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
                    if let Some(l) = reply.get("loaderId").and_then(Value::as_str) {
                        loader = Some(l.to_string());
                    }
                }
                _ = tick => {}
            }
        }
        drop(inflight);
        // What this page asked for from here on (its keyboard walk may set scripts off) comes
        // in the next page's time, as the last page's.
        self.past = Past {
            loaders: loaders.into_values().chain(loader).collect(),
            frames,
        };
        timings.settle_ms = ms_since(started) - timings.load_ms;
        self.measure(url, opts, timings).await
    }

    /// Takes a request of this page: refused without a request when the render stage never
    /// asks for its kind (or it is not a GET over HTTP), else asked of `source`.
    async fn admit<'s>(
        &mut self,
        params: &Value,
        source: &'s dyn Source,
        inflight: &mut FuturesUnordered<futures::future::BoxFuture<'s, Answer>>,
    ) -> Result<(), CdpError> {
        let id = str_of(params, "requestId").to_string();
        let req_url = params
            .pointer("/request/url")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let method = params
            .pointer("/request/method")
            .and_then(Value::as_str)
            .unwrap_or("GET");
        let kind = params["resourceType"].as_str().unwrap_or("Other");
        if method != "GET" || BLOCKED_TYPES.contains(&kind) {
            // The browser's own favicon request is not the page's, and comes whenever it
            // likes: it is refused but not counted.
            if !(kind == "Other" && req_url.ends_with("/favicon.ico")) {
                self.blocked += 1;
            }
            return self.refuse(&id, "BlockedByClient").await;
        }
        match Url::parse(req_url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {
                if kind == "Script" {
                    self.scripts.insert(id.clone());
                }
                inflight.push(Box::pin(async move { (id, source.get(u).await) }));
                Ok(())
            }
            _ => {
                self.blocked += 1;
                self.refuse(&id, "BlockedByClient").await
            }
        }
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
        self.eval(PAGE_JS).await?;
        let html = match self.eval("window.__civicscan.snapshot()").await? {
            Value::String(s) => s,
            _ => {
                return Err(RenderError::Load {
                    url: url.to_string(),
                    message: "the page's DOM could not be read".into(),
                });
            }
        };
        let mut m = Measurements {
            tabbables: self.eval_as("window.__civicscan.tabbables()").await?,
            mentions_keys: self.eval_as("window.__civicscan.mentionsKeys()").await?,
            focus_listeners: self
                .eval_as(
                    "['focus','blur','focusin','focusout','keydown','keyup','keypress'].some(t => window.__civicscanListeners && window.__civicscanListeners.has(t)) || !!document.querySelector('[onfocus],[onblur],[onfocusin],[onfocusout],[onkeydown],[onkeyup],[onkeypress]')",
                )
                .await?,
            scrollables: self.eval_as("window.__civicscan.scrollables()").await?,
            target_size: self.eval_as("window.__civicscan.targetSize()").await?,
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
    async fn walk(&mut self, m: &mut Measurements, max: usize) -> Result<(), CdpError> {
        self.eval("window.__civicscan.blurActive()").await?;
        let mut first: Option<String> = None;
        for _ in 0..max {
            self.key("Tab", 9, false).await?;
            let mut stop: FocusStop = self.eval_as("window.__civicscan.focusStop()").await?;
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
                self.eval("window.__civicscan.blurActive()").await?;
                let blurred = self.screenshot().await?;
                self.eval(&format!(
                    "window.__civicscan.refocus({})",
                    serde_json::to_string(&key).unwrap_or_default()
                ))
                .await?;
                stop.screen_changed = Some(focused != blurred);
            }
            m.stops.push(stop);
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

/// A request that was already cancelled (the page navigated or closed) is not an error.
fn ignore_stale(r: Result<Value, CdpError>) -> Result<(), CdpError> {
    match r {
        Ok(_) | Err(CdpError::Protocol { .. }) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Whether a paused request is the page's (`Some(true)`), the last page's of the tab
/// (`Some(false)`), or not known yet (`None`: its `Network.requestWillBeSent` has not come).
/// A request of a frame inside the page (not `main_frame`) is the last page's when that
/// page's frames asked for anything; one of the main frame is when its loader was the last
/// page's. A request the browser gives no network id, or asked for before the page's own
/// loader is known, is the page's.
fn owner(
    past: &Past,
    main_frame: &str,
    params: &Value,
    loader: Option<&str>,
    loaders: &HashMap<String, String>,
) -> Option<bool> {
    let (Some(loader), Some(net)) = (loader, params["networkId"].as_str()) else {
        return Some(true);
    };
    if let Some(frame) = params["frameId"].as_str().filter(|f| *f != main_frame) {
        return Some(!past.frames.contains(frame));
    }
    let l = loaders.get(net)?;
    Some(l == loader || !past.loaders.contains(l))
}

/// A string field of an event's parameters (empty when missing).
fn str_of<'v>(params: &'v Value, field: &str) -> &'v str {
    params[field].as_str().unwrap_or_default()
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
    use super::*;

    #[test]
    fn a_request_is_the_last_pages_only_when_its_loader_or_frame_was() {
        let past = Past {
            loaders: ["OLD".to_string()].into(),
            frames: ["OLDFRAME".to_string()].into(),
        };
        let loaders: HashMap<String, String> = [
            ("7.1".to_string(), "NEW".to_string()),
            ("6.9".to_string(), "OLD".to_string()),
            ("7.5".to_string(), "REDIRECTED".to_string()),
        ]
        .into();
        let paused = |net: &str, frame: &str| json!({"networkId": net, "frameId": frame});
        let whose = |p: &Value| owner(&past, "MAIN", p, Some("NEW"), &loaders);
        assert_eq!(whose(&paused("7.1", "MAIN")), Some(true));
        assert_eq!(whose(&paused("6.9", "MAIN")), Some(false));
        assert_eq!(
            whose(&paused("7.5", "MAIN")),
            Some(true),
            "a loader the last page never had is the page's own (it navigated itself)"
        );
        assert_eq!(
            whose(&paused("8.0", "MAIN")),
            None,
            "held until the browser says whose it is"
        );
        assert_eq!(whose(&paused("8.0", "OLDFRAME")), Some(false));
        assert_eq!(whose(&paused("8.0", "NEWFRAME")), Some(true));
        assert_eq!(whose(&json!({"frameId": "MAIN"})), Some(true));
        assert_eq!(
            owner(&past, "MAIN", &paused("6.9", "MAIN"), None, &loaders),
            Some(true)
        );
    }
}
