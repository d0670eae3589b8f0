//! The one way a request reaches the wire: [`Politeness::send`] waits for the host's slot, its
//! interval and any Retry-After or backoff, then for a global slot; it retries 429/503 after
//! Retry-After and 408/5xx and network errors with exponential backoff and jitter, and gives a
//! host up after failures in a row. [`Politeness::admit`] refuses at once a host already given up
//! and a literal private address. robots.txt is checked above this layer
//! ([`super::super::fetch`]), since fetching robots.txt itself comes through here.

use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use tokio::time::Instant;
use url::Url;

use super::global::GlobalCap;
use super::host::{Host, Hosts};
use crate::crawl::config::CrawlConfig;
use crate::crawl::guard::AddressPolicy;
use crate::crawl::http::{Exchange, Want, retry_after};
use crate::crawl::source::Exchanges;
use crate::crawl::types::{CrawlStats, FetchError, Validators};
use crate::crawl::url_norm::{authority, literal_ip};

/// The run's politeness: the wire (or the archive answering instead), every host's state, the
/// global cap and the retry policy.
#[derive(Debug)]
pub(crate) struct Politeness {
    wire: Exchanges,
    hosts: Hosts,
    global: GlobalCap,
    policy: AddressPolicy,
    retries: u32,
    retry_base: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    host_failure_limit: u32,
    stats: Arc<CrawlStats>,
}

impl Politeness {
    /// Politeness for a run with `config`'s settings, counting retries in `stats`.
    pub(crate) fn new(wire: Exchanges, config: &CrawlConfig, stats: Arc<CrawlStats>) -> Self {
        Politeness {
            wire,
            hosts: Hosts::new(config.interval()),
            global: GlobalCap::new(config.budget.global_concurrency),
            policy: config.address_policy(),
            retries: config.budget.retries,
            retry_base: config.retry_base,
            max_backoff: config.max_backoff,
            max_retry_after: config.max_retry_after,
            host_failure_limit: config.host_failure_limit,
            stats,
        }
    }

    /// The cap on requests in flight across all hosts.
    pub(crate) fn global(&self) -> &GlobalCap {
        &self.global
    }

    /// The state of `url`'s host (`host:port`).
    pub(crate) fn host(&self, url: &Url) -> Arc<Host> {
        self.hosts.get(&authority(url))
    }

    /// The checks made before anything else for a request: the host is not given up, and a
    /// literal IP address is not a refused private one. Returns the host for [`Self::send`].
    pub(crate) fn admit(&self, url: &Url) -> Result<Arc<Host>, FetchError> {
        let host = self.host(url);
        if let Some(reason) = host.given_up() {
            return Err(FetchError::HostGivenUp {
                url: url.clone(),
                reason,
            });
        }
        if let Some(ip) = literal_ip(url).filter(|ip| self.policy.refuses(*ip)) {
            return Err(FetchError::Private {
                url: url.clone(),
                detail: ip.to_string(),
            });
        }
        Ok(host)
    }

    /// [`Self::admit`], then [`Self::send`]: a request that needs no robots.txt check.
    pub(crate) async fn request(
        &self,
        url: &Url,
        want: Want,
        validators: Option<Validators>,
    ) -> Result<Exchange, FetchError> {
        let host = self.admit(url)?;
        self.send(&host, url, want, validators).await
    }

    /// One request with the host's slot and limiter, the global cap and retries: 429/503 wait
    /// for Retry-After, 408/5xx and network errors back off exponentially with jitter, at most
    /// `retries` times; failures in a row give the host up.
    pub(crate) async fn send(
        &self,
        host: &Host,
        url: &Url,
        want: Want,
        validators: Option<Validators>,
    ) -> Result<Exchange, FetchError> {
        if self.wire.is_archive() {
            return Box::pin(self.replay(host, url, want, validators)).await;
        }
        let retries = self.retries;
        let mut attempt = 0;
        loop {
            let (permit, global) = host.acquire(&self.global).await;
            // Checked again per attempt: requests queued behind the host's slot, or retrying,
            // stop as soon as the host is given up instead of joining the storm.
            if let Some(reason) = host.given_up() {
                return Err(FetchError::HostGivenUp {
                    url: url.clone(),
                    reason,
                });
            }
            let started = Instant::now();
            // Boxed, as are the other requests' futures: a request waiting for its host's turn
            // (most of them, most of the time) then holds a few hundred bytes, not the state of
            // an HTTP exchange. A thousand councils wait with four requests each.
            let result = Box::pin(self.wire.exchange(url, want, validators.as_ref())).await;
            drop(global);
            drop(permit);
            let retry_in = match &result {
                Ok(ex) => {
                    host.record_latency(started.elapsed());
                    match ex.status {
                        429 | 503 => {
                            Some(retry_after(&ex.headers).unwrap_or_else(|| self.backoff(attempt)))
                        }
                        408 | 500..=599 => Some(self.backoff(attempt)),
                        _ => None,
                    }
                }
                Err(FetchError::Private { .. }) => None,
                Err(e) if e.is_transient() => Some(self.backoff(attempt)),
                Err(_) => None,
            };
            let failed = retry_in.is_some() || result.is_err();
            match retry_in {
                Some(wait) if attempt < retries && wait <= self.max_retry_after => {
                    attempt += 1;
                    self.stats.add_retry();
                    // Error responses never speed the crawl up: the whole host waits.
                    host.delay_until(Instant::now() + wait);
                    tracing::debug!(%url, ?wait, attempt, "retrying");
                    continue;
                }
                _ => {}
            }
            if failed {
                let why = match &result {
                    Ok(ex) => format!("HTTP {} from {url}", ex.status),
                    Err(e) => e.to_string(),
                };
                if host.record_failure() >= self.host_failure_limit {
                    host.give_up(format!(
                        "{} failed requests in a row, last: {why}",
                        self.host_failure_limit
                    ));
                }
                if let Some(wait) = retry_in {
                    // Not retried (out of retries, or Retry-After too long), yet the host asked
                    // us to slow down: respect that for its other requests, within reason.
                    host.delay_until(Instant::now() + wait.min(self.max_retry_after));
                }
            } else {
                host.record_success();
            }
            return result;
        }
    }

    /// An exchange answered from archives: nothing to wait for, and nothing to retry (an archive
    /// answers the same again; a request that was retried live was archived as it ended), but
    /// failures in a row still give a host up, as they did live. A URL not archived is no
    /// failure of the host.
    async fn replay(
        &self,
        host: &Host,
        url: &Url,
        want: Want,
        validators: Option<Validators>,
    ) -> Result<Exchange, FetchError> {
        let result = self.wire.exchange(url, want, validators.as_ref()).await;
        let failed = match &result {
            Ok(ex) => matches!(ex.status, 408 | 429 | 500..=599),
            Err(FetchError::NotArchived { .. }) => return result,
            Err(_) => true,
        };
        if failed {
            let why = match &result {
                Ok(ex) => format!("HTTP {} from {url}", ex.status),
                Err(e) => e.to_string(),
            };
            if host.record_failure() >= self.host_failure_limit {
                host.give_up(format!(
                    "{} failed requests in a row, last: {why}",
                    self.host_failure_limit
                ));
            }
        } else {
            host.record_success();
        }
        result
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.retry_base.as_secs_f64() * 2f64.powi(attempt.min(16) as i32);
        let jittered = base * rand::rng().random_range(0.5..1.5);
        Duration::try_from_secs_f64(jittered)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff)
    }
}
