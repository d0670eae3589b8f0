//! A small client for the Chrome DevTools Protocol over `--remote-debugging-pipe`: the browser
//! reads commands from its file descriptor 3 and writes replies and events to descriptor 4,
//! each a JSON text ended by a NUL byte (the transport Puppeteer and Playwright use).
//!
//! Messages stay untyped (`serde_json::Value`): the render stage sends a dozen commands and
//! reads a few fields, and a typed protocol generated from one browser release breaks on the
//! events of a newer one (a known failure of generated CDP clients), while Debian updates its
//! `chromium` on its own schedule. Nothing listens on a port, so no other local process can
//! drive the browser. The reader answers every JavaScript dialog a page opens with OK itself
//! (see `DialogAnswer`): a page waits for its dialog, so left open it would stall the render.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};

/// Why a protocol call failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CdpError {
    /// The browser could not be started.
    #[error("cannot start the browser {path}: {message}")]
    Launch {
        /// The executable.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// The browser has gone (crashed, killed or closed its pipe).
    #[error("the browser has gone")]
    Gone,
    /// No reply within the time allowed: the browser is hung or too busy.
    #[error("{method}: no reply from the browser within {ms} ms")]
    Timeout {
        /// The command.
        method: String,
        /// The time allowed.
        ms: u128,
    },
    /// The browser answered with an error.
    #[error("{method}: {message}")]
    Protocol {
        /// The command.
        method: String,
        /// The browser's message.
        message: String,
    },
}

/// An event from the browser.
#[derive(Debug, Clone)]
pub struct Event {
    /// The method, e.g. `Fetch.requestPaused`.
    pub method: String,
    /// Its parameters.
    pub params: Value,
}

type Pending = Arc<Mutex<HashMap<u64, oneshot::Sender<Result<Value, String>>>>>;
type Sessions = Arc<Mutex<HashMap<String, mpsc::UnboundedSender<Event>>>>;

/// A running browser and the pipe to it. Dropping it kills the browser.
pub struct Connection {
    child: Mutex<Child>,
    to_browser: mpsc::UnboundedSender<Vec<u8>>,
    pending: Pending,
    sessions: Sessions,
    next_id: AtomicU64,
    alive: Arc<AtomicBool>,
    /// The browser's profile folder, removed when the connection goes.
    _profile: tempdir::Dir,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("alive", &self.is_alive())
            .finish()
    }
}

/// The flags every start uses: headless, no sandbox (civicscan often runs as root in
/// containers), and none of the browser's own network traffic (updates, sync, safe browsing,
/// metrics), so the only requests it makes are the page's, and those are intercepted.
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-breakpad",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-features=Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions,AutofillServerCommunication,BackForwardCache",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--hide-scrollbars",
    "--force-color-profile=srgb",
    "--font-render-hinting=none",
    "--remote-debugging-pipe",
    "about:blank",
];

impl Connection {
    /// Starts the browser at `path` with a fresh profile and connects to it.
    pub fn launch(path: &Path) -> Result<Arc<Connection>, CdpError> {
        let launch_err = |message: String| CdpError::Launch {
            path: path.display().to_string(),
            message,
        };
        let profile = tempdir::Dir::new().map_err(|e| launch_err(e.to_string()))?;
        // Two pipes: the browser reads commands from the first, writes to the second.
        let (cmd_read, cmd_write) = pipe().map_err(|e| launch_err(e.to_string()))?;
        let (out_read, out_write) = pipe().map_err(|e| launch_err(e.to_string()))?;
        let child_in: OwnedFd = cmd_read.into();
        let child_out: OwnedFd = out_write.into();
        let (fd_in, fd_out) = (child_in.as_raw_fd(), child_out.as_raw_fd());
        let mut cmd = Command::new(path);
        cmd.args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so that killing the group ends the helper processes too
            // (left alone they outlive the browser for a moment and write into the profile
            // folder as it is being removed), and a Ctrl-C meant for civicscan reaches only
            // civicscan, which then closes the browser itself.
            .process_group(0);
        // SAFETY: between fork and exec only async-signal-safe calls (fcntl, dup2) run. The
        // descriptors are first moved above 9 so that placing them at 3 and 4 cannot overwrite
        // one with the other; dup2 clears close-on-exec on the copies the browser inherits.
        unsafe {
            cmd.pre_exec(move || {
                let a = libc::fcntl(fd_in, libc::F_DUPFD_CLOEXEC, 10);
                let b = libc::fcntl(fd_out, libc::F_DUPFD_CLOEXEC, 10);
                if a < 0 || b < 0 || libc::dup2(a, 3) < 0 || libc::dup2(b, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().map_err(|e| launch_err(e.to_string()))?;
        drop(child_in);
        drop(child_out);

        let pending: Pending = Arc::default();
        let sessions: Sessions = Arc::default();
        let alive = Arc::new(AtomicBool::new(true));
        let (to_browser, mut outgoing) = mpsc::unbounded_channel::<Vec<u8>>();

        // Blocking threads for the pipe ends: plain reads and writes, no reactor needed.
        let mut writer = cmd_write;
        let alive_w = Arc::clone(&alive);
        std::thread::Builder::new()
            .name("cdp-write".into())
            .spawn(move || {
                while let Some(mut msg) = outgoing.blocking_recv() {
                    msg.push(0);
                    if writer.write_all(&msg).is_err() {
                        break;
                    }
                }
                alive_w.store(false, Ordering::SeqCst);
            })
            .map_err(|e| launch_err(e.to_string()))?;
        let (p, s, alive_r, answers) = (
            Arc::clone(&pending),
            Arc::clone(&sessions),
            Arc::clone(&alive),
            to_browser.clone(),
        );
        let mut reader = out_read;
        std::thread::Builder::new()
            .name("cdp-read".into())
            .spawn(move || {
                read_loop(&mut reader, &p, &s, &answers);
                alive_r.store(false, Ordering::SeqCst);
                // Wake every caller still waiting: the browser will not answer.
                p.lock().map(|mut m| m.clear()).ok();
                s.lock().map(|mut m| m.clear()).ok();
            })
            .map_err(|e| launch_err(e.to_string()))?;

        Ok(Arc::new(Connection {
            child: Mutex::new(child),
            to_browser,
            pending,
            sessions,
            next_id: AtomicU64::new(1),
            alive,
            _profile: profile,
        }))
    }

    /// Whether the browser is still there.
    pub fn is_alive(&self) -> bool {
        self.alive.load(Ordering::SeqCst)
    }

    /// The browser's process id, for measuring its memory.
    pub fn pid(&self) -> Option<u32> {
        self.child.lock().ok().map(|c| c.id())
    }

    /// Sends a command (to a page's session, or to the browser when `session` is `None`) and
    /// waits at most `timeout` for its reply.
    pub async fn call(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Value, CdpError> {
        self.send(session, method, params, timeout).await
    }

    /// Like [`Connection::call`], but the command is sent now, not when the reply is first
    /// awaited: commands sent one after another reach the browser in that order, however
    /// their replies are awaited.
    pub fn send(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> impl std::future::Future<Output = Result<Value, CdpError>> + Send + 'static {
        let sent = self.enqueue(session, method, params);
        let pending = Arc::clone(&self.pending);
        let method = method.to_string();
        async move {
            let (id, rx) = sent?;
            match tokio::time::timeout(timeout, rx).await {
                Ok(Ok(Ok(v))) => Ok(v),
                Ok(Ok(Err(message))) => Err(CdpError::Protocol { method, message }),
                Ok(Err(_)) => Err(CdpError::Gone),
                Err(_) => {
                    if let Ok(mut m) = pending.lock() {
                        m.remove(&id);
                    }
                    Err(CdpError::Timeout {
                        method,
                        ms: timeout.as_millis(),
                    })
                }
            }
        }
    }

    /// Writes a command to the browser; its id and where its reply will come.
    fn enqueue(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<(u64, oneshot::Receiver<Result<Value, String>>), CdpError> {
        if !self.is_alive() {
            return Err(CdpError::Gone);
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = Value::String(s.to_string());
        }
        let (tx, rx) = oneshot::channel();
        self.pending
            .lock()
            .map_err(|_| CdpError::Gone)?
            .insert(id, tx);
        let bytes = serde_json::to_vec(&msg).map_err(|e| CdpError::Protocol {
            method: method.to_string(),
            message: e.to_string(),
        })?;
        if self.to_browser.send(bytes).is_err() {
            return Err(CdpError::Gone);
        }
        Ok((id, rx))
    }

    /// The events of one session from now on (until [`Connection::forget`]).
    pub fn events(&self, session: &str) -> mpsc::UnboundedReceiver<Event> {
        let (tx, rx) = mpsc::unbounded_channel();
        if let Ok(mut m) = self.sessions.lock() {
            m.insert(session.to_string(), tx);
        }
        rx
    }

    /// Stops delivering a session's events.
    pub fn forget(&self, session: &str) {
        if let Ok(mut m) = self.sessions.lock() {
            m.remove(session);
        }
    }

    /// Kills the browser now.
    pub fn kill(&self) {
        self.alive.store(false, Ordering::SeqCst);
        if let Ok(mut c) = self.child.lock() {
            // Only while the browser is not yet reaped is its pid certainly still its group's.
            let running = matches!(c.try_wait(), Ok(None));
            if let (true, Ok(pid)) = (running, libc::pid_t::try_from(c.id())) {
                // SAFETY: kill with a negative pid signals the browser's own process group
                // (set at launch); it touches no memory.
                unsafe {
                    libc::kill(-pid, libc::SIGKILL);
                }
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A pipe, both ends closed on exec (the browser gets copies at 3 and 4, see
/// [`Connection::launch`]).
fn pipe() -> std::io::Result<(File, File)> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: pipe2 writes two new descriptors into the array, which we then own alone.
    unsafe {
        if libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok((File::from_raw_fd(fds[0]), File::from_raw_fd(fds[1])))
    }
}

/// Reads NUL-ended messages until the pipe closes, handing replies to their callers and events
/// to their sessions, and answering every JavaScript dialog (`answers` is the way to the
/// browser).
fn read_loop(
    reader: &mut impl Read,
    pending: &Pending,
    sessions: &Sessions,
    answers: &mpsc::UnboundedSender<Vec<u8>>,
) {
    let mut answered = 0u64;
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 16);
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let start = buf.len();
        buf.extend_from_slice(&chunk[..n]);
        let mut from = 0;
        let mut scan = start;
        while let Some(pos) = buf[scan..].iter().position(|&b| b == 0) {
            let end = scan + pos;
            if let Some(answer) = dispatch(&buf[from..end], pending, sessions) {
                answered += 1;
                let _ = answers.send(answer.into_message(DIALOG_IDS + answered % 100_000_000));
            }
            from = end + 1;
            scan = from;
        }
        buf.drain(..from);
    }
}

/// Where the ids of the reader's own commands begin (replies to them are dropped, since no
/// caller waits for them). The browser takes only ids that fit in 32 signed bits: the run's
/// own commands count up from 1 and stay far below.
const DIALOG_IDS: u64 = 2_000_000_000;

/// The answer to a JavaScript dialog (`alert`, `confirm`, `prompt`, `beforeunload`) that a page
/// opened: OK, leaving a prompt's default text, as a person would to carry on. The page stops
/// until its dialog is closed, and the tab's task may be waiting on a call of its own (a key
/// press that opened it), so the reader answers it itself, at once.
struct DialogAnswer {
    session: String,
    prompt: Value,
}

impl DialogAnswer {
    fn into_message(self, id: u64) -> Vec<u8> {
        let msg = json!({"id": id, "sessionId": self.session, "method": "Page.handleJavaScriptDialog",
                         "params": {"accept": true, "promptText": self.prompt}});
        serde_json::to_vec(&msg).unwrap_or_default()
    }
}

fn dispatch(msg: &[u8], pending: &Pending, sessions: &Sessions) -> Option<DialogAnswer> {
    let Ok(v) = serde_json::from_slice::<Value>(msg) else {
        return None;
    };
    if let Some(id) = v.get("id").and_then(Value::as_u64) {
        let tx = pending.lock().ok().and_then(|mut m| m.remove(&id));
        if let Some(tx) = tx {
            let reply = match v.get("error") {
                Some(e) => Err(e
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("error")
                    .to_string()),
                None => Ok(v.get("result").cloned().unwrap_or(Value::Null)),
            };
            let _ = tx.send(reply);
        }
        return None;
    }
    let (Some(method), Some(session)) = (
        v.get("method").and_then(Value::as_str),
        v.get("sessionId").and_then(Value::as_str),
    ) else {
        return None;
    };
    let answer = (method == "Page.javascriptDialogOpening").then(|| DialogAnswer {
        session: session.to_string(),
        prompt: v
            .pointer("/params/defaultPrompt")
            .cloned()
            .unwrap_or_else(|| Value::String(String::new())),
    });
    let tx = sessions.lock().ok().and_then(|m| m.get(session).cloned());
    if let Some(tx) = tx {
        let _ = tx.send(Event {
            method: method.to_string(),
            params: v.get("params").cloned().unwrap_or(Value::Null),
        });
    }
    answer
}

/// A temporary folder for the browser's profile, removed on drop.
mod tempdir {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicU64, Ordering};

    static N: AtomicU64 = AtomicU64::new(0);

    pub struct Dir(PathBuf);

    impl Dir {
        pub fn new() -> std::io::Result<Dir> {
            let n = N.fetch_add(1, Ordering::Relaxed);
            let path =
                std::env::temp_dir().join(format!("civicscan-chromium-{}-{n}", std::process::id()));
            std::fs::create_dir_all(&path)?;
            Ok(Dir(path))
        }

        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            // A helper process that has not yet died may still write a file as the folder is
            // emptied; try again briefly rather than leave the profile in the temp folder.
            for _ in 0..20 {
                match std::fs::remove_dir_all(&self.0) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        std::thread::sleep(std::time::Duration::from_millis(10))
                    }
                    _ => return,
                }
            }
        }
    }
}
