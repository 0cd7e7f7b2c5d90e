//! The security suite, requests: the served workbook answers only the
//! learner's signed-in browser. Another user of the machine gets nothing
//! (not the pages, not a run, not the secrets on disk); a sign-in link works
//! once; every answer refuses framing, sniffing and other origins; requests
//! from other sites, with two Hosts or a foreign absolute target are
//! refused; `[::1]` is the server's too; silent and slow clients are cut
//! off; the run queue is bounded; no request names a file outside the
//! repository or a program, or reads through a symbolic link; a broken
//! exercise file does not stop the server from starting; a burst of saves
//! keeps the oldest version. Every request goes to loopback; every wait is
//! bounded.

mod common;
#[path = "common/served.rs"]
mod served;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use served::{Reply, get, get_unsigned, post, request, serve, set_cookie, sign_in};

const LIMIT: Duration = Duration::from_secs(60);

/// The tiny book with the fixture exercises.
fn workbook() -> tempfile::TempDir {
    let dir = common::fixture_copy();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exercises");
    common::copy_dir(&fixture, &dir.path().join("exercises"));
    dir
}

fn header<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
    reply.headers.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn a_browser_not_signed_in_gets_a_page_that_says_how_to_get_in() {
    let dir = workbook();
    let served = serve(dir.path(), &[]);
    let port = served.port;
    for path in [
        "/",
        "/intro.html",
        "/__workbook/status.json",
        "/__workbook/events",
        "/__workbook/api/exercise/01_pass",
        "/__workbook/api/exercise/01_pass/solution",
    ] {
        let reply = request(
            port,
            &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/html"),
            "",
            LIMIT,
        );
        assert_eq!(reply.status, 401, "GET {path}");
        assert!(reply.body.contains("cargo workbook open"), "{}", reply.body);
        assert!(!reply.body.contains("answer()"), "no exercise in it");
    }
    // A script gets one line.
    let reply = get_unsigned(port, "/__workbook/status.json");
    assert_eq!(reply.status, 401);
    assert_eq!(reply.body.lines().count(), 1, "{}", reply.body);
    // Nor can it run anything.
    let run = request(
        port,
        &format!(
            "POST /__workbook/api/run/example HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nContent-Type: application/json"
        ),
        r#"{"name":"hello"}"#,
        LIMIT,
    );
    assert_eq!(run.status, 401);
    // The signed-in browser's pages carry no secret.
    let page = get(&served, "/");
    assert_eq!(page.status, 200);
    let (_, value) = served.cookie.split_once('=').unwrap();
    assert!(!page.body.contains(value));
    assert!(!page.body.contains("workbook-token"));
    assert!(page.body.contains(r#"<meta name="workbook-version""#));
}

#[test]
fn a_sign_in_link_works_once_and_its_cookie_only_on_its_port() {
    let dir = workbook();
    let served = serve(dir.path(), &[]);
    let port = served.port;
    let link = served::sign_in_link(&served.printed);
    // Used by `serve` already: a second use signs nobody in.
    let again = request(
        port,
        &format!(
            "GET {} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/html",
            served::path_of(&link)
        ),
        "",
        LIMIT,
    );
    assert_eq!(again.status, 401, "{}", again.body);
    assert!(set_cookie(&again).is_none());
    // A forged one neither.
    let forged = link.replace("token=", "token=1");
    assert!(sign_in(port, &forged).is_none());
    // The redirect file's link works once, and its cookie is the browser's
    // only: HttpOnly (no script reads it), SameSite=Strict (no other site's
    // request carries it), the whole server's path, named for the port.
    let file = dir
        .path()
        .join(format!(".workbook/server/{port}-open.html"));
    let html = std::fs::read_to_string(&file).unwrap();
    let url = html
        .split("url=")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    let reply = request(
        port,
        &format!(
            "GET {} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/html",
            served::path_of(&url)
        ),
        "",
        LIMIT,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let cookie = header(&reply, "set-cookie").unwrap();
    assert!(cookie.starts_with(&format!("workbook-{port}=")), "{cookie}");
    for part in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    assert_eq!(header(&reply, "cache-control"), Some("no-store"));
    assert!(
        reply
            .body
            .contains(r#"http-equiv="refresh" content="0; url=/""#)
    );
    assert!(
        sign_in(port, &url).is_none(),
        "the file's link worked twice"
    );

    // A second server of the same checkout, on another port: the first
    // one's cookie, under either name, does not open it.
    let other = serve(dir.path(), &[]);
    let (_, value) = served.cookie.split_once('=').unwrap();
    for name in [
        format!("workbook-{port}"),
        format!("workbook-{}", other.port),
    ] {
        let reply = request(
            other.port,
            &format!(
                "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nCookie: {name}={value}",
                other.port
            ),
            "",
            LIMIT,
        );
        assert_eq!(reply.status, 401, "{name}");
    }
    assert_eq!(get(&other, "/").status, 200);
}

#[cfg(unix)]
#[test]
fn the_secrets_are_the_learners_alone_and_in_no_command_line() {
    let dir = workbook();
    let root = dir.path();
    let served = serve(root, &[]);
    let private = root.join(".workbook/server");
    assert_eq!(mode(&private), 0o700);
    assert_eq!(mode(&private.join("key")), 0o600);
    let file = private.join(format!("{}-open.html", served.port));
    assert_eq!(mode(&file), 0o600);
    // `cargo workbook open` opens the browser on the file, not on the link.
    let opened = root.join("opened");
    let browser = format!("sh -c 'echo \"$0\" \"$@\" > {}'", opened.display());
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_workbook"));
    cmd.args(["open", "--port", &served.port.to_string()])
        .current_dir(root)
        .env(workbook::paths::ROOT_ENV, root)
        .env("BROWSER", &browser);
    let out = common::run_bounded(cmd, "", LIMIT);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `cargo workbook open` waits for its opener (before, it could end first,
    // and the supervisor ending its process group took the opener along).
    let argv = std::fs::read_to_string(&opened).expect("the browser was opened");
    assert_eq!(argv.trim(), file.display().to_string());
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains("/__workbook/login?token="), "{html}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("token="));
    // The server's own command line holds no secret either.
    let cmdline = std::fs::read(format!("/proc/{}/cmdline", served.pid())).unwrap_or_default();
    assert!(!String::from_utf8_lossy(&cmdline).contains("token"));
    // Its link signs in.
    let url = html
        .split("url=")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(sign_in(served.port, &url.replace("&amp;", "&")).is_some());
}

/// A Unix user made for one test (as root), removed when dropped.
#[cfg(target_os = "linux")]
struct OtherUser {
    name: String,
    uid: u32,
    gid: u32,
}

#[cfg(target_os = "linux")]
impl OtherUser {
    fn create() -> OtherUser {
        let name = format!("wbsec{}", std::process::id());
        let mut add = Command::new("useradd");
        add.args(["--no-create-home", "--shell", "/bin/sh", &name]);
        let out = common::run_bounded(add, "", LIMIT);
        assert!(
            out.status.success(),
            "useradd {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let id = |flag: &str| -> u32 {
            let mut id = Command::new("id");
            id.args([flag, &name]);
            String::from_utf8_lossy(&common::run_bounded(id, "", LIMIT).stdout)
                .trim()
                .parse()
                .unwrap()
        };
        let (uid, gid) = (id("-u"), id("-g"));
        OtherUser { name, uid, gid }
    }

    /// Runs a shell command as this user; its status and its output.
    fn sh(&self, script: &str) -> (bool, String) {
        use std::os::unix::process::CommandExt;
        let mut cmd = Command::new("bash");
        cmd.args(["-c", script])
            .uid(self.uid)
            .gid(self.gid)
            .current_dir("/")
            .env_clear()
            .env("PATH", "/usr/bin:/bin");
        let out = common::run_bounded(cmd, "", LIMIT);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    }
}

#[cfg(target_os = "linux")]
impl Drop for OtherUser {
    fn drop(&mut self) {
        let mut del = Command::new("userdel");
        del.arg(&self.name);
        let _ = common::run_bounded(del, "", LIMIT);
    }
}

#[cfg(target_os = "linux")]
#[test]
fn another_user_of_the_machine_is_refused() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!(
            "skipped: this test makes a second Unix user (useradd) and acts as them, which needs root"
        );
        return;
    }
    let dir = workbook();
    let root = dir.path();
    // A checkout others may read, as on a shared machine.
    Command::new("chmod")
        .args(["-R", "go+rX", &root.display().to_string()])
        .status()
        .unwrap();
    let served = serve(root, &[]);
    let port = served.port;
    let other = OtherUser::create();

    // The files on disk: the exercise is readable (the learner's choice),
    // the secrets are not.
    let (ok, text) = other.sh(&format!("cat {}/exercises/01_pass.rs", root.display()));
    assert!(ok && text.contains("answer"), "{text}");
    let private = root.join(".workbook/server");
    for file in [
        private.join("key"),
        private.join(format!("{port}-open.html")),
    ] {
        let (ok, text) = other.sh(&format!("cat {}", file.display()));
        assert!(
            !ok && text.contains("Permission denied"),
            "{file:?}: {text}"
        );
    }
    // The server: not a page, not an exercise, not a run.
    let ask = |head: &str, body: &str| {
        let script = format!(
            "exec 3<>/dev/tcp/127.0.0.1/{port}; printf '{head}\\r\\nHost: 127.0.0.1:{port}\\r\\nContent-Length: {}\\r\\nConnection: close\\r\\n\\r\\n{body}' >&3; timeout 30 cat <&3",
            body.len()
        );
        let (_, text) = other.sh(&script);
        text
    };
    for path in [
        "/",
        "/__workbook/api/exercise/01_pass",
        "/__workbook/status.json",
    ] {
        let answer = ask(&format!("GET {path} HTTP/1.1"), "");
        assert!(answer.starts_with("HTTP/1.1 401"), "GET {path}: {answer}");
        assert!(!answer.contains("answer()"), "{answer}");
    }
    let run = ask(
        &format!(
            "POST /__workbook/api/run/example HTTP/1.1\\r\\nOrigin: http://127.0.0.1:{port}\\r\\nContent-Type: application/json"
        ),
        r#"{"name":"hello"}"#,
    );
    assert!(run.starts_with("HTTP/1.1 401"), "{run}");
    // And `cargo workbook open` cannot make them a link: the key is not theirs.
    let (ok, text) = other.sh(&format!(
        "cd {} && WORKBOOK_ROOT={} {} open --port {port}",
        root.display(),
        root.display(),
        env!("CARGO_BIN_EXE_workbook")
    ));
    assert!(!ok, "{text}");
    assert_eq!(get(&served, "/").status, 200, "the learner still gets in");
}

/// Every kind of answer: a page, a 404 page, JSON, a script, a stream of
/// events, a run's stream, 401, 403, 405, 413, the sign-in page.
#[test]
fn every_answer_refuses_framing_sniffing_and_other_origins() {
    let dir = workbook();
    let served = serve(dir.path(), &[]);
    let port = served.port;
    let mut answers: Vec<(&str, Reply)> = vec![
        ("page", get(&served, "/intro.html")),
        ("404 page", get(&served, "/no-such-page.html")),
        ("JSON", get(&served, "/__workbook/status.json")),
        ("script", get(&served, "/__workbook/events-worker.js")),
        ("not signed in", get_unsigned(port, "/")),
        (
            "refused",
            request(
                port,
                &format!("GET / HTTP/1.1\r\nHost: evil.example:{port}"),
                "",
                LIMIT,
            ),
        ),
        ("method", get(&served, "/__workbook/api/run/snippet")),
        (
            "too large",
            post(
                &served,
                "/__workbook/api/run/snippet",
                &"x".repeat(workbook::serve::BODY_LIMIT + 1),
            ),
        ),
        (
            "sign-in page",
            request(
                port,
                &format!("GET /__workbook/login?token=x HTTP/1.1\r\nHost: 127.0.0.1:{port}"),
                "",
                LIMIT,
            ),
        ),
        (
            "a run",
            post(&served, "/__workbook/api/exercise/01_pass/check", ""),
        ),
    ];
    // The event stream never ends: its head is enough.
    let mut events = served::open_events(&served, LIMIT);
    let mut head = String::new();
    while !head.ends_with("\r\n\r\n") {
        let mut line = String::new();
        std::io::BufRead::read_line(&mut events, &mut line).unwrap();
        head.push_str(&line);
    }
    answers.push((
        "events",
        Reply {
            status: 200,
            headers: head,
            body: String::new(),
        },
    ));
    for (what, reply) in &answers {
        assert_ne!(reply.status, 0, "{what}");
        assert_eq!(header(reply, "x-frame-options"), Some("DENY"), "{what}");
        assert_eq!(
            header(reply, "x-content-type-options"),
            Some("nosniff"),
            "{what}"
        );
        assert_eq!(
            header(reply, "cross-origin-resource-policy"),
            Some("same-origin"),
            "{what}"
        );
        let policy = header(reply, "content-security-policy").unwrap_or("");
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{what}: {policy}"
        );
        assert!(policy.contains("script-src 'self'"), "{what}: {policy}");
        assert!(
            !policy
                .split(';')
                .any(|d| d.trim().starts_with("script-src") && d.contains("unsafe")),
            "{what}: {policy}"
        );
    }
    // A page's policy names its own inline scripts, by hash.
    let page = &answers[0].1;
    let policy = header(page, "content-security-policy").unwrap();
    assert_eq!(
        policy.matches("'sha256-").count(),
        page.body.matches("<script>").count(),
        "{policy}"
    );
    assert!(page.body.matches("<script>").count() >= 2);
}

#[test]
fn requests_from_other_sites_and_other_servers_of_this_host_are_refused() {
    let dir = workbook();
    let served = serve(dir.path(), &[]);
    let port = served.port;
    let from = |site: &str, path: &str| {
        request(
            port,
            &format!(
                "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{}\r\nSec-Fetch-Site: {site}",
                served.cookie_header()
            ),
            "",
            LIMIT,
        )
        .status
    };
    for path in ["/", "/intro.html", "/__workbook/status.json"] {
        assert_eq!(from("cross-site", path), 403, "{path}");
        assert_eq!(from("same-site", path), 403, "{path}");
        assert_eq!(from("same-origin", path), 200, "{path}");
        assert_eq!(from("none", path), 200, "{path}");
    }
    // Only the sign-in link may be followed from elsewhere (a file, say):
    // a signed-in browser goes on; one that is not is told how to get in.
    assert_eq!(from("cross-site", "/__workbook/login?token=x"), 200);
    let stranger = request(
        port,
        &format!(
            "GET /__workbook/login?token=x HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nSec-Fetch-Site: cross-site"
        ),
        "",
        LIMIT,
    );
    assert_eq!(stranger.status, 401);
    // A signed-in POST from a foreign origin.
    let reply = request(
        port,
        &format!(
            "POST /__workbook/api/exercise/01_pass/check HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{}\r\nOrigin: http://127.0.0.1:{}",
            served.cookie_header(),
            port.wrapping_add(1)
        ),
        "",
        LIMIT,
    );
    assert_eq!(reply.status, 403, "another port's page");
}

#[test]
fn two_hosts_and_foreign_absolute_targets_are_refused() {
    let dir = workbook();
    let served = serve(dir.path(), &[]);
    let port = served.port;
    let cookie = served.cookie_header();
    let status = |head: String| request(port, &head, "", LIMIT).status;
    for second in ["evil.example".to_string(), format!("127.0.0.1:{port}")] {
        assert_eq!(
            status(format!(
                "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: {second}\r\n{cookie}"
            )),
            403,
            "a second Host {second}"
        );
    }
    for target in [
        "http://evil.example/".to_string(),
        format!("http://evil.example:{port}/"),
        format!("https://127.0.0.1:{port}/"),
    ] {
        assert_eq!(
            status(format!(
                "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{cookie}"
            )),
            403,
            "{target}"
        );
    }
    assert_eq!(
        status(format!(
            "GET http://127.0.0.1:{port}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{cookie}"
        )),
        200
    );
}

#[test]
fn the_ipv6_loopback_port_is_the_servers_too() {
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        eprintln!("skipped: this machine has no IPv6 loopback, so no [::1] for anyone to take");
        return;
    }
    let dir = workbook();
    let served = serve(dir.path(), &[]);
    let port = served.port;
    let taken = std::net::TcpListener::bind(("::1", port));
    assert_eq!(
        taken.err().map(|e| e.kind()),
        Some(std::io::ErrorKind::AddrInUse),
        "[::1]:{port} was free for another program"
    );
    let mut stream = TcpStream::connect(("::1", port)).unwrap();
    stream.set_read_timeout(Some(LIMIT)).unwrap();
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: [::1]:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    // A port whose [::1] another program holds is refused at start.
    let holder = std::net::TcpListener::bind("[::1]:0").unwrap();
    let busy = holder.local_addr().unwrap().port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_workbook"));
    cmd.args(["serve", "--no-open", "--port", &busy.to_string()])
        .env(workbook::paths::ROOT_ENV, dir.path());
    let out = common::run_bounded(cmd, "", LIMIT);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("[::1]"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The descriptors process `pid` has open.
#[cfg(target_os = "linux")]
fn open_files(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| d.count())
        .unwrap_or(0)
}

/// Whether the server closes `stream` (EOF or reset) within `limit`.
fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let deadline = Instant::now() + limit;
    let mut byte = [0u8; 1];
    while Instant::now() < deadline {
        match stream.read(&mut byte) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return true,
        }
    }
    false
}

#[cfg(target_os = "linux")]
#[test]
fn silent_connections_are_closed_and_do_not_stop_page_loads() {
    let dir = workbook();
    // Started with a soft limit of 150 descriptors (the hard one stays):
    // the server raises it, so 200 silent sockets leave room for pages.
    let mut cmd = Command::new("sh");
    cmd.args([
        "-c",
        &format!(
            "ulimit -Sn 150 && exec {} \"$@\"",
            env!("CARGO_BIN_EXE_workbook")
        ),
        "workbook",
    ]);
    let served = served::serve_with(dir.path(), cmd, &[]);
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", served.pid())).unwrap();
    let files = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .unwrap();
    let soft: u64 = files.split_whitespace().nth(3).unwrap().parse().unwrap();
    assert!(soft > 150, "the soft limit was not raised: {files}");

    let mut silent: Vec<TcpStream> = (0..200)
        .map(|_| TcpStream::connect(("127.0.0.1", served.port)).unwrap())
        .collect();
    let page = get(&served, "/intro.html");
    assert_eq!(page.status, 200, "a page loads beside 200 silent sockets");
    // Each is closed once it has sent no request for the header timeout.
    let limit = workbook::serve::connections::HEADER_TIMEOUT * 3;
    for (k, stream) in silent.iter_mut().enumerate() {
        assert!(closed_within(stream, limit), "silent socket {k} still open");
    }
    // One that sends half a request, then nothing, is cut off too.
    let mut slow = TcpStream::connect(("127.0.0.1", served.port)).unwrap();
    write!(
        slow,
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n",
        served.port
    )
    .unwrap();
    assert!(
        closed_within(&mut slow, limit),
        "a half-sent request held its socket"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn connections_past_the_cap_wait_and_the_server_holds_no_more() {
    let dir = workbook();
    let served = serve(dir.path(), &[]);
    let cap = workbook::serve::connections::MAX_CONNECTIONS;
    let before = open_files(served.pid());
    let mut silent: Vec<TcpStream> = (0..cap + 100)
        .map(|_| TcpStream::connect(("127.0.0.1", served.port)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_secs(1));
    let held = open_files(served.pid());
    assert!(
        held <= before + cap,
        "{held} descriptors open with {} silent sockets (cap {cap}, {before} before)",
        cap + 100
    );
    // They are all let go in time, and a page loads after.
    let limit = workbook::serve::connections::HEADER_TIMEOUT * 4;
    for (k, stream) in silent.iter_mut().enumerate() {
        assert!(closed_within(stream, limit), "silent socket {k} still open");
    }
    assert_eq!(get(&served, "/intro.html").status, 200);
}

#[test]
fn a_body_that_never_comes_is_not_waited_for() {
    let dir = workbook();
    let served = serve(dir.path(), &[]);
    let mut stream = TcpStream::connect(("127.0.0.1", served.port)).unwrap();
    stream.set_read_timeout(Some(LIMIT)).unwrap();
    write!(
        stream,
        "{}\r\nContent-Length: 100000\r\n\r\n{{\"code\":",
        served::post_head(&served, "/__workbook/api/run/snippet")
    )
    .unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    let status: u16 = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    assert!(
        (400..500).contains(&status),
        "after {:?}: {answer}",
        started.elapsed()
    );
}

#[test]
fn the_run_queue_is_bounded() {
    let dir = workbook();
    // 04_deadlock's check runs until its limit: the first holds the slot.
    let served = serve(dir.path(), &["--check-timeout", "300"]);
    let check = |name: &str| {
        served::open(
            served.port,
            &served::post_head(&served, &format!("/__workbook/api/exercise/{name}/check")),
            "",
            LIMIT,
        )
    };
    let mut waiting = Vec::new();
    let mut first = check("04_deadlock");
    let mut line = String::new();
    while !line.contains(r#""event":"started""#) {
        line.clear();
        std::io::BufRead::read_line(&mut first, &mut line).unwrap();
    }
    for _ in 0..workbook::serve::runs::MAX_WAITING {
        let mut run = check("01_pass");
        let mut line = String::new();
        while !line.contains(r#""event":"queued""#) {
            line.clear();
            std::io::BufRead::read_line(&mut run, &mut line).unwrap();
        }
        waiting.push(run);
    }
    let refused = post(&served, "/__workbook/api/exercise/01_pass/check", "");
    assert_eq!(refused.status, 429, "{}", refused.body);
    // The pages go; their runs with them; the queue takes runs again.
    drop(first);
    drop(waiting);
    let deadline = Instant::now() + LIMIT;
    loop {
        let reply = post(&served, "/__workbook/api/exercise/01_pass/check", "");
        if reply.status == 200 {
            assert_eq!(served::done(&reply)["outcome"], "passed", "{}", reply.body);
            break;
        }
        assert!(Instant::now() < deadline, "the queue never emptied");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn no_flag_from_the_page_names_a_path_outside_or_a_program() {
    let dir = workbook();
    let served = serve(dir.path(), &[]);
    // The page sends the flags as typed; the server splits them as a shell
    // would (quotes and all) and checks every word and every `=`-separated
    // part of it. A refusal is a run's answer of one `done` line, before
    // the queue: nothing runs.
    for (flags, why) in [
        ("--timeline /abs/x=1", "paths must stay inside"),
        ("--timeline x=/abs/y", "paths must stay inside"),
        ("--timeline=/tmp/x", "paths must stay inside"),
        ("--out a=../../x", "paths must stay inside"),
        ("--out 'target/../../x'", "paths must stay inside"),
        ("--out \"a b=~/x\"", "paths must stay inside"),
        ("--c cc", "--c runs a program"),
        ("--c=/bin/sh", "--c runs a program"),
        ("'--c' cc", "--c runs a program"),
        ("--c-parallel cc", "--c-parallel runs a program"),
    ] {
        let body = serde_json::json!({ "name": "hello", "flags": flags }).to_string();
        let reply = post(&served, "/__workbook/api/run/example", &body);
        assert_eq!(reply.status, 200, "{flags}: {}", reply.body);
        let events = served::events(&reply);
        assert_eq!(events.len(), 1, "{flags}: only the refusal: {}", reply.body);
        assert_eq!(events[0]["event"], "done");
        assert_eq!(events[0]["outcome"], "error", "{flags}");
        let message = events[0]["message"].as_str().unwrap();
        assert!(message.contains(why), "{flags}: {message}");
    }
}

/// The examples of `async/` and `distributed/` run from the page too, each
/// only by its name in its own `examples/`, with the same checks of the
/// flags; an MPI run asks for 1 to 16 ranks, and where there is no MPI the
/// answer is one line saying what to install. Every refusal comes before
/// anything is built.
#[test]
fn async_and_mpi_examples_are_named_in_their_own_packages_and_checked_alike() {
    let dir = workbook();
    let root = dir.path();
    for (package, example) in [("async", "ticks"), ("distributed", "mpi_hello")] {
        let examples = root.join(package).join("examples");
        std::fs::create_dir_all(&examples).unwrap();
        std::fs::write(examples.join(format!("{example}.rs")), "fn main() {}\n").unwrap();
    }
    let no_mpi = {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_workbook"));
        cmd.env("MPIEXEC", root.join("no-such-mpiexec"));
        cmd
    };
    let served = served::serve_with(root, no_mpi, &[]);
    let refusal = |body: serde_json::Value| {
        let reply = post(&served, "/__workbook/api/run/example", &body.to_string());
        assert_eq!(reply.status, 200, "{body}: {}", reply.body);
        let events = served::events(&reply);
        assert_eq!(events.len(), 1, "{body}: only the refusal: {}", reply.body);
        assert_eq!(events[0]["outcome"], "error", "{body}");
        events[0]["message"].as_str().unwrap().to_owned()
    };
    for (body, status) in [
        // A name is looked up in its own package's examples only.
        (
            serde_json::json!({ "name": "hello", "package": "async" }),
            404,
        ),
        (serde_json::json!({ "name": "ticks" }), 404),
        (
            serde_json::json!({ "name": "../examples/hello", "package": "mpi", "ranks": 2 }),
            404,
        ),
        (
            serde_json::json!({ "name": "mpi_hello", "package": "rust" }),
            422,
        ),
        // Ranks belong to MPI examples.
        (serde_json::json!({ "name": "hello", "ranks": 2 }), 400),
        (
            serde_json::json!({ "name": "ticks", "package": "async", "ranks": 2 }),
            400,
        ),
    ] {
        let reply = post(&served, "/__workbook/api/run/example", &body.to_string());
        assert_eq!(reply.status, status, "{body}: {}", reply.body);
    }
    let why = refusal(
        serde_json::json!({ "name": "ticks", "package": "async", "flags": "--out /tmp/x" }),
    );
    assert!(why.contains("paths must stay inside"), "{why}");
    for ranks in [0, 17, 1000] {
        let why =
            refusal(serde_json::json!({ "name": "mpi_hello", "package": "mpi", "ranks": ranks }));
        assert!(why.contains("1 to 16 ranks"), "-n {ranks}: {why}");
    }
    let why = refusal(
        serde_json::json!({ "name": "mpi_hello", "package": "mpi", "ranks": 2, "flags": "--c cc" }),
    );
    assert!(why.contains("--c runs a program"), "{why}");
    let why = refusal(serde_json::json!({ "name": "mpi_hello", "package": "mpi", "ranks": 2 }));
    assert!(
        why.contains("needs MPI") && !why.contains('\n'),
        "without mpiexec, one line that says what to install: {why}"
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = workbook();
    let root = dir.path();
    let secret = tempfile::tempdir().unwrap();
    let secret_file = secret.path().join("secret.txt");
    std::fs::write(&secret_file, "the learner's private key").unwrap();
    let served = serve(root, &[]);
    let book = root.join("target/book");
    symlink(&secret_file, book.join("link.html")).unwrap();
    symlink(secret.path(), book.join("linked-dir")).unwrap();
    std::fs::create_dir_all(root.join("target/timelines")).unwrap();
    symlink(&secret_file, root.join("target/timelines/threads.svg")).unwrap();
    for path in [
        "/link.html",
        "/linked-dir/secret.txt",
        "/__workbook/timelines/threads.svg",
    ] {
        let reply = get(&served, path);
        assert!(
            !reply.body.contains("private key"),
            "{path}: {}",
            reply.body
        );
        assert!(reply.status >= 400, "{path}: {}", reply.status);
    }
    // The learner's file a link: neither loaded nor shown in a conflict.
    let file = root.join("exercises/02_fail.rs");
    std::fs::remove_file(&file).unwrap();
    symlink(&secret_file, &file).unwrap();
    let load = get(&served, "/__workbook/api/exercise/02_fail");
    assert_eq!(load.status, 403, "{}", load.body);
    assert!(!load.body.contains("private key"));
    assert!(load.body.contains("symbolic link"), "{}", load.body);
    let save = post(
        &served,
        "/__workbook/api/exercise/02_fail/save",
        r#"{"content":"x","base":"0"}"#,
    );
    assert_eq!(save.status, 403, "{}", save.body);
    assert!(!save.body.contains("private key"));
    assert_eq!(
        std::fs::read_to_string(&secret_file).unwrap(),
        "the learner's private key"
    );
}

#[test]
fn an_exercise_file_without_its_statement_anchor_does_not_stop_the_start() {
    let dir = workbook();
    let root = dir.path();
    // A page that shows the statement of the learner's 01_pass.rs, whose
    // file lost its `// ANCHOR: statement` line.
    std::fs::write(
        root.join("book/exercise.md"),
        "# An exercise\n\n```rust\n{{#include ../exercises/01_pass.rs:statement}}\n```\n",
    )
    .unwrap();
    let summary = root.join("book/SUMMARY.md");
    let mut text = std::fs::read_to_string(&summary).unwrap();
    text.push_str("- [An exercise](exercise.md)\n");
    std::fs::write(&summary, text).unwrap();
    assert!(
        !std::fs::read_to_string(root.join("exercises/01_pass.rs"))
            .unwrap()
            .contains("ANCHOR: statement")
    );
    let served = serve(root, &[]);
    assert_eq!(get(&served, "/exercise.html").status, 200);
    let deadline = Instant::now() + LIMIT;
    let said = loop {
        let line = served
            .errors
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the server says what is wrong");
        if line.contains("01_pass.rs") {
            break line;
        }
    };
    assert!(said.starts_with("warning: "), "{said}");
    assert!(said.contains("ANCHOR: statement"), "{said}");
    assert!(said.contains("cargo workbook reset 01_pass"), "{said}");
    // `cargo workbook build` (CI) still fails on it: there, it is the book's.
    let out = common::workbook(root, &["build"], LIMIT);
    assert!(!out.status.success());
}

#[test]
fn a_burst_of_saves_keeps_the_oldest_version() {
    let dir = workbook();
    let root = dir.path();
    let served = serve(root, &[]);
    let file = root.join("exercises/02_fail.rs");
    let original = std::fs::read_to_string(&file).unwrap();
    let mut base = served::json_of(&get(&served, "/__workbook/api/exercise/02_fail"))["version"]
        .as_str()
        .unwrap()
        .to_string();
    let kept = workbook::serve::exercise::BACKUPS_KEPT;
    for n in 0..kept + 10 {
        let body = serde_json::json!({ "content": format!("// save {n}\n"), "base": base });
        let reply = post(
            &served,
            "/__workbook/api/exercise/02_fail/save",
            &body.to_string(),
        );
        assert_eq!(reply.status, 200, "{}", reply.body);
        base = served::json_of(&reply)["version"]
            .as_str()
            .unwrap()
            .to_string();
    }
    let backups = workbook::files::backups_of(root, &file);
    assert!(backups.len() <= kept + 2, "{} backups", backups.len());
    assert_eq!(
        std::fs::read_to_string(&backups[0]).unwrap(),
        original,
        "the oldest version was erased"
    );
    let latest = std::fs::read_to_string(backups.last().unwrap()).unwrap();
    assert_eq!(latest, format!("// save {}\n", kept + 8));
}
