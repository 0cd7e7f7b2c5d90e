//! What every request must pass before it is answered. The server runs
//! code, so it must be safe against the other pages a learner has open:
//!
//! - every request names this server in its `Host` header (a DNS-rebinding
//!   page's requests name the attacker's host, and are refused);
//! - every request that writes or runs (anything but GET and HEAD) carries
//!   the token this process made at start, which only the pages it serves
//!   carry, and an `Origin` of this server (a cross-origin form or fetch is
//!   refused and logged in one line).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Server;

/// The request header that carries the token.
pub const TOKEN_HEADER: &str = "x-workbook-token";

/// A fresh random token, as hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    hex::encode(bytes)
}

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

/// Equal, in a time that does not depend on where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn header_str(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Why a request is refused, if it is.
pub fn refusal(method: &Method, headers: &HeaderMap, port: u16, token: &str) -> Option<String> {
    let host = header_str(headers, header::HOST).unwrap_or("");
    if !is_this_host(host, port) {
        return Some(format!(
            "Host {host:?} is not this server (127.0.0.1:{port}, localhost:{port})"
        ));
    }
    if matches!(*method, Method::GET | Method::HEAD) {
        return None;
    }
    let origin = header_str(headers, header::ORIGIN).unwrap_or("");
    if !is_this_origin(origin, port) {
        return Some(format!("Origin {origin:?} is not this server"));
    }
    let sent = header_str(headers, TOKEN_HEADER).unwrap_or("");
    if !same_secret(sent, token) {
        return Some(if sent.is_empty() {
            "no token: only pages served by this `cargo workbook` may do that".into()
        } else {
            "a wrong token (a page from an earlier start? reload it)".into()
        });
    }
    None
}

/// The middleware: refuses with 403 and one log line, or passes on.
pub async fn check(State(server): State<Server>, request: Request, next: Next) -> Response {
    if let Some(why) = refusal(
        request.method(),
        request.headers(),
        server.port,
        &server.token,
    ) {
        eprintln!(
            "refused: {} {}: {why}",
            request.method(),
            request.uri().path()
        );
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            Body::from(format!("refused: {why}\n")),
        )
            .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn only_this_host_and_origin_with_the_token() {
        let ok = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://localhost:3000"),
            (TOKEN_HEADER, "abc"),
        ]);
        assert_eq!(refusal(&Method::POST, &ok, 3000, "abc"), None);
        assert_eq!(refusal(&Method::GET, &ok, 3000, "abc"), None);
        let rebinding = headers(&[("host", "evil.example:3000")]);
        assert!(refusal(&Method::GET, &rebinding, 3000, "abc").is_some());
        let other_port = headers(&[("host", "127.0.0.1:3001")]);
        assert!(refusal(&Method::GET, &other_port, 3000, "abc").is_some());
        assert!(refusal(&Method::GET, &HeaderMap::new(), 3000, "abc").is_some());
        let foreign = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://evil.example"),
            (TOKEN_HEADER, "abc"),
        ]);
        assert!(refusal(&Method::POST, &foreign, 3000, "abc").is_some());
        let no_token = headers(&[("host", "[::1]:3000"), ("origin", "http://[::1]:3000")]);
        assert!(refusal(&Method::POST, &no_token, 3000, "abc").is_some());
        let wrong = headers(&[
            ("host", "localhost:3000"),
            ("origin", "http://localhost:3000"),
            (TOKEN_HEADER, "abd"),
        ]);
        assert!(refusal(&Method::POST, &wrong, 3000, "abc").is_some());
        assert_eq!(new_token().len(), 64);
        assert_ne!(new_token(), new_token());
    }
}
