//! `cargo workbook serve` over real sockets on loopback: it serves the book
//! and the `/__workbook/*` endpoints, reloads pages after an edit, refuses
//! what a foreign page could send (Host, Origin, cookie), and runs snippets
//! and examples under limits without ever stopping to answer. Every wait is
//! bounded.

mod common;
#[path = "common/served.rs"]
mod served;

use served::{done, events, get, open_events, post, request, serve, stdout_of};

use std::io::BufRead;
use std::time::Duration;

const ROUTES: &[&str] = &[
    "/__workbook/api/run/snippet",
    "/__workbook/api/run/example",
    "/__workbook/api/run/stop",
];

#[test]
fn serves_the_book_and_reloads_after_an_edit() {
    let dir = common::fixture_copy();
    let served = serve(dir.path(), &[]);

    let page = get(&served, "/");
    assert_eq!(page.status, 200);
    assert!(
        page.headers
            .to_ascii_lowercase()
            .contains("content-type: text/html")
    );
    assert!(page.body.contains("/__workbook/events"), "reload script");
    assert_eq!(get(&served, "/intro.html").status, 200);
    // A renamed chapter's old address: mdBook's redirect page, served as is.
    let moved = get(&served, "/old-ch1.html");
    assert_eq!(moved.status, 200);
    assert!(
        moved.body.contains(r#"content="0; URL=ch1.html""#),
        "{}",
        moved.body
    );
    let css = std::fs::read_dir(dir.path().join("target/book/css"))
        .unwrap()
        .flatten()
        .next()
        .unwrap();
    let css = get(
        &served,
        &format!("/css/{}", css.file_name().to_string_lossy()),
    );
    assert_eq!(css.status, 200);
    assert!(
        css.headers
            .to_ascii_lowercase()
            .contains("content-type: text/css")
    );
    assert_eq!(get(&served, "/no-such-page.html").status, 404);
    assert_eq!(get(&served, "/../book.toml").status, 404);
    assert_eq!(get(&served, "/%2e%2e/book.toml").status, 404);

    assert_eq!(
        get(&served, "/__workbook/status.json").body,
        r#"{"exercises":{},"quizzes":{},"puzzles":{},"parts":[],"error":null}"#
    );
    // One shape, whatever the file holds: an entry of another shape is not
    // a status this tool wrote, and reads as not started.
    let progress = r#"{"exercises":{"01_chunks":{"status":"passed","checked_at":1700000000,"extra":1},"02_old":"passed"},"other":2}"#;
    std::fs::create_dir_all(dir.path().join(".workbook")).unwrap();
    std::fs::write(dir.path().join(".workbook/progress.json"), progress).unwrap();
    assert_eq!(
        get(&served, "/__workbook/status.json").body,
        r#"{"exercises":{"01_chunks":{"status":"passed","checked_at":1700000000},"02_old":{"status":"not-started","checked_at":null}},"quizzes":{},"puzzles":{},"parts":[],"error":null}"#
    );
    std::fs::write(dir.path().join(".workbook/progress.json"), "{not json").unwrap();
    let unreadable = get(&served, "/__workbook/status.json");
    assert_eq!(unreadable.status, 200);
    assert!(
        unreadable
            .body
            .starts_with(r#"{"exercises":{},"quizzes":{},"puzzles":{},"parts":[],"error":".workbook/progress.json is not valid JSON"#),
        "{}",
        unreadable.body
    );
    assert_eq!(get(&served, "/__workbook/scaling.svg").status, 404);
    assert_eq!(
        get(&served, "/__workbook/scaling.json").body,
        r#"{"points":[]}"#
    );
    std::fs::create_dir_all(dir.path().join("target/scaling")).unwrap();
    std::fs::write(dir.path().join("target/scaling/scaling.svg"), "<svg/>").unwrap();
    assert_eq!(get(&served, "/__workbook/scaling.svg").body, "<svg/>");
    // The live roofline: no roofs before a `roofline` run, a one-line error
    // for a file that is not one, and the run's points placed on its roofs.
    let roofline = |served| -> serde_json::Value {
        let reply = get(served, "/__workbook/roofline.json");
        assert_eq!(reply.status, 200, "{}", reply.body);
        serde_json::from_str(&reply.body).unwrap()
    };
    let none = roofline(&served);
    assert_eq!(none["compute"], serde_json::json!([]), "{none}");
    assert_eq!(none["error"], serde_json::Value::Null, "{none}");
    std::fs::create_dir_all(dir.path().join("target/roofline")).unwrap();
    std::fs::write(
        dir.path().join("target/roofline/roofline.json"),
        "{not json",
    )
    .unwrap();
    let bad = roofline(&served);
    assert!(
        bad["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("target/roofline/roofline.json is not a roofline")),
        "{bad}"
    );
    let written = serde_json::json!({
        "compute": [{ "label": "1 core", "per_second": 1e9 }, { "label": "2 cores", "per_second": 2e9 }],
        "bandwidth": [{ "label": "2 cores, reading", "per_second": 8e9 }],
        "points": [
            { "strategy": "memory_bound", "threads": 2, "bytes_per_term": 8.0, "terms_per_second": 5e8 },
            { "strategy": "threads", "threads": 2, "bytes_per_term": 0.0, "terms_per_second": 1.5e9 },
        ],
        "machine": "a test machine",
    });
    std::fs::write(
        dir.path().join("target/roofline/roofline.json"),
        written.to_string(),
    )
    .unwrap();
    let chart = roofline(&served);
    assert_eq!(chart["machine"], "a test machine");
    assert_eq!(
        chart["compute"][0]["label"], "2 cores",
        "highest roof first: {chart}"
    );
    assert_eq!(
        chart["ridge"], 0.25,
        "2e9 terms/s over 8e9 bytes/s: {chart}"
    );
    let points = chart["points"].as_array().unwrap();
    assert_eq!(points.len(), 2, "{chart}");
    assert_eq!(points[0]["intensity"], 0.125);
    assert_eq!(
        points[0]["attainable"], 1e9,
        "0.125 terms a byte × 8e9 bytes/s"
    );
    assert_eq!(points[0]["bound"], "memory");
    assert_eq!(points[0]["source"], "roofline");
    assert_eq!(points[1]["intensity"], serde_json::Value::Null);
    assert_eq!(points[1]["attainable"], 2e9);
    assert_eq!(points[1]["bound"], "compute");
    assert_eq!(
        get(&served, "/__workbook/timelines/threads.svg").status,
        204,
        "no timeline yet"
    );
    assert_eq!(get(&served, "/__workbook/timelines/..%2Fx.svg").status, 404);

    // The live-reload stream: a version now, another after an edit. The edit
    // is written in place, so a rebuild may catch it half-way (an empty
    // chapter) and a second one follow: wait for the version whose page has
    // it. The stream's read limit fails the test if none comes.
    let mut reader = open_events(&served, Duration::from_secs(120));
    let mut versions = Vec::new();
    let ch1 = dir.path().join("book/ch1.md");
    let edit = "An edit made by the test.";
    let mut line = String::new();
    let mut event = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).expect("an event in time");
        if let Some(name) = line.trim().strip_prefix("event:") {
            event = name.trim().to_string();
        }
        if let Some(v) = line.trim().strip_prefix("data:")
            && event == "version"
        {
            versions.push(v.trim().to_string());
            if versions.len() == 1 {
                let mut text = std::fs::read_to_string(&ch1).unwrap();
                text.push_str(&format!("\n{edit}\n"));
                std::fs::write(&ch1, text).unwrap();
            } else if get(&served, "/ch1.html").body.contains(edit) {
                break;
            }
        }
    }
    assert_ne!(versions[0], versions[versions.len() - 1]);
}

#[test]
fn refuses_what_a_foreign_page_could_send() {
    let dir = common::fixture_copy();
    let served = serve(dir.path(), &[]);
    let port = served.port;
    let limit = Duration::from_secs(60);

    // DNS rebinding: the right address, a foreign name. Every path.
    for path in [
        "/",
        "/intro.html",
        "/__workbook/status.json",
        "/__workbook/events",
        "/__workbook/events-worker.js",
    ]
    .iter()
    .chain(ROUTES)
    {
        for method in ["GET", "POST"] {
            let reply = request(
                port,
                &format!("{method} {path} HTTP/1.1\r\nHost: attacker.example:{port}"),
                "",
                limit,
            );
            assert_eq!(reply.status, 403, "{method} {path}: {}", reply.body);
        }
    }
    let no_host = request(port, "GET / HTTP/1.0", "", limit);
    assert_eq!(no_host.status, 403);

    let body = r#"{"code":"fn main() {}"}"#;
    for route in ROUTES {
        // Not signed in, as a form on another site would post (SameSite
        // keeps the cookie home).
        let reply = request(
            port,
            &format!(
                "POST {route} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nContent-Type: application/json"
            ),
            body,
            limit,
        );
        assert_eq!(reply.status, 401, "{route} not signed in");
        // Signed in, from a foreign origin.
        let reply = request(
            port,
            &format!(
                "POST {route} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://evil.example\r\n{}\r\nContent-Type: application/json",
                served.cookie_header()
            ),
            body,
            limit,
        );
        assert_eq!(reply.status, 403, "{route} from a foreign origin");
        // GET on a route that runs things.
        assert_eq!(get(&served, route).status, 405, "GET {route}");
    }
    let (name, value) = served.cookie.split_once('=').unwrap();
    // The cookie with its last character changed (a fixed suffix would be
    // the cookie itself now and then).
    let last = if value.ends_with('0') { '1' } else { '0' };
    let wrong = request(
        port,
        &format!(
            "POST /__workbook/api/run/snippet HTTP/1.1\r\nHost: localhost:{port}\r\nOrigin: http://localhost:{port}\r\nCookie: {name}={}{last}\r\nContent-Type: application/json",
            &value[..value.len() - 1]
        ),
        body,
        limit,
    );
    assert_eq!(wrong.status, 401, "a forged cookie");
    // POST to a page is not allowed, even signed in.
    assert_eq!(post(&served, "/intro.html", "{}").status, 405);

    let huge = format!(
        r#"{{"code":"{}"}}"#,
        "x".repeat(workbook::serve::BODY_LIMIT + 1)
    );
    assert_eq!(post(&served, ROUTES[0], &huge).status, 413);
    let unknown = post(&served, ROUTES[1], r#"{"name":"no_such_example"}"#);
    assert_eq!(unknown.status, 404);
    assert!(
        unknown.body.contains("no example \"no_such_example\""),
        "{}",
        unknown.body
    );
    // Flags no example may take are refused before the queue, in a run's
    // own answer: one `done` line that says why.
    for (flags, why) in [
        ("--out /etc", "paths must stay inside the repository"),
        ("--n 1e6 | head", "`|` is shell syntax"),
        ("--n 'open", "inside a quote"),
    ] {
        let body = serde_json::json!({ "name": "hello", "flags": flags }).to_string();
        let refused = post(&served, ROUTES[1], &body);
        assert_eq!(refused.status, 200, "{}", refused.body);
        assert_eq!(events(&refused).len(), 1, "{}", refused.body);
        assert_eq!(done(&refused)["outcome"], "error");
        let message = done(&refused)["message"].as_str().unwrap().to_string();
        assert!(message.contains(why), "{flags}: {message}");
    }
    let no_run = post(&served, ROUTES[2], r#"{"run":12345}"#);
    assert_eq!(no_run.status, 404);
    // Still serving.
    assert_eq!(get(&served, "/").status, 200);
}

/// Snippets and examples on the real workbook: compiled with the library,
/// cached, limited, killed with their process group, and the server
/// answers the next request every time.
#[cfg(target_os = "linux")]
#[test]
fn runs_snippets_and_examples_under_limits() {
    let root = common::repo_root();
    // The limit covers compiling too: 20 s leaves a fresh snippet's release
    // build many times what it needs on a busy 2-core machine, so only the
    // endless ones reach it.
    // Started from a shell that asks for backtraces: the runs do not inherit it.
    let mut bin = std::process::Command::new(env!("CARGO_BIN_EXE_workbook"));
    bin.env("RUST_BACKTRACE", "full");
    let served = served::serve_with(&root, bin, &["--snippet-timeout", "20"]);
    let snippet = |code: &str| {
        post(
            &served,
            ROUTES[0],
            &serde_json::json!({ "code": code }).to_string(),
        )
    };

    let hello = "use parallel_workbook::Problem;\nfn main() {\n    let p = Problem::new(0.0, 10.0, 1000).unwrap();\n    println!(\"{}\", p.exact_integral());\n}\n";
    let first = snippet(hello);
    assert_eq!(first.status, 200);
    let headers = first.headers.to_ascii_lowercase();
    assert!(headers.contains("content-type: application/x-ndjson"));
    // See `runs::respond`: a no-store stream is reported as aborted by
    // Chromium's DevTools once the page has read it to its end.
    assert!(!headers.contains("no-store"), "{headers}");
    assert_eq!(done(&first)["outcome"], "exited", "{}", first.body);
    assert_eq!(done(&first)["exit_code"], 0);
    assert!(stdout_of(&first).starts_with("333.333"), "{}", first.body);
    let again = snippet(hello);
    assert_eq!(
        done(&again)["cached"],
        true,
        "the same code is not compiled again"
    );

    let env =
        snippet("fn main() {\n    println!(\"{:?}\", std::env::var(\"RUST_BACKTRACE\"));\n}\n");
    assert_eq!(stdout_of(&env), "Err(NotPresent)\n", "{}", env.body);

    let broken = snippet("fn main() { let x: i32 = \"no\"; }");
    let compile_error = events(&broken)
        .into_iter()
        .find(|e| e["event"] == "compile_error")
        .expect("a compile error event");
    assert_eq!(compile_error["code"], "E0308");
    assert!(
        compile_error["rendered"]
            .as_str()
            .unwrap()
            .contains("src/main.rs:1")
    );
    assert_eq!(done(&broken)["outcome"], "does_not_compile");

    let endless = snippet("fn main() { println!(\"{}\", std::process::id()); loop {} }");
    assert_eq!(done(&endless)["outcome"], "timed_out", "{}", endless.body);
    assert!(
        done(&endless)["message"]
            .as_str()
            .unwrap()
            .contains("20 s limit")
    );
    let pid: u32 = stdout_of(&endless).trim().parse().unwrap();
    assert!(common::gone(pid), "the endless snippet {pid} survived");

    let threads = snippet(
        "fn main() {\n    println!(\"{}\", std::process::id());\n    let _all: Vec<_> = (0..10_000)\n        .map(|_| std::thread::spawn(|| std::thread::sleep(std::time::Duration::from_secs(3600))))\n        .collect();\n    std::thread::sleep(std::time::Duration::from_secs(3600));\n}\n",
    );
    assert_eq!(done(&threads)["outcome"], "timed_out", "{}", threads.body);
    let pid: u32 = stdout_of(&threads).lines().next().unwrap().parse().unwrap();
    assert!(
        common::gone(pid),
        "the 10 000-thread snippet {pid} survived"
    );
    assert_eq!(get(&served, "/").status, 200);

    let flood = snippet("fn main() { loop { println!(\"again and again and again\"); } }");
    assert_eq!(
        done(&flood)["outcome"],
        "too_much_output",
        "{}",
        &flood.body[..200]
    );
    assert_eq!(done(&flood)["truncated"], true);
    assert!(stdout_of(&flood).len() <= workbook::serve::OUTPUT_LIMIT);
    assert_eq!(get(&served, "/").status, 200);

    let example = post(
        &served,
        ROUTES[1],
        r#"{"name":"threads","flags":"--threads 2 --n 1e6 --json"}"#,
    );
    assert_eq!(done(&example)["outcome"], "exited", "{}", example.body);
    let printed: serde_json::Value = serde_json::from_str(stdout_of(&example).trim()).unwrap();
    assert_eq!(printed["threads"], 2);
    assert_eq!(printed["n"], 1_000_000);
    // The same report, on the side channel: a `report` event.
    let reports: Vec<_> = events(&example)
        .into_iter()
        .filter(|e| e["event"] == "report")
        .collect();
    assert_eq!(reports.len(), 1, "{}", example.body);
    assert_eq!(reports[0]["report"], printed);
    let text = post(
        &served,
        ROUTES[1],
        r#"{"name":"threads","flags":"--threads 2 --n 1e6"}"#,
    );
    assert!(stdout_of(&text).starts_with("threads "), "{}", text.body);
    assert_eq!(
        events(&text)
            .iter()
            .filter(|e| e["event"] == "report")
            .count(),
        1,
        "a report without --json too: {}",
        text.body
    );
    let refused = post(
        &served,
        ROUTES[1],
        r#"{"name":"threads","flags":"--threads 0"}"#,
    );
    assert_eq!(done(&refused)["exit_code"], 2);
    let said: String = events(&refused)
        .iter()
        .filter(|e| e["stream"] == "stderr")
        .filter_map(|e| e["text"].as_str())
        .collect();
    assert!(
        said.starts_with("error: "),
        "the example's own one-line error: {said}"
    );
}
