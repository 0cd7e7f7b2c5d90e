//! The book's files, with the version and the events script added to
//! every page, and a content security policy that lets its own inline
//! scripts run and no others; the live-reload events; the learner's own
//! data (progress, the latest sweep, timelines) for the pages' scripts.
//! No file a page gets is read through a symbolic link (the progress reply
//! is not a file but the table's statuses, whatever the file holds).

use std::convert::Infallible;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::{BroadcastStream, WatchStream};

use base64::Engine;
use sha2::{Digest, Sha256};

use super::Server;
use super::contract::{PlacedPoint, PointSource, ProgressReply, Report, RooflineReply};
use super::guard::CONTENT_SECURITY_POLICY;
use crate::course::Course;
use crate::exercises::{Exercises, Progress};
use crate::{files, paths};
use parallel_workbook::roofline::Roofline;

/// The page's side of the event stream (live reload, notices), shared by
/// every tab through [`EVENTS_WORKER`]; see the script's own comments. Only
/// added to pages served by this tool; the built files never contain it.
const EVENTS_SCRIPT: &str = include_str!("../../../book/interactive/events.js");

/// The SharedWorker that holds the one connection to `/__workbook/events`
/// for all tabs.
const EVENTS_WORKER: &str = include_str!("../../../book/interactive/events-worker.js");

fn respond(status: StatusCode, content_type: &str, body: impl Into<Body>) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body.into(),
    )
        .into_response()
}

pub fn not_found(what: &str) -> Response {
    respond(
        StatusCode::NOT_FOUND,
        "text/plain; charset=utf-8",
        format!("404 Not Found: {what}\n"),
    )
}

/// The version of the book being served, as pages compare it: which
/// start of the server, and how many rebuilds since.
fn book_version(instance: u64, rebuilds: u64) -> String {
    format!("{instance:x}-{rebuilds}")
}

/// `GET /__workbook/events`: a `version` event now and after every
/// rebuild; a `notice` event (JSON) when a learner's file or the progress
/// changes on disk.
pub async fn events(
    State(server): State<Server>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let instance = server.instance;
    let versions = WatchStream::new(server.version.subscribe()).map(move |v| {
        Ok(Event::default()
            .event("version")
            .data(book_version(instance, v)))
    });
    let notices = BroadcastStream::new(server.notices.subscribe()).filter_map(|notice| {
        let notice = notice.ok()?;
        Some(Ok(Event::default()
            .event("notice")
            .data(serde_json::to_string(&notice).unwrap_or_default())))
    });
    Sse::new(versions.merge(notices)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// `GET /__workbook/events-worker.js`: the worker [`EVENTS_SCRIPT`] starts.
pub async fn events_worker() -> Response {
    respond(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        EVENTS_WORKER,
    )
}

/// The plain file `path` of the repository at `root` (no symbolic link on
/// the way), read off the server's threads.
async fn read_in(root: &Path, path: PathBuf) -> std::io::Result<Vec<u8>> {
    let root = root.to_path_buf();
    let rel = path.strip_prefix(&root).unwrap_or(&path).to_path_buf();
    tokio::task::spawn_blocking(move || files::read_beneath(&root, &rel))
        .await
        .unwrap_or_else(|e| Err(std::io::Error::other(e)))
}

/// A JSON file, or `empty` when it does not exist yet: no progress and no
/// sweep are answers, not errors (and the browser logs no failed request).
async fn json_or_empty(root: &Path, path: PathBuf, empty: &'static str) -> Response {
    let body = read_in(root, path)
        .await
        .unwrap_or_else(|_| empty.as_bytes().to_vec());
    respond(StatusCode::OK, "application/json", body)
}

async fn file_or_404(root: &Path, path: PathBuf) -> Response {
    match read_in(root, path.clone()).await {
        Ok(body) => respond(StatusCode::OK, &content_type(&path), body),
        Err(_) => not_found(&paths::display_rel(root, &path)),
    }
}

/// `GET /__workbook/status.json`: every exercise of the table with its
/// recorded status ([`super::contract::ProgressReply`]), one shape whatever
/// the progress file holds.
pub async fn status(State(server): State<Server>) -> Response {
    let root = server.root.clone();
    let reply = tokio::task::spawn_blocking(move || progress_reply(&root))
        .await
        .unwrap_or_default();
    let body = serde_json::to_vec(&reply).unwrap_or_default();
    respond(StatusCode::OK, "application/json", body)
}

/// The progress reply of the repository at `root` (the course read afresh:
/// a rebuilt book may have new questions).
pub fn progress_reply(root: &Path) -> ProgressReply {
    let exercises = Exercises::load(root).ok();
    let names: Vec<String> = (exercises.iter())
        .flat_map(|exs| exs.list.iter().map(|ex| ex.name.clone()))
        .collect();
    let course = exercises
        .as_ref()
        .and_then(|exs| Course::load(root, exs).ok())
        .unwrap_or_default();
    match Progress::load(root) {
        Ok(progress) => progress.reply(names.iter().map(String::as_str), &course),
        Err(e) => ProgressReply {
            error: Some(format!("{e:#}")),
            ..Progress::empty(root).reply(names.iter().map(String::as_str), &course)
        },
    }
}

pub async fn scaling_json(State(server): State<Server>) -> Response {
    json_or_empty(
        &server.root,
        paths::scaling_dir(&server.root).join("scaling.json"),
        r#"{"points":[]}"#,
    )
    .await
}

pub async fn scaling_svg(State(server): State<Server>) -> Response {
    file_or_404(
        &server.root,
        paths::scaling_dir(&server.root).join("scaling.svg"),
    )
    .await
}

/// `GET /__workbook/roofline.json`: [`RooflineReply`], chapter 24.2's chart
/// from the learner's own runs, always one shape (no roofs yet: none).
pub async fn roofline_json(State(server): State<Server>) -> Response {
    let root = server.root.clone();
    let reports: Vec<Report> = server
        .reports
        .lock()
        .map(|kept| kept.iter().cloned().collect())
        .unwrap_or_default();
    let reply = tokio::task::spawn_blocking(move || roofline_reply(&root, &reports))
        .await
        .unwrap_or_default();
    let body = serde_json::to_vec(&reply).unwrap_or_default();
    respond(StatusCode::OK, "application/json", body)
}

/// The learner's roofs (their latest `roofline` run), with its points and
/// every report of `reports` whose strategy the model knows, each placed by
/// `parallel_workbook::roofline`.
pub fn roofline_reply(root: &Path, reports: &[Report]) -> RooflineReply {
    let file = paths::roofline_dir(root).join("roofline.json");
    let shown = paths::display_rel(root, &file);
    let rel = file.strip_prefix(root).unwrap_or(&file);
    let text = match files::read_beneath(root, rel) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return RooflineReply::default(),
        Err(e) => return roofline_error(format!("cannot read {shown}: {e}")),
    };
    let written: Roofline = match serde_json::from_slice(&text) {
        Ok(written) => written,
        Err(e) => return roofline_error(format!("{shown} is not a roofline: {e}")),
    };
    let mut roofline = match Roofline::new(written.compute, written.bandwidth) {
        Ok(roofline) => roofline,
        Err(e) => return roofline_error(format!("{shown}: {e}")),
    };
    roofline.machine = written.machine;
    roofline.points = written.points;
    let own = roofline.points.len();
    for report in reports {
        if let Ok(report) = serde_json::to_value(report) {
            roofline.place_report(&report);
        }
    }
    let points = roofline
        .points
        .iter()
        .enumerate()
        .map(|(k, point)| PlacedPoint {
            strategy: point.strategy.clone(),
            threads: point.threads,
            intensity: point.intensity(),
            terms_per_second: point.terms_per_second,
            attainable: roofline.attainable(point.intensity()),
            bound: roofline.bound(point),
            source: if k < own {
                PointSource::Roofline
            } else {
                PointSource::Page
            },
        })
        .collect();
    RooflineReply {
        ridge: Some(roofline.ridge()),
        machine: roofline.machine.clone(),
        compute: roofline.compute.clone(),
        bandwidth: roofline.bandwidth.clone(),
        points,
        error: None,
    }
}

fn roofline_error(error: String) -> RooflineReply {
    RooflineReply {
        error: Some(error),
        ..RooflineReply::default()
    }
}

/// `GET /__workbook/timelines/NAME.svg`: the learner's latest timeline of
/// an example (`target/timelines/NAME.svg`); NAME is a plain name. No
/// timeline yet is an answer, not an error: 204 No Content (a 404 would be
/// logged by the browser as a failed load on every page with a figure).
pub async fn timeline(State(server): State<Server>, UrlPath(file): UrlPath<String>) -> Response {
    let plain = file.strip_suffix(".svg").is_some_and(|name| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    });
    if !plain {
        return not_found("a timeline is NAME.svg");
    }
    let path = server.root.join("target").join("timelines").join(file);
    match read_in(&server.root, path).await {
        Ok(body) => respond(StatusCode::OK, "image/svg+xml", body),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => respond(
            StatusCode::NO_CONTENT,
            "text/plain; charset=utf-8",
            Vec::new(),
        ),
        Err(_) => not_found("a timeline is a plain file"),
    }
}

/// Everything else: a file of the built book.
pub async fn book_file(State(server): State<Server>, request: Request) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return respond(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            "405 Method Not Allowed\n",
        );
    }
    let decoded = percent_encoding::percent_decode_str(request.uri().path())
        .decode_utf8_lossy()
        .into_owned();
    let Some(rel) = safe_relative(&decoded) else {
        return not_found("that path leaves the book");
    };
    // Rebuilds write the files and count themselves under the write lock:
    // under the read lock, the version is the version of these files.
    let _files = server.files.read().await;
    let version = book_version(server.instance, *server.version.borrow());
    let out = server.out_dir.clone();
    let found = tokio::task::spawn_blocking(move || {
        let mut rel = rel;
        if files::metadata_beneath(&out, &rel).is_ok_and(|m| m.is_dir()) {
            rel.push("index.html");
        }
        match files::read_beneath(&out, &rel) {
            Ok(body) => Some((StatusCode::OK, rel, body)),
            Err(_) => files::read_beneath(&out, Path::new("404.html"))
                .ok()
                .map(|body| (StatusCode::NOT_FOUND, PathBuf::from("404.html"), body)),
        }
    })
    .await
    .ok()
    .flatten();
    let Some((status, file, body)) = found else {
        return not_found(&decoded);
    };
    let ctype = content_type(&file);
    if !ctype.starts_with("text/html") {
        let mut response = respond(status, &ctype, body);
        if status == StatusCode::OK && content_hashed(&file) {
            // A new content has a new name: this one may be kept for good.
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static(CACHED_FOR_GOOD),
            );
        }
        return response;
    }
    let page = inject(body, &version);
    let policy = page_policy(&page);
    let mut response = respond(status, &ctype, page);
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

/// How long a browser keeps a file whose name has its content's hash in it:
/// a year, without asking again (`immutable`); `private`, as everything
/// this server answers is for the signed-in learner only.
pub const CACHED_FOR_GOOD: &str = "private, max-age=31536000, immutable";

/// Whether `file` is named after its content, as mdBook names the files it
/// hashes (`[output.html] hash-files`): `ace-2a3cd908.js`, eight hex digits
/// before the extension.
pub fn content_hashed(file: &Path) -> bool {
    let Some(stem) = file.file_stem().and_then(|s| s.to_str()) else {
        return false;
    };
    let stem = stem.strip_suffix(".min").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(name, hash)| {
        !name.is_empty()
            && hash.len() == 8
            && hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// The content security policy of one page: the server's, with the hashes
/// of the page's own inline scripts (mdBook's theme writes a few, which
/// differ from page to page) allowed too.
pub fn page_policy(page: &[u8]) -> String {
    let hashes: Vec<String> = inline_scripts(&String::from_utf8_lossy(page))
        .into_iter()
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    CONTENT_SECURITY_POLICY.replacen(
        "script-src 'self'",
        &format!("script-src 'self' {}", hashes.join(" ")),
        1,
    )
}

/// The text of every `<script>` without a `src`, as the browser hashes it.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start + "<script".len()..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let attributes = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let Some(end) = body.find("</script") else {
            break;
        };
        if !attributes.contains("src=") {
            found.push(&body[..end]);
        }
        rest = &body[end..];
    }
    found
}

/// The URL path as a relative file path, or `None` if it tries to leave the root.
pub fn safe_relative(url_path: &str) -> Option<PathBuf> {
    let rel = Path::new(url_path.trim_start_matches('/'));
    let mut out = PathBuf::new();
    for c in rel.components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

/// Adds the version of the book the page belongs to (which also tells the
/// pages' scripts that a `cargo workbook` serves them: a static copy has
/// none; it is not a secret) and the events script.
pub fn inject(body: Vec<u8>, version: &str) -> Vec<u8> {
    let Ok(mut html) = String::from_utf8(body) else {
        return Vec::new();
    };
    let meta = format!(r#"<meta name="workbook-version" content="{version}">"#);
    match html.find("</head>") {
        Some(i) => html.insert_str(i, &meta),
        None => html.insert_str(0, &meta),
    }
    let script = format!("<script>{EVENTS_SCRIPT}</script>");
    match html.rfind("</body>") {
        Some(i) => html.insert_str(i, &script),
        None => html.push_str(&script),
    }
    html.into_bytes()
}

/// Content type by file extension; text is UTF-8.
pub fn content_type(path: &Path) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    if mime.type_() == mime_guess::mime::TEXT || mime.subtype() == mime_guess::mime::JAVASCRIPT {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::contract::Bound;

    #[test]
    fn the_pages_runs_are_placed_on_the_learners_roofs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let problem = parallel_workbook::Problem::new(0.0, 10.0, 1_000_000_000).unwrap();
        let run = |strategy: &str, threads, seconds| {
            Report::new(strategy, &problem, threads, 0.0, seconds)
        };
        let reports = [
            run("memory_bound", 2, 1.0),
            run("threads", 2, 0.5),
            run("an_example_of_its_own", 1, 1.0),
        ];
        assert_eq!(
            roofline_reply(root, &reports),
            RooflineReply::default(),
            "no roofs before a roofline run: nothing to place the runs on"
        );
        std::fs::create_dir_all(paths::roofline_dir(root)).unwrap();
        let written = serde_json::json!({
            "compute": [{ "label": "2 cores", "per_second": 4e9 }],
            "bandwidth": [{ "label": "2 cores, reading", "per_second": 16e9 }],
            "points": [],
            "machine": "m",
        });
        std::fs::write(
            paths::roofline_dir(root).join("roofline.json"),
            written.to_string(),
        )
        .unwrap();
        let reply = roofline_reply(root, &reports);
        assert_eq!(reply.ridge, Some(0.25));
        let placed = |strategy: &str, intensity, terms_per_second, attainable, bound| PlacedPoint {
            strategy: strategy.into(),
            threads: 2,
            intensity,
            terms_per_second,
            attainable,
            bound,
            source: PointSource::Page,
        };
        assert_eq!(
            reply.points,
            [
                placed("memory_bound", Some(0.125), 1e9, 2e9, Bound::Memory),
                placed("threads", None, 2e9, 4e9, Bound::Compute),
            ],
            "a strategy the model does not know is not placed"
        );
    }

    #[test]
    fn paths_stay_inside() {
        assert_eq!(safe_relative("/a/b.html"), Some(PathBuf::from("a/b.html")));
        assert_eq!(safe_relative("/"), Some(PathBuf::new()));
        assert_eq!(safe_relative("/../etc/passwd"), None);
        assert_eq!(
            content_type(Path::new("a/b.css")),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("x.svg")), "image/svg+xml");
    }

    #[test]
    fn the_version_goes_in_the_head_and_the_script_before_the_body_ends() {
        let html = inject(
            b"<html><head><title>t</title></head><body>x</body></html>".to_vec(),
            "7-2",
        );
        let html = String::from_utf8(html).unwrap();
        assert!(html.contains(r#"<meta name="workbook-version" content="7-2"></head>"#));
        assert!(!html.contains("token"), "no secret in the page");
        assert!(html.contains(r#"new SharedWorker("/__workbook/events-worker.js""#));
        assert!(
            html.contains("window.workbookEvents = events;"),
            "shared with the pages' scripts"
        );
        assert!(html.ends_with("</script></body></html>"));
        assert_eq!(
            html.matches("</script>").count(),
            1,
            "the script holds no </script> of its own"
        );
    }

    #[test]
    fn the_policy_allows_the_pages_own_inline_scripts_only() {
        let page = b"<head><script src=\"a.js\"></script><script>let x = 1;</script>\
            <script type=\"module\">go()</script></head>";
        let policy = page_policy(page);
        // echo -n 'let x = 1;' | openssl dgst -sha256 -binary | base64
        assert!(
            policy.contains("'sha256-qtc3jf64UXA5J6U02kfQ0Cvn9Uz4wXUaN3NNUVgR2v4='"),
            "{policy}"
        );
        assert_eq!(policy.matches("'sha256-").count(), 2, "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"));
        assert_eq!(inline_scripts("<script>a</script><p><script>b"), vec!["a"]);
    }
}
