//! The private-address guard: the crawler refuses to connect to loopback, private, link-local,
//! shared, multicast and cloud-metadata addresses unless `allow_private` is set.
//!
//! A hostile page can link to `http://169.254.169.254/` or to a name that resolves to `10.0.0.1`;
//! following such links would let a survey probe the network it runs in. Names are checked after
//! DNS resolution (in [`GuardedResolver`], which reqwest asks for every connection, redirects
//! included) and literal-IP URLs before every request (they never reach a resolver). The answer
//! checked is the answer connected to, so a name whose DNS answer changes between lookups (DNS
//! rebinding) is judged on each answer; nothing is cached as "allowed".

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Whether connecting to `ip` is refused when private addresses are not allowed.
pub fn is_forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => forbidden_v4(v4),
            None => forbidden_v6(v6),
        },
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local() // 169.254/16, including the 169.254.169.254 metadata service
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space, RFC 6598
        || (a == 192 && b == 0 && ip.octets()[2] == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking, RFC 2544
        || a >= 240 // reserved
}

fn forbidden_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local, incl. fd00:ec2::254 (AWS metadata)
        || (first & 0xffc0) == 0xfe80 // link-local
        || (first & 0xffc0) == 0xfec0 // deprecated site-local
        || (first == 0x2001 && ip.segments()[1] == 0x0db8) // documentation
        || (first == 0x0064 && ip.segments()[1] == 0xff9b) // NAT64, may embed a private IPv4
}

/// Which addresses may be connected to.
#[derive(Debug, Clone, Default)]
pub struct AddressPolicy {
    /// Every address, private ones included (tests and the demo web).
    pub allow_private: bool,
    /// Private addresses allowed one by one (a local mirror the survey must reach); every other
    /// private address stays refused.
    pub allowed: Vec<IpAddr>,
}

impl AddressPolicy {
    /// Whether connecting to `ip` is refused.
    pub fn refuses(&self, ip: IpAddr) -> bool {
        !self.allow_private && is_forbidden(ip) && !self.allowed.contains(&ip)
    }
}

/// A DNS resolver that applies configured overrides, resolves other names with the system resolver
/// (tokio's `lookup_host`), and fails resolutions whose addresses are all refused.
#[derive(Clone)]
pub struct GuardedResolver {
    overrides: Arc<HashMap<String, SocketAddr>>,
    policy: Arc<AddressPolicy>,
    /// Resolves names that are not overridden; `None` for the system resolver.
    upstream: Option<Arc<dyn Resolve>>,
}

impl std::fmt::Debug for GuardedResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GuardedResolver")
            .field("overrides", &self.overrides)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl GuardedResolver {
    /// A resolver with `overrides` (host name → address) applied before DNS.
    pub fn new(overrides: HashMap<String, SocketAddr>, policy: AddressPolicy) -> Self {
        let overrides = overrides
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        GuardedResolver {
            overrides: Arc::new(overrides),
            policy: Arc::new(policy),
            upstream: None,
        }
    }

    /// The same guard over another resolver instead of the system's.
    pub fn with_upstream(mut self, upstream: Arc<dyn Resolve>) -> Self {
        self.upstream = Some(upstream);
        self
    }
}

/// `localhost` and every name under it, which RFC 6761 reserves for loopback and browsers
/// answer without asking DNS (the demo web serves thousands of councils as `SLUG.localhost`).
/// They are loopback, so the policy refuses them unless private addresses are allowed.
fn is_localhost(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    host == "localhost" || host.ends_with(".localhost")
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_ascii_lowercase();
        let overridden = self.overrides.get(&host).copied();
        let policy = Arc::clone(&self.policy);
        let upstream = self.upstream.clone();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = match (overridden, upstream) {
                (Some(addr), _) => vec![addr],
                (None, _) if is_localhost(&host) => vec![
                    SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
                    SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), 0),
                ],
                (None, Some(upstream)) => upstream.resolve(name).await?.collect(),
                (None, None) => tokio::net::lookup_host((host.as_str(), 0)).await?.collect(),
            };
            let allowed: Vec<SocketAddr> = addrs
                .into_iter()
                .filter(|a| !policy.refuses(a.ip()))
                .collect();
            if allowed.is_empty() {
                return Err(format!("refused: `{host}` resolves only to private addresses").into());
            }
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn refuses_private_loopback_link_local_and_metadata() {
        for s in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:10.0.0.1",
        ] {
            assert!(is_forbidden(ip(s)), "{s} should be refused");
        }
    }

    /// A name whose DNS answer flips from public to loopback after the first lookup.
    struct Rebinding(std::sync::atomic::AtomicUsize);

    impl Resolve for Rebinding {
        fn resolve(&self, _: Name) -> Resolving {
            let n = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let ip = if n == 0 { "81.2.69.160" } else { "127.0.0.1" };
            let addr = SocketAddr::new(ip.parse().unwrap(), 0);
            Box::pin(async move { Ok(Box::new(std::iter::once(addr)) as Addrs) })
        }
    }

    #[tokio::test]
    async fn judges_every_dns_answer_so_rebinding_is_refused() {
        use std::str::FromStr;
        let guard = GuardedResolver::new(HashMap::new(), AddressPolicy::default())
            .with_upstream(Arc::new(Rebinding(Default::default())));
        let name = || Name::from_str("rebind.example").unwrap();
        let first: Vec<SocketAddr> = guard.resolve(name()).await.unwrap().collect();
        assert_eq!(first[0].ip(), ip("81.2.69.160"));
        let second = guard.resolve(name()).await.err().expect("refused");
        assert!(second.to_string().contains("private addresses"), "{second}");
    }

    #[tokio::test]
    async fn names_under_localhost_are_loopback_and_refused_unless_private_is_allowed() {
        use std::str::FromStr;
        let allowing = GuardedResolver::new(
            HashMap::new(),
            AddressPolicy {
                allow_private: true,
                allowed: Vec::new(),
            },
        );
        for name in ["leeds.localhost", "a.b.LOCALHOST.", "localhost"] {
            let got: Vec<SocketAddr> = allowing
                .resolve(Name::from_str(name).unwrap())
                .await
                .unwrap()
                .collect();
            assert_eq!(got[0].ip(), ip("127.0.0.1"), "{name}");
            assert!(got.iter().all(|a| a.ip().is_loopback()), "{name}");
        }
        let guarded = GuardedResolver::new(HashMap::new(), AddressPolicy::default());
        let refused = guarded
            .resolve(Name::from_str("leeds.localhost").unwrap())
            .await
            .err()
            .expect("refused");
        assert!(
            refused.to_string().contains("private addresses"),
            "{refused}"
        );
        assert!(!is_localhost("localhost.example") && !is_localhost("notlocalhost"));
    }

    #[test]
    fn allows_listed_private_addresses_only() {
        let policy = AddressPolicy {
            allow_private: false,
            allowed: vec![ip("127.0.0.2")],
        };
        assert!(!policy.refuses(ip("127.0.0.2")));
        assert!(policy.refuses(ip("127.0.0.1")));
        assert!(!policy.refuses(ip("81.2.69.160")));
    }

    #[test]
    fn allows_public_addresses() {
        for s in ["81.2.69.160", "151.101.0.144", "2a04:4e42::144"] {
            assert!(!is_forbidden(ip(s)), "{s} should be allowed");
        }
    }
}
