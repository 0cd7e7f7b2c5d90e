//! A `workbook serve` started by a test, and plain HTTP to it over real
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
    pub token: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[path = "../../../tests/common/json_lines.rs"]
mod json_lines;

/// Starts `workbook serve` on the book in `root`, on a port the system picks
/// (`--port 0`; the server says which), and waits until it answers.
pub fn serve(root: &Path, extra: &[&str]) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_workbook"))
        .args(["serve", "--no-open", "--port", "0"])
        .args(extra)
        .current_dir(root)
        .env(workbook::paths::ROOT_ENV, root)
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start workbook serve");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut served = Served {
        child,
        port: 0,
        token: String::new(),
    };
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) if line.contains("Press Ctrl-C to stop") => break,
            Ok(line) => {
                if let Some(url) = line.strip_prefix("Serving the workbook at http://127.0.0.1:") {
                    served.port = url.trim_end_matches('/').parse().expect("a port");
                }
            }
            Err(_) => panic!("the server did not get ready"),
        }
    }
    assert_ne!(served.port, 0, "the server said where it serves");
    let port = served.port;
    let page = get(port, "/").body;
    served.token = page
        .split(r#"<meta name="workbook-token" content=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page carries the token")
        .to_string();
    served
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

pub fn get(port: u16, path: &str) -> Reply {
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
         X-Workbook-Token: {}\r\nContent-Type: application/json",
        served.token
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
pub fn open_events(port: u16, limit: Duration) -> BufReader<TcpStream> {
    open(
        port,
        &format!("GET /__workbook/events HTTP/1.1\r\nHost: 127.0.0.1:{port}"),
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
