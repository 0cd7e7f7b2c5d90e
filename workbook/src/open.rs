//! `cargo workbook open`: opens the browser, signed in, on the workbook
//! that `cargo workbook` is serving from this checkout. It makes a fresh
//! sign-in link from the checkout's key (which only its owner can read, see
//! [`crate::serve::auth`]), writes it to a redirect file only they can read,
//! and opens the browser on that file: the link is never in a process's
//! arguments, where other users could see it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Result, anyhow};

use crate::paths;
use crate::serve::auth::{self, Keys};

/// `cargo workbook open`
#[derive(clap::Args, Debug, Clone)]
pub struct OpenArgs {
    /// The port the server listens on (default: the one server of this checkout)
    #[arg(long)]
    pub port: Option<u16>,
}

/// Entry point of `cargo workbook open`.
pub fn run(args: OpenArgs) -> Result<()> {
    let root = paths::repo_root();
    let port = match args.port {
        Some(port) if serving(port) => port,
        Some(port) => {
            return Err(anyhow!(
                "no workbook server answers on port {port}: start one with `cargo workbook --port {port}`"
            ));
        }
        None => only_server(&root)?,
    };
    let keys = Keys::load(&root)?;
    let url = format!(
        "http://127.0.0.1:{port}{}?token={}",
        auth::LOGIN_PATH,
        keys.login_token(port)
    );
    let file = auth::write_redirect(&root, port, &url)?;
    println!(
        "Opening the workbook at http://127.0.0.1:{port}/ (signed in through {})",
        paths::display_rel(&root, &file)
    );
    // Wait for the opener, as Python's `webbrowser` does: `xdg-open` returns
    // once a browser has the page, and a command that ended before its
    // opener had run could take the opener with it (a terminal closing, a
    // supervisor ending the process group).
    if let Some(opening) = in_browser(&file) {
        let _ = opening.join();
    }
    Ok(())
}

/// The port of the one server of this checkout that answers (found by the
/// redirect files the servers wrote; those of servers gone are removed).
fn only_server(root: &Path) -> Result<u16> {
    let mut ports: Vec<u16> = std::fs::read_dir(auth::private_dir(root))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let port = name.strip_suffix("-open.html")?.parse().ok()?;
            if serving(port) {
                Some(port)
            } else {
                let _ = std::fs::remove_file(entry.path());
                None
            }
        })
        .collect();
    ports.sort_unstable();
    match ports[..] {
        [port] => Ok(port),
        [] => Err(anyhow!(
            "no `cargo workbook` is serving this checkout: start one with `cargo workbook`"
        )),
        _ => Err(anyhow!(
            "several workbook servers are running (ports {}): say which with --port",
            ports
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Whether a workbook server answers on `port`: its sign-in route, asked
/// without a token, says how to sign in.
fn serving(port: u16) -> bool {
    let ask = || -> std::io::Result<String> {
        let mut stream = TcpStream::connect_timeout(
            &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
            Duration::from_secs(2),
        )?;
        stream.set_read_timeout(Some(Duration::from_secs(5)))?;
        write!(
            stream,
            "GET {} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n",
            auth::LOGIN_PATH
        )?;
        let mut answer = String::new();
        stream.take(64 << 10).read_to_string(&mut answer)?;
        Ok(answer)
    };
    ask().is_ok_and(|answer| {
        answer.starts_with("HTTP/1.1 401") && answer.contains("cargo workbook open")
    })
}

/// Asks the system to open `file` (a page on disk) in the browser: with
/// `$BROWSER` when it is set (as Python's `webbrowser` does), else with
/// `xdg-open` (`open` on macOS). The opener hands the page to a browser
/// that must outlive it, so it is not run under the process supervisor
/// (which kills a child's whole group when it exits). Returns the thread
/// that waits for the opener and says when it failed, if one started.
pub fn in_browser(file: &Path) -> Option<std::thread::JoinHandle<()>> {
    let url = PathBuf::from(file);
    let (opener, args): (String, Vec<String>) = match std::env::var("BROWSER") {
        Ok(browser) if !browser.trim().is_empty() => {
            let mut words = shlex::split(&browser).unwrap_or_else(|| vec![browser.clone()]);
            let program = words.remove(0);
            let shown = url.display().to_string();
            if words.iter().any(|w| w.contains("%s")) {
                let args = words.iter().map(|w| w.replace("%s", &shown)).collect();
                (program, args)
            } else {
                words.push(shown);
                (program, words)
            }
        }
        _ => {
            let opener = if cfg!(target_os = "macos") {
                "open"
            } else {
                "xdg-open"
            };
            (opener.into(), vec![url.display().to_string()])
        }
    };
    let shown = url.display().to_string();
    match std::process::Command::new(&opener)
        .args(&args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        Ok(mut child) => Some(std::thread::spawn(move || {
            if !child.wait().is_ok_and(|status| status.success()) {
                eprintln!("note: could not open a browser; open {shown} yourself");
            }
        })),
        Err(_) => {
            eprintln!("note: could not open a browser ({opener} not found); open {shown} yourself");
            None
        }
    }
}
