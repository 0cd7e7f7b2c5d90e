//! What every request must pass before it is answered, and what every
//! answer carries. The server runs code as the learner, so it must be safe
//! against other users of the machine (who can reach loopback) and against
//! the other pages the learner has open:
//!
//! - every request names this server, once, in its `Host` header, and in
//!   its target if that is in absolute form (a DNS-rebinding page's
//!   requests name the attacker's host, and are refused);
//! - no request comes from another site (`Sec-Fetch-Site: cross-site`) or
//!   another server of this host (`same-site`: another port, which may be
//!   another user's); only the sign-in link may be followed from elsewhere;
//! - every request carries the learner's sign-in cookie ([`super::auth`]),
//!   or gets a page that says how to sign in (401);
//! - every request that writes or runs (anything but GET and HEAD) has an
//!   `Origin` of this server (a cross-origin form or fetch is refused).
//!
//! Refusals are logged in one line each. Every answer, refusals included,
//! says that it may not be framed, sniffed or read by another origin
//! ([`security_headers`]).

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::set_header::SetResponseHeaderLayer;

use super::Server;
use super::auth::{LOGIN_PATH, not_signed_in};

/// The policy of every answer; pages add the hashes of their own inline
/// scripts to `script-src` ([`super::pages`]). Scripts only from this
/// server, no plugins, no framing by anyone, forms and `<base>` kept home;
/// images may be `blob:` URLs (a page shows the learner's latest timeline
/// from one).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The three names of this server: `127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT`.
fn is_this_host(host: &str, port: u16) -> bool {
    let host = host.to_ascii_lowercase();
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|name| host == format!("{name}:{port}"))
}

fn is_this_origin(origin: &str, port: u16) -> bool {
    origin
        .strip_prefix("http://")
        .is_some_and(|host| is_this_host(host, port))
}

fn header_str(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Why a request is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// 403, with the reason.
    Forbidden(String),
    /// 401: no valid sign-in cookie.
    NotSignedIn,
}

/// Why a request is refused, if it is. `signed_in` says whether it
/// carries a valid cookie.
pub fn refusal(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    port: u16,
    signed_in: impl FnOnce(&HeaderMap) -> bool,
) -> Option<Refusal> {
    let forbidden = |why: String| Some(Refusal::Forbidden(why));
    let hosts: Vec<&str> = headers
        .get_all(header::HOST)
        .iter()
        .map(|v| v.to_str().unwrap_or("?"))
        .collect();
    match hosts[..] {
        [host] if is_this_host(host, port) => {}
        [] => return forbidden(format!("no Host header (this is 127.0.0.1:{port})")),
        [host] => {
            return forbidden(format!(
                "Host {host:?} is not this server (127.0.0.1:{port}, localhost:{port})"
            ));
        }
        _ => return forbidden(format!("{} Host headers", hosts.len())),
    }
    if let Some(authority) = uri.authority() {
        let http = uri
            .scheme_str()
            .is_none_or(|s| s.eq_ignore_ascii_case("http"));
        if !http || !is_this_host(authority.as_str(), port) {
            return forbidden(format!("the target {uri} is not on this server"));
        }
    }
    let login = uri.path() == LOGIN_PATH;
    let site = header_str(headers, "sec-fetch-site").unwrap_or("");
    if !login && matches!(site, "cross-site" | "same-site") {
        return forbidden(format!(
            "a request from another {} (Sec-Fetch-Site: {site})",
            if site == "cross-site" {
                "site"
            } else {
                "server of this host"
            }
        ));
    }
    if login {
        // The login route checks its token itself.
        return None;
    }
    if !signed_in(headers) {
        return Some(Refusal::NotSignedIn);
    }
    if matches!(*method, Method::GET | Method::HEAD) {
        return None;
    }
    let origin = header_str(headers, header::ORIGIN).unwrap_or("");
    if !is_this_origin(origin, port) {
        return forbidden(format!("Origin {origin:?} is not this server"));
    }
    None
}

/// The middleware: refuses (403, or 401 with how to sign in) with one log
/// line, or passes on.
pub async fn check(State(server): State<Server>, request: Request, next: Next) -> Response {
    let refused = refusal(
        request.method(),
        request.uri(),
        request.headers(),
        server.port,
        |headers| server.auth.signed_in(headers),
    );
    match refused {
        None => next.run(request).await,
        Some(Refusal::NotSignedIn) => not_signed_in(request.headers(), server.port),
        Some(Refusal::Forbidden(why)) => {
            eprintln!(
                "refused: {} {}: {why}",
                request.method(),
                request.uri().path()
            );
            (
                StatusCode::FORBIDDEN,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                Body::from(format!("refused: {why}\n")),
            )
                .into_response()
        }
    }
}

/// Adds the headers every answer carries (tower-http's layers): a content
/// security policy (unless the handler set one: pages do), no framing, no
/// sniffing of content types, no reading by other origins, no referrer.
pub fn security_headers(router: Router) -> Router {
    let fixed = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(fixed(header::X_FRAME_OPTIONS, "DENY"))
        .layer(fixed(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(fixed(
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ))
        .layer(fixed(header::REFERRER_POLICY, "no-referrer"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn check(method: Method, target: &str, pairs: &[(&'static str, &str)]) -> Option<Refusal> {
        let uri: Uri = target.parse().unwrap();
        refusal(&method, &uri, &headers(pairs), 3000, |h| {
            h.get("cookie").is_some_and(|c| c == "ok")
        })
    }

    fn forbidden(refusal: Option<Refusal>) -> bool {
        matches!(refusal, Some(Refusal::Forbidden(_)))
    }

    #[test]
    fn only_this_host_signed_in_and_writes_from_this_origin() {
        let page = [("host", "127.0.0.1:3000"), ("cookie", "ok")];
        assert_eq!(check(Method::GET, "/", &page), None);
        let write = [
            ("host", "127.0.0.1:3000"),
            ("cookie", "ok"),
            ("origin", "http://localhost:3000"),
        ];
        assert_eq!(check(Method::POST, "/x", &write), None);
        assert!(forbidden(check(
            Method::GET,
            "/",
            &[("host", "evil.example:3000")]
        )));
        assert!(forbidden(check(
            Method::GET,
            "/",
            &[("host", "127.0.0.1:3001")]
        )));
        assert!(forbidden(check(Method::GET, "/", &[])));
        assert!(forbidden(check(
            Method::GET,
            "/",
            &[
                ("host", "127.0.0.1:3000"),
                ("host", "evil.example"),
                ("cookie", "ok")
            ]
        )));
        assert!(forbidden(check(Method::GET, "http://evil.example/", &page)));
        assert_eq!(check(Method::GET, "http://127.0.0.1:3000/", &page), None);
        assert_eq!(
            check(Method::GET, "/", &[("host", "[::1]:3000")]),
            Some(Refusal::NotSignedIn)
        );
        let foreign = [
            ("host", "127.0.0.1:3000"),
            ("cookie", "ok"),
            ("origin", "http://evil.example"),
        ];
        assert!(forbidden(check(Method::POST, "/x", &foreign)));
        assert!(forbidden(check(
            Method::POST,
            "/x",
            &[("host", "127.0.0.1:3000"), ("cookie", "ok")]
        )));
        for site in ["cross-site", "same-site"] {
            let from = [
                ("host", "127.0.0.1:3000"),
                ("cookie", "ok"),
                ("sec-fetch-site", site),
            ];
            assert!(forbidden(check(Method::GET, "/", &from)), "{site}");
            // The sign-in link is followed from a file, or another site.
            assert_eq!(check(Method::GET, "/__workbook/login?token=x", &from), None);
        }
        for site in ["same-origin", "none"] {
            let from = [
                ("host", "127.0.0.1:3000"),
                ("cookie", "ok"),
                ("sec-fetch-site", site),
            ];
            assert_eq!(check(Method::GET, "/", &from), None, "{site}");
        }
    }
}
