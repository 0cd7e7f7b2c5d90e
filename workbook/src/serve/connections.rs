//! The server's side of TCP: the listeners, and the connections they
//! accept, with bounds a silent or slow client cannot get around. (axum's
//! own `serve` sets none: 200 silent sockets held the server's descriptors.)
//!
//! - at most [`MAX_CONNECTIONS`] connections at once; past that, the next
//!   waits in the kernel's queue until one closes;
//! - a connection that does not send a request's headers within
//!   [`HEADER_TIMEOUT`] (a new one, or an idle kept-alive one) is closed;
//! - a request body must arrive whole within [`BODY_DEADLINE`] (see
//!   [`super::router`]);
//! - the soft limit on open descriptors is raised to the hard one, so that
//!   the connections, the runs' pipes and the file watchers fit.

use std::io::ErrorKind;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, anyhow};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::Semaphore;

/// The most connections served at once.
pub const MAX_CONNECTIONS: usize = 256;

/// How long a client may take to send a request's headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a client may take to send a request's body.
pub const BODY_DEADLINE: Duration = Duration::from_secs(20);

/// The listeners of a server on `port` (0: any free port): 127.0.0.1, and
/// `[::1]` too where the machine has IPv6, so that no other user can take
/// `[::1]:PORT` and answer what the learner's browser sends to
/// `localhost:PORT`.
pub fn bind(port: u16) -> Result<Vec<std::net::TcpListener>> {
    bind_tries(port, 8)
}

/// [`bind`]; with port 0, the system picks a port free on 127.0.0.1, which
/// another program may hold on `[::1]`: then another is picked, `tries`
/// times at most.
fn bind_tries(port: u16, tries: u32) -> Result<Vec<std::net::TcpListener>> {
    let any_port = port == 0;
    let v4 = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let first = std::net::TcpListener::bind(v4).map_err(|e| match e.kind() {
        ErrorKind::AddrInUse => anyhow!(
            "port {port} is already in use on 127.0.0.1 (is another `cargo workbook serve` running?); try --port {}",
            port.wrapping_add(1).max(1024)
        ),
        _ => anyhow!("cannot listen on {v4}: {e}"),
    })?;
    let port = first.local_addr().map(|a| a.port()).unwrap_or(port);
    let mut listeners = vec![first];
    let v6 = SocketAddr::from((Ipv6Addr::LOCALHOST, port));
    match std::net::TcpListener::bind(v6) {
        Ok(listener) => listeners.push(listener),
        Err(e) if e.kind() == ErrorKind::AddrInUse && any_port && tries > 1 => {
            drop(listeners);
            return bind_tries(0, tries - 1);
        }
        Err(e) if e.kind() == ErrorKind::AddrInUse => {
            return Err(anyhow!(
                "port {port} is taken on [::1] by another program, which would answer what a browser sends to localhost:{port}; try another --port"
            ));
        }
        // No IPv6 on this machine: there is no [::1] to take.
        Err(_) => {}
    }
    for listener in &listeners {
        listener
            .set_nonblocking(true)
            .map_err(|e| anyhow!("cannot serve on port {port}: {e}"))?;
    }
    Ok(listeners)
}

/// Raises the soft limit on open descriptors to the hard limit (at most
/// 65536), and says so if that leaves less than the connections need.
pub fn raise_descriptor_limit() {
    #[cfg(unix)]
    {
        use nix::sys::resource::{Resource, getrlimit, setrlimit};
        let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) else {
            return;
        };
        let wanted = hard.min(1 << 16);
        if wanted > soft && setrlimit(Resource::RLIMIT_NOFILE, wanted, hard).is_err() {
            eprintln!("note: cannot raise the limit on open files above {soft}");
        }
        let now = getrlimit(Resource::RLIMIT_NOFILE).map_or(soft, |(s, _)| s);
        if now < (MAX_CONNECTIONS as u64) * 2 {
            eprintln!(
                "note: this process may open only {now} files (`ulimit -n`): with many tabs open, pages may wait"
            );
        }
    }
}

/// Serves `router` on every listener until the process ends.
pub async fn serve(listeners: Vec<std::net::TcpListener>, router: Router) -> Result<()> {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut tasks = Vec::new();
    for listener in listeners {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| anyhow!("cannot serve: {e}"))?;
        tasks.push(tokio::spawn(accept(
            listener,
            router.clone(),
            Arc::clone(&slots),
        )));
    }
    for task in tasks {
        let _ = task.await;
    }
    Err(anyhow!("the server stopped accepting connections"))
}

async fn accept(listener: tokio::net::TcpListener, router: Router, slots: Arc<Semaphore>) {
    let service = TowerToHyperService::new(router);
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of descriptors (or a connection reset before it was
                // accepted): wait a little rather than spin.
                eprintln!("note: cannot accept a connection: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let service = service.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT);
            // An error is the client's doing (gone, too slow, malformed);
            // hyper has answered what can be answered.
            let _ = http.serve_connection(TokioIo::new(stream), service).await;
        });
    }
}
