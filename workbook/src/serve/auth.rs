//! Who may use the server: the learner's browser, and nothing else on this
//! machine. Any local user can reach loopback, so every request, GET
//! included, must carry a cookie that only the learner's browser has, as in
//! Jupyter Server:
//!
//! - a key, 32 random bytes, kept in `.workbook/server/key` (mode 0600, in a
//!   directory of mode 0700 that belongs to the learner): the same for every
//!   start of the server on this checkout, so that a restart does not sign
//!   open pages out (deleting the file signs every browser out);
//! - a *login token*, made from the key (HMAC-SHA256 of the port, the time
//!   and a random nonce), good for one use and only for a start of the server
//!   at or before its time: `cargo workbook` prints a login URL with one and
//!   opens the browser on a redirect file holding another (0600, never in a
//!   process's arguments); `cargo workbook open` makes a fresh one;
//! - the *cookie* `/__workbook/login` gives for a valid token:
//!   `workbook-PORT=TIME.MAC`, `HttpOnly; SameSite=Strict; Path=/`, good for
//!   [`COOKIE_DAYS`] days on this port.
//!
//! A request without the cookie gets a small page that says how to get in.
//! Cookies are scoped to a host, not a port: see the README's "What the
//! server does not protect against".

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Result, anyhow};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use sha2::Sha256;

use super::Server;
use crate::files;

/// The route that exchanges a login token for the cookie.
pub const LOGIN_PATH: &str = "/__workbook/login";

/// How long a cookie stays good.
pub const COOKIE_DAYS: u64 = 7;

/// The learner's private directory of the server's secrets and redirect files.
pub fn private_dir(root: &Path) -> PathBuf {
    root.join(".workbook").join("server")
}

/// The redirect file that opens the browser on a login URL for `port`.
pub fn redirect_file(root: &Path, port: u16) -> PathBuf {
    private_dir(root).join(format!("{port}-open.html"))
}

/// The name of this port's cookie.
pub fn cookie_name(port: u16) -> String {
    format!("workbook-{port}")
}

/// The checkout's key, and what makes and checks tokens and cookies with it.
pub struct Keys {
    key: [u8; 32],
}

impl Keys {
    /// The key of the checkout at `root`, made on first use.
    pub fn load(root: &Path) -> Result<Keys> {
        let dir = private_dir(root);
        make_private_dir(&dir)?;
        let file = dir.join("key");
        if let Some(key) = read_key(&file)? {
            return Ok(Keys { key });
        }
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| anyhow!("no random source: {e}"))?;
        // Two servers starting at once on a fresh checkout: the first key
        // written is the one both use.
        if !write_private_new(&file, hex::encode(key).as_bytes())? {
            return read_key(&file)?
                .map(|key| Keys { key })
                .ok_or_else(|| anyhow!("{} holds no key: remove it", file.display()));
        }
        Ok(Keys { key })
    }

    fn mac(&self, parts: &[&str]) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key)
            .expect("HMAC takes a key of any length");
        for part in parts {
            mac.update(part.as_bytes());
            mac.update(b"\0");
        }
        mac
    }

    fn verify(&self, parts: &[&str], tag: &str) -> bool {
        hex::decode(tag).is_ok_and(|tag| self.mac(parts).verify_slice(&tag).is_ok())
    }

    /// A fresh login token for the server on `port`.
    pub fn login_token(&self, port: u16) -> String {
        let issued = files::now_unix().to_string();
        let mut nonce = [0u8; 16];
        getrandom::fill(&mut nonce).expect("the operating system's random source");
        let nonce = hex::encode(nonce);
        let tag = self.mac(&["login", &port.to_string(), &issued, &nonce]);
        format!(
            "{issued}.{nonce}.{}",
            hex::encode(tag.finalize().into_bytes())
        )
    }

    /// The nonce and time of a login token made with this key for `port`.
    fn check_login(&self, port: u16, token: &str) -> Option<(String, u64)> {
        let mut parts = token.split('.');
        let (issued, nonce, tag) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || nonce.len() != 32 {
            return None;
        }
        self.verify(&["login", &port.to_string(), issued, nonce], tag)
            .then(|| Some((nonce.to_string(), issued.parse().ok()?)))?
    }

    /// A cookie value for `port`, made now.
    pub fn cookie(&self, port: u16) -> String {
        let issued = files::now_unix().to_string();
        let tag = self.mac(&["cookie", &port.to_string(), &issued]);
        format!("{issued}.{}", hex::encode(tag.finalize().into_bytes()))
    }

    /// Whether `value` is a cookie of this key for `port`, younger than
    /// [`COOKIE_DAYS`].
    pub fn check_cookie(&self, port: u16, value: &str) -> bool {
        let Some((issued, tag)) = value.split_once('.') else {
            return false;
        };
        let Ok(time) = issued.parse::<u64>() else {
            return false;
        };
        let now = files::now_unix();
        time <= now + 300
            && now.saturating_sub(time) <= COOKIE_DAYS * 86_400
            && self.verify(&["cookie", &port.to_string(), issued], tag)
    }
}

/// The server's side: its keys, its port, when it started, and the login
/// tokens already used.
pub struct Auth {
    pub keys: Keys,
    pub port: u16,
    started: u64,
    used: Mutex<HashSet<String>>,
}

impl Auth {
    pub fn new(keys: Keys, port: u16) -> Auth {
        Auth {
            keys,
            port,
            started: files::now_unix(),
            used: Mutex::new(HashSet::new()),
        }
    }

    /// A login URL for this server (one use).
    pub fn login_url(&self) -> String {
        format!(
            "http://127.0.0.1:{}{LOGIN_PATH}?token={}",
            self.port,
            self.keys.login_token(self.port)
        )
    }

    /// Uses up a login token: true the first time a valid one comes.
    /// Tokens made before this start of the server are refused (one in a
    /// browser's history must not work again after a restart).
    fn take_login(&self, token: &str) -> bool {
        let Some((nonce, issued)) = self.keys.check_login(self.port, token) else {
            return false;
        };
        issued >= self.started
            && self
                .used
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(nonce)
    }

    /// Whether the request carries this port's valid cookie.
    pub fn signed_in(&self, headers: &HeaderMap) -> bool {
        let name = cookie_name(self.port);
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .any(|(key, value)| key == name && self.keys.check_cookie(self.port, value))
    }
}

#[derive(Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    token: String,
}

/// `GET /__workbook/login?token=T`: a valid, unused token gets the cookie
/// and a page that goes on to the book. The page goes on by itself (a
/// same-origin navigation, so the `SameSite=Strict` cookie goes with it,
/// which it would not after a redirect from the file the browser was opened
/// on). An already signed-in browser just goes on.
pub async fn login(
    State(server): State<Server>,
    headers: HeaderMap,
    Query(query): Query<LoginQuery>,
) -> Response {
    let auth = &server.auth;
    let cookie = if auth.take_login(&query.token) {
        Some(format!(
            "{}={}; Path=/; HttpOnly; SameSite=Strict",
            cookie_name(auth.port),
            auth.keys.cookie(auth.port)
        ))
    } else if auth.signed_in(&headers) {
        None
    } else {
        eprintln!("refused: a sign-in with a used, old or foreign login token");
        return sign_in_page(
            StatusCode::UNAUTHORIZED,
            "That sign-in link has been used already, or it is not for this start of the server.",
        );
    };
    let target = "/";
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\"><link rel=\"icon\" href=\"data:,\">\
         <title>Signed in</title></head>\
         <body><p>Signed in. <a href=\"{target}\">Go on to the workbook</a>.</p></body></html>\n"
    );
    let mut response = (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response();
    if let Some(cookie) = cookie
        && let Ok(value) = cookie.parse()
    {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// The answer to a request without the cookie: for a browser, a small page
/// that says how to get in; for a script, one line.
pub fn not_signed_in(headers: &HeaderMap, port: u16) -> Response {
    let wants_page = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_page {
        sign_in_page(
            StatusCode::UNAUTHORIZED,
            &format!(
                "This browser is not signed in to this workbook server. (Sign-in links open \
                 http://127.0.0.1:{port}/; to a browser, localhost:{port} is another address, \
                 signed in on its own.)"
            ),
        )
    } else {
        (
            StatusCode::UNAUTHORIZED,
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            "not signed in: open the link `cargo workbook` printed when it started, or run `cargo workbook open`\n",
        )
            .into_response()
    }
}

fn sign_in_page(status: StatusCode, why: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in to the workbook</title>\
         <link rel=\"icon\" href=\"data:,\">\
         <style>body{{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em}}code{{background:#eee;padding:0 .2em}}</style></head>\
         <body><h1>Sign in to the workbook</h1><p>{}</p>\
         <p>This server runs code as the person who started it, so it answers only their browser. To get in:</p>\
         <ul><li>open the sign-in link that <code>cargo workbook</code> printed when it started (each link works once), or</li>\
         <li>run <code>cargo workbook open</code> in the workbook's directory, as the user who started the server: it opens this browser signed in.</li></ul>\
         </body></html>\n",
        html_escape(why)
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Writes the redirect file that opens `url`, readable by the learner only.
pub fn write_redirect(root: &Path, port: u16, url: &str) -> Result<PathBuf> {
    let dir = private_dir(root);
    make_private_dir(&dir)?;
    let file = redirect_file(root, port);
    let url = html_escape(url);
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\"><title>Opening the workbook</title></head>\
         <body><p><a href=\"{url}\">Open the workbook</a> (this link works once).</p></body></html>\n"
    );
    write_private(&file, html.as_bytes())?;
    Ok(file)
}

/// Makes `dir` (and its parents) if missing, and makes sure it is a
/// directory of this user's that nobody else can enter: mode 0700, not a
/// symbolic link. One that belongs to someone else is refused.
fn make_private_dir(dir: &Path) -> Result<()> {
    let shown = dir.display();
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| anyhow!("cannot create {shown}: {e}"))?;
        let meta =
            std::fs::symlink_metadata(dir).map_err(|e| anyhow!("cannot read {shown}: {e}"))?;
        if !meta.is_dir() || meta.uid() != nix::unistd::geteuid().as_raw() {
            return Err(anyhow!(
                "{shown} must be a directory of yours (it holds the server's secrets): remove it, and start again"
            ));
        }
        if meta.mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| anyhow!("cannot make {shown} private: {e}"))?;
        }
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir).map_err(|e| anyhow!("cannot create {shown}: {e}"))?;
    Ok(())
}

/// The key in `file`, if it holds one; an error if it is not a plain file
/// of this user's (a symbolic link, say).
fn read_key(file: &Path) -> Result<Option<[u8; 32]>> {
    match std::fs::symlink_metadata(file) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(anyhow!("cannot read {}: {e}", file.display())),
        Ok(meta) if !meta.is_file() => {
            return Err(anyhow!(
                "{} is not a plain file: remove it, and start again",
                file.display()
            ));
        }
        Ok(_) => {}
    }
    let text = std::fs::read_to_string(file)
        .map_err(|e| anyhow!("cannot read {}: {e}", file.display()))?;
    Ok(hex::decode(text.trim())
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok()))
}

/// Writes `bytes` to `file` through a temporary file of mode 0600 in the
/// same directory and a rename: never readable by others, even for a moment.
fn write_private(file: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = private_temp(file, bytes)?;
    tmp.persist(file)
        .map_err(|e| anyhow!("cannot write {}: {}", file.display(), e.error))?;
    Ok(())
}

/// [`write_private`], unless `file` exists: then false, and it is left as it is.
fn write_private_new(file: &Path, bytes: &[u8]) -> Result<bool> {
    let tmp = private_temp(file, bytes)?;
    match tmp.persist_noclobber(file) {
        Ok(_) => Ok(true),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(anyhow!("cannot write {}: {}", file.display(), e.error)),
    }
}

fn private_temp(file: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".workbook-")
        .tempfile_in(dir)
        .map_err(|e| anyhow!("cannot write in {}: {e}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| anyhow!("cannot write {}: {e}", file.display()))?;
    Ok(tmp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Keys {
        Keys { key: [7; 32] }
    }

    #[test]
    fn login_tokens_work_once_and_only_for_their_port() {
        let auth = Auth::new(keys(), 4000);
        let token = auth.keys.login_token(4000);
        assert!(auth.take_login(&token));
        assert!(!auth.take_login(&token), "a second use");
        assert!(
            !auth.take_login(&auth.keys.login_token(4001)),
            "another port"
        );
        let other = Keys { key: [8; 32] };
        assert!(!auth.take_login(&other.login_token(4000)), "another key");
        let mut forged = auth.keys.login_token(4000);
        forged.replace_range(0..1, "9");
        assert!(!auth.take_login(&forged), "a changed time");
        let old = Auth {
            started: files::now_unix() + 10,
            ..Auth::new(keys(), 4000)
        };
        assert!(
            !old.take_login(&auth.keys.login_token(4000)),
            "made before this start"
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_key_is_made_once_private_and_never_read_through_a_link() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let first = Keys::load(root.path()).unwrap();
        let again = Keys::load(root.path()).unwrap();
        assert_eq!(first.key, again.key, "the key is kept");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = private_dir(root.path());
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("key")), 0o600);
        // Opened up by someone: made private again.
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        Keys::load(root.path()).unwrap();
        assert_eq!(mode(&dir), 0o700);
        // A link in the key's place is refused, not followed.
        let elsewhere = root.path().join("elsewhere");
        std::fs::write(&elsewhere, hex::encode([9u8; 32])).unwrap();
        std::fs::remove_file(dir.join("key")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, dir.join("key")).unwrap();
        assert!(Keys::load(root.path()).is_err());
    }

    #[test]
    fn cookies_are_signed_per_port_and_expire() {
        let keys = keys();
        let cookie = keys.cookie(4000);
        assert!(keys.check_cookie(4000, &cookie));
        assert!(!keys.check_cookie(4001, &cookie));
        assert!(!Keys { key: [8; 32] }.check_cookie(4000, &cookie));
        assert!(!keys.check_cookie(4000, "12.ab"));
        let old = (files::now_unix() - COOKIE_DAYS * 86_400 - 10).to_string();
        let tag = keys.mac(&["cookie", "4000", &old]);
        let stale = format!("{old}.{}", hex::encode(tag.finalize().into_bytes()));
        assert!(!keys.check_cookie(4000, &stale));
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            format!("a=b; workbook-4000={cookie}; c=d").parse().unwrap(),
        );
        assert!(Auth::new(keys, 4000).signed_in(&headers));
    }
}
