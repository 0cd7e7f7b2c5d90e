//! A `workbook serve` started by a test, signed in as a learner's browser
//! is (through the sign-in link it prints), and plain HTTP to it over real
//! sockets on loopback (a fresh connection per request, every read bounded).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct Served {
    child: Child,
    pub port: u16,
    /// `workbook-PORT=VALUE`: the sign-in cookie, as a browser sends it.
    pub cookie: String,
    /// What the server printed on its stdout until it was ready.
    pub printed: Vec<String>,
    /// Its stdout lines after that.
    pub lines: mpsc::Receiver<String>,
    /// Its stderr lines (also passed on to the test's stderr).
    pub errors: mpsc::Receiver<String>,
}

impl Served {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `Cookie: ...`, a header line.
    pub fn cookie_header(&self) -> String {
        format!("Cookie: {}", self.cookie)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[path = "../../../tests/common/json_lines.rs"]
mod json_lines;

/// Starts `workbook serve` on the book in `root` (with the flags `extra`)
/// on a port the system picks (`--port 0`; the server says which), waits
/// until it answers, and signs in with the link it printed.
pub fn serve(root: &Path, extra: &[&str]) -> Served {
    serve_with(root, Command::new(env!("CARGO_BIN_EXE_workbook")), extra)
}

/// [`serve`], started by `cmd` (the workbook binary, or a wrapper such as
/// `sh -c '... exec workbook "$@"' workbook`), to which `serve --no-open
/// --port 0` and `extra` are appended.
pub fn serve_with(root: &Path, cmd: Command, extra: &[&str]) -> Served {
    let mut start = Command::new(cmd.get_program());
    start
        .args(cmd.get_args())
        .args(["serve", "--no-open", "--port", "0"])
        .args(extra);
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => start.env(key, value),
            None => start.env_remove(key),
        };
    }
    let mut child = start
        .current_dir(root)
        .env(workbook::paths::ROOT_ENV, root)
        .env_remove("RUST_LOG")
        .env_remove("BROWSER")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start workbook serve");
    let stderr = child.stderr.take().unwrap();
    let (err_tx, errors) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            let _ = err_tx.send(line);
        }
    });
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut printed = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) if line.contains("Press Ctrl-C to stop") => break,
            Ok(line) => printed.push(line),
            Err(_) => panic!("the server did not get ready"),
        }
    }
    let port = printed
        .iter()
        .find_map(|line| line.strip_prefix("Serving the workbook at http://127.0.0.1:"))
        .map(|url| url.trim_end_matches('/').parse().expect("a port"))
        .unwrap_or_else(|| panic!("the server said where it serves: {printed:?}"));
    let mut served = Served {
        child,
        port,
        cookie: String::new(),
        printed,
        lines: rx,
        errors,
    };
    let link = sign_in_link(&served.printed);
    served.cookie = sign_in(port, &link).expect("the printed link signs in");
    served
}

/// The sign-in link among the lines the server printed.
pub fn sign_in_link(printed: &[String]) -> String {
    printed
        .iter()
        .find_map(|line| {
            let at = line.find("http://")?;
            let url = line[at..].split_whitespace().next()?;
            url.contains("/__workbook/login?token=")
                .then(|| url.to_string())
        })
        .unwrap_or_else(|| panic!("no sign-in link in {printed:?}"))
}

/// The path and query of a URL on this machine (`http://127.0.0.1:P/x?y` -> `/x?y`).
pub fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.find('/')
        .map_or("/".into(), |at| rest[at..].to_string())
}

/// Follows a sign-in link; the cookie it sets (`NAME=VALUE`), if any.
pub fn sign_in(port: u16, link: &str) -> Option<String> {
    let reply = request(
        port,
        &format!(
            "GET {} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/html",
            path_of(link)
        ),
        "",
        Duration::from_secs(60),
    );
    set_cookie(&reply)
}

/// The `NAME=VALUE` of a reply's `Set-Cookie`.
pub fn set_cookie(reply: &Reply) -> Option<String> {
    reply.headers.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("set-cookie")
            .then(|| value.trim().split(';').next().unwrap_or("").to_string())
    })
}

pub struct Reply {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

/// Sends one request over a fresh connection and hands back the connection,
/// to read the answer as it streams (line by line), each read bounded by `limit`.
pub fn open(port: u16, head: &str, body: &str, limit: Duration) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(limit)).unwrap();
    write!(
        stream,
        "{head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    BufReader::new(stream)
}

/// One request over a fresh connection; reads the whole response (a stream
/// of run events included), with a bound on how long that may take.
pub fn request(port: u16, head: &str, body: &str, limit: Duration) -> Reply {
    let mut stream = open(port, head, body, limit);
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .expect("read the response in time");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (headers, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = headers
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = if headers
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    Reply {
        status,
        headers: headers.to_string(),
        body,
    }
}

pub fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

/// A GET from the signed-in browser.
pub fn get(served: &Served, path: &str) -> Reply {
    let port = served.port;
    request(
        port,
        &format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{}",
            served.cookie_header()
        ),
        "",
        Duration::from_secs(60),
    )
}

/// A GET from someone not signed in.
pub fn get_unsigned(port: u16, path: &str) -> Reply {
    request(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}"),
        "",
        Duration::from_secs(60),
    )
}

/// The head of a POST as a page served by this server sends it.
pub fn post_head(served: &Served, path: &str) -> String {
    let port = served.port;
    format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n\
         {}\r\nContent-Type: application/json",
        served.cookie_header()
    )
}

/// A POST as a page served by this server sends it.
pub fn post(served: &Served, path: &str, json: &str) -> Reply {
    request(
        served.port,
        &post_head(served, path),
        json,
        Duration::from_secs(600),
    )
}

/// `GET /__workbook/events` (the live-reload stream), open, to read as it comes.
pub fn open_events(served: &Served, limit: Duration) -> BufReader<TcpStream> {
    let port = served.port;
    open(
        port,
        &format!(
            "GET /__workbook/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{}",
            served.cookie_header()
        ),
        "",
        limit,
    )
}

/// The run events of a streamed reply.
pub fn events(reply: &Reply) -> Vec<serde_json::Value> {
    json_lines::json_lines(&reply.body)
}

pub fn done(reply: &Reply) -> serde_json::Value {
    events(reply)
        .into_iter()
        .rfind(|e| e["event"] == "done")
        .unwrap_or_else(|| panic!("no done event in {}", reply.body))
}

pub fn stdout_of(reply: &Reply) -> String {
    events(reply)
        .iter()
        .filter(|e| e["event"] == "output" && e["stream"] == "stdout")
        .filter_map(|e| e["text"].as_str())
        .collect()
}

/// A reply's body as JSON.
pub fn json_of(reply: &Reply) -> serde_json::Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|e| panic!("{e}: {}", reply.body))
}
