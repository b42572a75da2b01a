//! Who sent a request: the peer's address or, only when the peer is a configured trusted
//! proxy, the address that proxy appended to `X-Forwarded-For`; and whether the request
//! reached us over TLS (said only by that proxy).

use super::state::{AppState, Config};
use axum::extract::FromRequestParts;
use axum::extract::connect_info::ConnectInfo;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The client of a request, as far as we can trust what we are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    /// The client's address; `0.0.0.0` when unknown (in-process tests), one shared bucket.
    pub ip: IpAddr,
    /// Whether a trusted proxy said the request came over HTTPS.
    pub forwarded_https: bool,
}

impl Client {
    /// The client of a request with these extensions and headers under `config`.
    pub fn of(parts: &Parts, config: &Config) -> Self {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| a.ip());
        let trusted = peer.is_some_and(|p| config.trusted_proxies.contains(&p));
        let unknown = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
        if !trusted {
            return Client {
                ip: peer.unwrap_or(unknown),
                forwarded_https: false,
            };
        }
        Client {
            ip: forwarded_for(&parts.headers).or(peer).unwrap_or(unknown),
            forwarded_https: header(&parts.headers, "x-forwarded-proto")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("https")),
        }
    }
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get_all(name).iter().next_back()?.to_str().ok()
}

/// The last address of the last `X-Forwarded-For`: the one our proxy appended. Earlier
/// entries come from the client and could say anything.
fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    header(headers, "x-forwarded-for")?
        .rsplit(',')
        .next()?
        .trim()
        .parse()
        .ok()
}

impl FromRequestParts<AppState> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        Ok(Client::of(parts, &state.config))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(peer: Option<&str>, headers: &[(&str, &str)]) -> Parts {
        let mut b = Request::get("/");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let mut req = b.body(()).unwrap();
        if let Some(p) = peer {
            req.extensions_mut()
                .insert(ConnectInfo::<SocketAddr>(p.parse().unwrap()));
        }
        req.into_parts().0
    }

    #[test]
    fn forwarded_headers_count_only_from_the_trusted_proxy() {
        let config = Config {
            trusted_proxies: vec!["10.0.0.1".parse().unwrap()],
            ..Config::default()
        };
        let fwd = [
            ("x-forwarded-for", "6.6.6.6, 192.0.2.7"),
            ("x-forwarded-proto", "https"),
        ];
        /// Peer, headers, the client's address, whether over HTTPS.
        type Case<'a> = (Option<&'a str>, &'a [(&'a str, &'a str)], &'a str, bool);
        let cases: &[Case] = &[
            (Some("10.0.0.1:5000"), &fwd, "192.0.2.7", true),
            (Some("10.0.0.1:5000"), &[], "10.0.0.1", false),
            (
                Some("10.0.0.1:5000"),
                &[("x-forwarded-for", "junk")],
                "10.0.0.1",
                false,
            ),
            (Some("198.51.100.9:5000"), &fwd, "198.51.100.9", false),
            (None, &fwd, "0.0.0.0", false),
        ];
        for (peer, headers, ip, https) in cases {
            let c = Client::of(&parts(*peer, headers), &config);
            assert_eq!(c.ip, ip.parse::<IpAddr>().unwrap(), "{peer:?} {headers:?}");
            assert_eq!(c.forwarded_https, *https, "{peer:?} {headers:?}");
        }
    }
}
