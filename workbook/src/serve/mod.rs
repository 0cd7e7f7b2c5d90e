//! `cargo workbook serve`: build, serve on loopback, rebuild on change, and
//! make open pages reload.

use anyhow::{Result, anyhow};
use std::io::ErrorKind;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use tiny_http::{Header, Request, Response, Server, StatusCode};

use crate::{book, files, paths};

mod rebuild;

/// `cargo workbook serve`
#[derive(clap::Args, Debug, Clone)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 to serve on
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// Do not open a browser
    #[arg(long)]
    pub no_open: bool,
}

impl Default for ServeArgs {
    fn default() -> Self {
        ServeArgs {
            port: 3000,
            no_open: false,
        }
    }
}

/// Polls `/__workbook/version` and reloads the page when it changes. Only
/// added to pages served by this tool; the built files never contain it.
const RELOAD_SCRIPT: &str = r#"<script>(function(){var seen=null;function poll(){fetch("/__workbook/version",{cache:"no-store"}).then(function(r){return r.ok?r.text():null}).then(function(v){if(v!==null){if(seen===null){seen=v}else if(v!==seen){location.reload();return}}setTimeout(poll,1000)}).catch(function(){setTimeout(poll,2000)})}poll()})();</script>"#;

struct State {
    root: PathBuf,
    out_dir: PathBuf,
    /// Held for writing while a rebuild replaces the files.
    files: RwLock<()>,
    /// Changes after every successful rebuild.
    version: AtomicU64,
    started: u64,
}

impl State {
    fn version(&self) -> String {
        format!("{}-{}", self.started, self.version.load(Ordering::SeqCst))
    }
}

/// Entry point of `cargo workbook serve` (and of plain `cargo workbook`).
pub fn run(args: ServeArgs) -> Result<()> {
    let root = paths::repo_root();
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let listener = TcpListener::bind(addr).map_err(|e| match e.kind() {
        ErrorKind::AddrInUse => anyhow!(
            "port {} is already in use on 127.0.0.1 (is another `cargo workbook serve` running?); try --port {}",
            args.port,
            args.port.wrapping_add(1).max(1024)
        ),
        _ => anyhow!("cannot listen on {addr}: {e}"),
    })?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(args.port);
    let server = Server::from_listener(listener, None)
        .map_err(|e| anyhow!("cannot serve on {addr}: {e}"))?;

    let out_dir = paths::default_book_out(&root);
    let report = book::build(&root, Some(&out_dir))?;
    book::print_warnings(&report);
    eprintln!(
        "Built the book in {:.2} s ({} warnings)",
        report.elapsed.as_secs_f64(),
        report.warnings.len()
    );

    let state = Arc::new(State {
        root: root.clone(),
        out_dir,
        files: RwLock::new(()),
        version: AtomicU64::new(1),
        started: files::now_unix(),
    });

    let rebuild_state = Arc::clone(&state);
    let _watch = rebuild::watch(&root, move |changed| {
        rebuild(&rebuild_state, &changed);
    })
    .map_err(|e| eprintln!("note: not watching for changes: {e}"))
    .ok();

    let url = format!("http://127.0.0.1:{port}/");
    println!("Serving the workbook at {url}");
    println!("Press Ctrl-C to stop");
    if !args.no_open {
        open_browser(&url);
    }

    let server = Arc::new(server);
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let server = Arc::clone(&server);
            let state = Arc::clone(&state);
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    handle(&state, request);
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    Ok(())
}

fn rebuild(state: &State, changed: &[PathBuf]) {
    let what = changed
        .first()
        .map(|p| paths::display_rel(&state.root, p))
        .unwrap_or_default();
    let more = if changed.len() > 1 {
        format!(" and {} more", changed.len() - 1)
    } else {
        String::new()
    };
    eprintln!("Changed: {what}{more}; rebuilding");
    let _files = state.files.write().unwrap_or_else(|e| e.into_inner());
    match book::build(&state.root, Some(&state.out_dir)) {
        Ok(report) => {
            book::print_warnings(&report);
            state.version.fetch_add(1, Ordering::SeqCst);
            eprintln!("Rebuilt in {:.2} s", report.elapsed.as_secs_f64());
        }
        Err(e) => {
            for line in e.to_string().lines() {
                eprintln!("error: {line}");
            }
            eprintln!("(still serving the last good build)");
        }
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    match std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        Ok(mut child) => {
            let url = url.to_string();
            std::thread::spawn(move || {
                if let Ok(status) = child.wait()
                    && !status.success()
                    && !cfg!(windows)
                {
                    eprintln!("note: could not open a browser; open {url} yourself");
                }
            });
        }
        Err(_) => {
            eprintln!("note: could not open a browser ({opener} not found); open {url} yourself")
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header is valid")
}

fn handle(state: &State, request: Request) {
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned();
    let response = match path.as_str() {
        "/__workbook/version" => text_response(
            200,
            "text/plain; charset=utf-8",
            state.version().into_bytes(),
        ),
        "/__workbook/status.json" => {
            json_or_empty(&paths::progress_file(&state.root), r#"{"exercises":{}}"#)
        }
        "/__workbook/scaling.json" => json_or_empty(
            &paths::scaling_dir(&state.root).join("scaling.json"),
            r#"{"points":[]}"#,
        ),
        "/__workbook/scaling.svg" => {
            file_or_404(&paths::scaling_dir(&state.root).join("scaling.svg"))
        }
        _ => {
            let _files = state.files.read().unwrap_or_else(|e| e.into_inner());
            serve_book_file(state, &path)
        }
    };
    let _ = request.respond(response);
}

type Body = Response<std::io::Cursor<Vec<u8>>>;

fn text_response(status: u16, content_type: &str, body: Vec<u8>) -> Body {
    Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
}

/// A JSON file, or `empty` when it does not exist yet: no progress and no
/// sweep are answers, not errors (and the browser logs no failed request).
fn json_or_empty(path: &Path, empty: &str) -> Body {
    let body = std::fs::read(path).unwrap_or_else(|_| empty.as_bytes().to_vec());
    text_response(200, "application/json", body)
}

fn file_or_404(path: &Path) -> Body {
    match std::fs::read(path) {
        Ok(body) => text_response(200, &content_type(path), body),
        Err(_) => not_found(),
    }
}

fn not_found() -> Body {
    text_response(
        404,
        "text/plain; charset=utf-8",
        b"404 Not Found\n".to_vec(),
    )
}

fn serve_book_file(state: &State, url_path: &str) -> Body {
    let Some(rel) = safe_relative(url_path) else {
        return not_found();
    };
    let mut file = state.out_dir.join(rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, file) = if file.is_file() {
        (200, file)
    } else {
        let page_404 = state.out_dir.join("404.html");
        if !page_404.is_file() {
            return not_found();
        }
        (404, page_404)
    };
    let Ok(mut body) = std::fs::read(&file) else {
        return not_found();
    };
    let ctype = content_type(&file);
    if ctype.starts_with("text/html") {
        body = inject_reload(body);
    }
    text_response(status, &ctype, body)
}

/// The URL path as a relative file path, or `None` if it tries to leave the root.
fn safe_relative(url_path: &str) -> Option<PathBuf> {
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

fn inject_reload(body: Vec<u8>) -> Vec<u8> {
    let Ok(mut html) = String::from_utf8(body) else {
        return Vec::new();
    };
    match html.rfind("</body>") {
        Some(i) => html.insert_str(i, RELOAD_SCRIPT),
        None => html.push_str(RELOAD_SCRIPT),
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
    fn reload_script_goes_before_body_end() {
        let html = inject_reload(b"<html><body>x</body></html>".to_vec());
        let html = String::from_utf8(html).unwrap();
        assert!(html.contains("__workbook/version"));
        assert!(html.ends_with("</script></body></html>"));
    }
}
