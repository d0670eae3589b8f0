//! Shared by the tests that drive the browser: finding it, and a source of canned responses.
#![allow(dead_code, reason = "each test file uses a part")]

use std::collections::HashMap;
use std::sync::Mutex;

use civicscan::render::{Refusal, RenderOptions, Renderer, Response, Source, find_chromium};
use futures::future::BoxFuture;
use url::Url;

/// The browser, or `None` when none is installed — except under CI (`CI` set), where a
/// missing browser fails the test instead of skipping it.
pub fn renderer() -> Option<Renderer> {
    match find_chromium(None) {
        Ok(path) => Some(Renderer::start(RenderOptions::new(path)).expect("the browser starts")),
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("CI is set, so the rendered tests must run, but: {e}")
        }
        Err(e) => {
            eprintln!("skipped: {e}");
            None
        }
    }
}

/// Answers requests from a map of URL to (content type, body); anything else is a 404. Keeps
/// every URL asked for.
#[derive(Default)]
pub struct MapSource {
    pub files: HashMap<String, (String, Vec<u8>)>,
    pub asked: Mutex<Vec<String>>,
}

impl MapSource {
    pub fn with(mut self, url: &str, content_type: &str, body: &str) -> Self {
        self.files.insert(
            url.to_string(),
            (content_type.to_string(), body.as_bytes().to_vec()),
        );
        self
    }
}

impl Source for MapSource {
    fn get(&self, url: Url) -> BoxFuture<'_, Result<Response, Refusal>> {
        Box::pin(async move {
            self.asked.lock().unwrap().push(url.to_string());
            Ok(match self.files.get(url.as_str()) {
                Some((ct, body)) => Response {
                    status: 200,
                    headers: vec![("content-type".into(), ct.clone())],
                    body: body.clone(),
                },
                None => Response {
                    status: 404,
                    headers: vec![("content-type".into(), "text/plain".into())],
                    body: b"not found".to_vec(),
                },
            })
        })
    }
}
