//! Checks on the real book (`book/`): it builds in-process with zero mdBook
//! warnings, every include resolves, links and anchors resolve, math is
//! rendered to MathML, no Markdown is left unrendered in the prose, no
//! page loads anything from the network, and every chapter ends with the
//! sources that back its claims.

mod common;
#[path = "common/links.rs"]
mod links;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use workbook::book::{self, BuildReport};

struct Built {
    _dir: tempfile::TempDir,
    report: BuildReport,
}

/// One build shared by the tests of this file.
fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("book");
        let report = match book::build(&common::repo_root(), Some(&out)) {
            Ok(r) => r,
            Err(e) => panic!("the book does not build:\n{e:#}"),
        };
        Built { _dir: dir, report }
    })
}

fn out_dir() -> &'static Path {
    &built().report.out_dir
}

fn html_pages() -> Vec<PathBuf> {
    common::files_with_ext(out_dir(), "html")
}

#[test]
fn real_book_builds_without_warnings() {
    let warnings: Vec<String> = built()
        .report
        .warnings
        .iter()
        .map(|w| w.to_string())
        .collect();
    assert!(
        warnings.is_empty(),
        "mdBook warnings:\n{}",
        warnings.join("\n")
    );
    assert!(out_dir().join("index.html").is_file());
}

#[test]
fn every_summary_entry_is_a_file() {
    let root = common::repo_root();
    // Fails with a message naming the missing file.
    let chapters = book::check_summary(&root, &root.join("book")).unwrap_or_else(|e| panic!("{e}"));
    assert!(chapters.iter().any(|c| c.ends_with("preface.md")));
}

#[test]
fn every_include_in_the_markdown_resolves() {
    let root = common::repo_root();
    let mut problems = Vec::new();
    let mut count = 0;
    for md in common::files_with_ext(&root.join("book"), "md") {
        let text = std::fs::read_to_string(&md).unwrap();
        count += workbook::book::includes::find_includes(&text).len();
        problems.extend(
            workbook::book::includes::check_markdown_file(&root, &md)
                .into_iter()
                .map(|p| p.message),
        );
    }
    assert!(
        problems.is_empty(),
        "{} of {count} includes are broken:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Removes `<pre>…</pre>` and `<code>…</code>` so that code (say, a shell's
/// `$$`) does not count as unrendered math.
fn without_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    loop {
        let next = ["<pre", "<code"]
            .iter()
            .filter_map(|t| rest.find(t).map(|i| (i, *t)))
            .min();
        let Some((i, tag)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..i]);
        let close = if tag == "<pre" { "</pre>" } else { "</code>" };
        rest = rest[i..]
            .find(close)
            .map(|e| &rest[i + e + close.len()..])
            .unwrap_or("");
    }
}

#[test]
fn no_unexpanded_links_or_raw_math_in_html() {
    let mut problems = Vec::new();
    for page in html_pages() {
        let html = std::fs::read_to_string(&page).unwrap();
        let name = page.strip_prefix(out_dir()).unwrap().display().to_string();
        if html.contains("{{#") {
            problems.push(format!("{name}: contains an unexpanded {{{{#...}}}}"));
        }
        if without_code(&html).contains("$$") {
            problems.push(format!("{name}: contains raw $$ (math not rendered)"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The text a reader sees in a page's `<main>`: no code, no tags.
fn prose_of(html: &str) -> String {
    let main = html
        .split_once("<main>")
        .and_then(|(_, rest)| rest.split_once("</main>"))
        .map_or(html, |(main, _)| main);
    let mut text = String::new();
    let mut in_tag = false;
    for c in without_code(main).chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// Markdown that mdBook left as text: an image or link that did not parse
/// (an alt text with a line that starts like a list item breaks it), or an
/// include that did not expand.
#[test]
fn no_unrendered_markdown_in_the_prose() {
    let mut problems = Vec::new();
    for page in html_pages() {
        let html = std::fs::read_to_string(&page).unwrap();
        let name = page.strip_prefix(out_dir()).unwrap().display().to_string();
        let prose = prose_of(&html);
        for bad in ["![", "](", "{{#"] {
            if let Some(at) = prose.find(bad) {
                let start = prose[..at]
                    .char_indices()
                    .rev()
                    .nth(40)
                    .map_or(0, |(i, _)| i);
                let context: String = prose[start..].chars().take(100).collect();
                problems.push(format!("{name}: unrendered `{bad}` in: {context:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn prose_of_a_page_drops_code_and_tags() {
    let html = "<nav>![x](y)</nav><main><p>A <em>b</em></p><pre><code>![a](b)</code></pre><p>c ![d](e)</p></main>";
    assert_eq!(prose_of(html), "A bc ![d](e)");
}

#[test]
fn math_is_mathml_and_no_katex_css_or_cdn() {
    let preface = std::fs::read_to_string(out_dir().join("preface.html")).unwrap();
    assert!(
        preface.contains("<math"),
        "the preface's formulas are not MathML"
    );
    for page in html_pages() {
        let html = std::fs::read_to_string(&page).unwrap();
        for bad in [
            "katex.min.css",
            "cdn.jsdelivr.net",
            "cdnjs.cloudflare.com",
            "MathJax.js",
        ] {
            assert!(!html.contains(bad), "{}: references {bad}", page.display());
        }
    }
}

#[test]
fn search_index_is_generated() {
    let found = std::fs::read_dir(out_dir())
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with("searchindex"));
    assert!(found, "no searchindex*.js in {}", out_dir().display());
}

#[test]
fn playground_run_buttons_are_off() {
    let config = book::load_config(&common::repo_root()).unwrap();
    let html = config.html_config().expect("[output.html] is valid");
    assert!(!html.playground.runnable, "Run buttons need the internet");
    assert!(html.playground.copyable);
    assert!(!config.build.create_missing);
}

/// A renamed chapter keeps its old address: `[output.html.redirect]` in
/// book.toml makes mdBook write a page there that sends the browser on (and
/// keeps a `#section`), to a page that exists.
#[test]
fn old_addresses_of_renamed_chapters_redirect_to_their_pages() {
    let config = book::load_config(&common::repo_root()).unwrap();
    let redirects = config
        .html_config()
        .expect("[output.html] is valid")
        .redirect;
    assert!(redirects.len() >= 3, "{redirects:?}");
    for (old, new) in &redirects {
        let page = out_dir().join(old.trim_start_matches('/'));
        let html = std::fs::read_to_string(&page)
            .unwrap_or_else(|e| panic!("{old}: no redirect page ({e})"));
        assert!(
            html.contains(&format!(r#"content="0; URL={new}""#)),
            "{old} does not send the browser to {new}"
        );
        let target = page.parent().unwrap().join(new);
        assert!(
            target.is_file(),
            "{old} redirects to {new}, which does not exist"
        );
        let source = common::repo_root()
            .join("book")
            .join(old.trim_start_matches('/'))
            .with_extension("md");
        assert!(
            !source.exists(),
            "{old} is a chapter again: remove its redirect"
        );
    }
}

#[test]
fn internal_links_and_anchors_resolve() {
    let problems = links::check_links(out_dir());
    assert!(
        problems.is_empty(),
        "{} broken links:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn no_page_loads_anything_from_the_network() {
    let problems = links::check_no_remote_loads(out_dir());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The heading every chapter ends with.
const SOURCES: &str = "## Sources and further reading";

/// Every chapter (`book/partN/NN-*.md`, the numbered files; not a part's
/// README or quiz) ends with its sources: the std documentation, *Rust
/// Atomics and Locks*, the crates' and the vendors' manuals its claims
/// rest on, so that a reader can check any of them. Links to other sites
/// are plain links: nothing is loaded from them.
#[test]
fn every_chapter_ends_with_its_sources() {
    let root = common::repo_root();
    let mut chapters = 0;
    let mut problems = Vec::new();
    for page in common::files_with_ext(&root.join("book"), "md") {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let in_a_part = page
            .parent()
            .and_then(|dir| dir.file_name())
            .is_some_and(|dir| dir.to_string_lossy().starts_with("part"));
        if !in_a_part || !name.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        chapters += 1;
        let shown = page.strip_prefix(&root).unwrap().display().to_string();
        let text = std::fs::read_to_string(&page).unwrap();
        if let Some(problem) = sources_problem(&text) {
            problems.push(format!("{shown}: {problem}"));
        }
    }
    assert!(chapters >= 29, "only {chapters} chapters found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// What is wrong with a chapter's sources section, if anything.
fn sources_problem(markdown: &str) -> Option<String> {
    let headings: Vec<&str> = markdown
        .lines()
        .filter(|line| line.starts_with("## "))
        .collect();
    if !headings.contains(&SOURCES) {
        return Some(format!("no `{SOURCES}` section"));
    }
    if headings.last() != Some(&SOURCES) {
        return Some(format!("`{SOURCES}` is not the last section"));
    }
    let section = &markdown[markdown.find(SOURCES).unwrap()..];
    let items = section.lines().filter(|l| l.starts_with("- ")).count();
    if items == 0 || !section.contains("](http") {
        return Some(format!(
            "`{SOURCES}` lists nothing, or links to nothing a reader can open"
        ));
    }
    None
}

#[test]
fn a_chapter_without_its_sources_is_found() {
    let good = "# C\n\n## Try this\n\n## Sources and further reading\n\n- [std](https://doc.rust-lang.org/std/)\n";
    assert_eq!(sources_problem(good), None);
    assert!(sources_problem("# C\n\n## Try this\n").is_some());
    let not_last = "# C\n\n## Sources and further reading\n\n- [std](https://x/)\n\n## Try this\n";
    assert!(sources_problem(not_last).unwrap().contains("not the last"));
    let empty = "# C\n\n## Sources and further reading\n\nNone.\n";
    assert!(sources_problem(empty).is_some());
}
