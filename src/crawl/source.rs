//! The one interface the limiter asks for each exchange: the live wire ([`Wire`], which may tee
//! every exchange into a web archive) or web archives ([`Replay`]). Everything above — the
//! limiter's bookkeeping, robots.txt, redirects, scope, budgets, the handler — is the same for
//! both, which is what makes a replay of an archive equal the crawl that wrote it.

use std::sync::Arc;

use url::Url;

use super::archive::Replay;
use super::http::{Caps, Exchange, Want, Wire};
use super::types::{FetchError, Validators};

/// Where exchanges are answered from.
#[derive(Debug)]
pub(crate) enum Exchanges {
    /// The network.
    Wire(Wire),
    /// Web archives, read on a blocking thread.
    Archive { replay: Arc<Replay>, caps: Caps },
}

impl Exchanges {
    /// Whether answers come from archives (no network: nothing to wait for or retry).
    pub(crate) fn is_archive(&self) -> bool {
        matches!(self, Exchanges::Archive { .. })
    }

    /// One exchange.
    pub(crate) async fn exchange(
        &self,
        url: &Url,
        want: Want,
        validators: Option<&Validators>,
    ) -> Result<Exchange, FetchError> {
        match self {
            Exchanges::Wire(wire) => wire.exchange(url, want, validators).await,
            Exchanges::Archive { replay, caps } => {
                let (replay, url2, caps) = (Arc::clone(replay), url.clone(), *caps);
                tokio::task::spawn_blocking(move || replay.answer(&url2, want, &caps))
                    .await
                    .unwrap_or_else(|e| {
                        Err(FetchError::Network {
                            url: url.clone(),
                            detail: format!("reading the archive failed: {e}"),
                        })
                    })
            }
        }
    }
}
