//! Smoke test of `workbook serve`: it serves the fixture book, the
//! `/__workbook/*` endpoints, and bumps the reload version after an edit.
//! Every wait is bounded.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `GET path` over plain HTTP/1.0; returns (status, content-type, body).
fn get(port: u16, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let ctype = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("Content-Type: ")
                .or_else(|| l.strip_prefix("content-type: "))
        })
        .unwrap_or("")
        .to_string();
    (status, ctype, body.to_string())
}

#[test]
fn serve_smoke() {
    let dir = common::fixture_copy();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_workbook"))
        .args(["serve", "--no-open", "--port", &port.to_string()])
        .current_dir(dir.path())
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start workbook serve");
    let stdout = child.stdout.take().unwrap();
    let server = KillOnDrop(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) if line.contains("Press Ctrl-C to stop") => break,
            Ok(line) => seen.push(line),
            Err(_) => panic!("server did not get ready; stdout so far: {seen:?}"),
        }
    }
    assert!(
        seen.iter()
            .any(|l| l.contains(&format!("http://127.0.0.1:{port}/"))),
        "{seen:?}"
    );

    let (status, ctype, body) = get(port, "/");
    assert_eq!(status, 200);
    assert!(ctype.starts_with("text/html"), "{ctype}");
    assert!(
        body.contains("__workbook/version"),
        "reload script not injected"
    );

    let (status, ctype, _) = get(port, "/intro.html");
    assert_eq!((status, ctype.starts_with("text/html")), (200, true));
    let css = std::fs::read_dir(dir.path().join("target/book/css"))
        .unwrap()
        .flatten()
        .next()
        .unwrap();
    let (status, ctype, _) = get(port, &format!("/css/{}", css.file_name().to_string_lossy()));
    assert_eq!((status, ctype.starts_with("text/css")), (200, true));
    assert_eq!(get(port, "/no-such-page.html").0, 404);
    assert_eq!(get(port, "/../book.toml").0, 404);

    let (status, ctype, body) = get(port, "/__workbook/status.json");
    assert_eq!(
        (status, ctype.as_str(), body.as_str()),
        (200, "application/json", r#"{"exercises":{}}"#)
    );
    let progress = r#"{"exercises":{"01_chunks":{"status":"passed","checked_at":1700000000}}}"#;
    std::fs::create_dir_all(dir.path().join(".workbook")).unwrap();
    std::fs::write(dir.path().join(".workbook/progress.json"), progress).unwrap();
    assert_eq!(get(port, "/__workbook/status.json").2, progress);

    assert_eq!(get(port, "/__workbook/scaling.svg").0, 404);
    let (status, _, body) = get(port, "/__workbook/scaling.json");
    assert_eq!(
        (status, body.as_str()),
        (200, r#"{"points":[]}"#),
        "no sweep yet"
    );
    std::fs::create_dir_all(dir.path().join("target/scaling")).unwrap();
    std::fs::write(dir.path().join("target/scaling/scaling.svg"), "<svg/>").unwrap();
    let (status, ctype, body) = get(port, "/__workbook/scaling.svg");
    assert_eq!(
        (status, ctype.as_str(), body.as_str()),
        (200, "image/svg+xml", "<svg/>")
    );

    // An edit triggers a rebuild, which changes the version pages poll.
    let (status, _, v1) = get(port, "/__workbook/version");
    assert_eq!(status, 200);
    let ch1 = dir.path().join("book/ch1.md");
    let mut text = std::fs::read_to_string(&ch1).unwrap();
    text.push_str("\nAn edit made by the test.\n");
    std::fs::write(&ch1, text).unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let v2 = get(port, "/__workbook/version").2;
        if v2 != v1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no rebuild within 90 s of an edit"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        get(port, "/ch1.html")
            .2
            .contains("An edit made by the test.")
    );
    drop(server);
}
