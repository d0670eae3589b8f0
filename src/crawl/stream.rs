//! A channel adapter: wraps a [`PageHandler`] so every page it handles is also sent to a
//! [`futures::Stream`], for tests and for consumers that prefer a stream to a callback (a store
//! writer, a progress view).

use futures::SinkExt;
use futures::channel::mpsc;

use url::Url;

use super::types::{Discovered, Page, PageHandler, Validators};

/// A handler that forwards each page, after the inner handler has seen it, to a bounded channel.
///
/// The handler runs on a blocking thread, so a full channel makes the crawl of that site wait for
/// the consumer (back-pressure) instead of piling pages up in memory. Dropping the receiver is
/// fine: pages are then only handled, not forwarded.
pub struct ChannelHandler<H> {
    inner: H,
    tx: mpsc::Sender<(String, Page)>,
}

impl<H: PageHandler> ChannelHandler<H> {
    /// Wraps `inner`; the receiver yields `(site slug, page)` in the order pages were handled.
    pub fn new(inner: H, capacity: usize) -> (Self, mpsc::Receiver<(String, Page)>) {
        let (tx, rx) = mpsc::channel(capacity);
        (ChannelHandler { inner, tx }, rx)
    }
}

impl<H: PageHandler> PageHandler for ChannelHandler<H> {
    fn handle(&self, site_slug: &str, page: &Page) -> Discovered {
        let discovered = self.inner.handle(site_slug, page);
        if !discovered.fetch_first.is_empty() {
            // Not handled yet: the page comes back once its resources are fetched.
            return discovered;
        }
        let mut tx = self.tx.clone();
        // On a blocking thread (see `PageHandler`), so blocking on the send is allowed; an error
        // only means nobody is listening any more.
        let _ = futures::executor::block_on(tx.send((site_slug.to_string(), page.clone())));
        discovered
    }

    fn validators(&self, site_slug: &str, url: &Url) -> Option<Validators> {
        self.inner.validators(site_slug, url)
    }

    fn supply(&self, site_slug: &str, url: &Url, resource: Page) {
        self.inner.supply(site_slug, url, resource)
    }
}
