//! How the tool speaks when something goes wrong: one `error:` line per
//! problem, never a panic message or a backtrace.

/// Prints an error as `error: ...` lines (one per problem) on stderr.
/// [`Unsuccessful`] prints nothing: its command has already said why.
pub fn report_error(e: &anyhow::Error) {
    let text = format!("{e:#}");
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        eprintln!("error: {}", line.trim());
    }
}

/// Collapses a message onto one line.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An error with no message: the command failed and has already said why
/// (a verdict line). The exit status is non-zero.
#[derive(Debug)]
pub struct Unsuccessful;

impl std::fmt::Display for Unsuccessful {
    fn fmt(&self, _f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Ok(())
    }
}

impl std::error::Error for Unsuccessful {}

/// Replaces the default panic message (and backtrace hint) with one line.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("error: internal error: {}{at}", one_line(&msg));
    }));
}
