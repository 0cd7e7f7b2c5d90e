//! Offline checks over a built book, for the tests: relative links and
//! `#fragments` resolve, and no page loads anything from the network at run
//! time. HTML is parsed by `scraper` (html5ever), as a browser would.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};
use workbook::files::files_with_ext;
use workbook::paths::display_rel;

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("a valid selector")
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn is_remote(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("http://") || u.starts_with("https://") || u.starts_with("//")
}

fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Every relative `href`/`src` that points to a missing file, or to a
/// missing `#id` of an existing page; one line each.
pub fn check_links(out_dir: &Path) -> Vec<String> {
    let pages: Vec<(PathBuf, Html)> = files_with_ext(out_dir, "html")
        .into_iter()
        .map(|page| {
            let html = std::fs::read_to_string(&page).unwrap_or_default();
            (page, Html::parse_document(&html))
        })
        .collect();
    let with_id = selector("[id], a[name]");
    let ids: HashMap<&Path, HashSet<String>> = pages
        .iter()
        .map(|(page, doc)| {
            let set = doc
                .select(&with_id)
                .filter_map(|e| e.value().attr("id").or_else(|| e.value().attr("name")))
                .map(str::to_string)
                .collect();
            (page.as_path(), set)
        })
        .collect();
    let linking = selector("[href], [src]");
    let base = selector("base[href]");
    let mut problems = Vec::new();
    for (page, doc) in &pages {
        let shown = display_rel(out_dir, page);
        let base_dir = doc
            .select(&base)
            .next()
            .and_then(|b| b.value().attr("href"))
            .filter(|h| h.starts_with('/'))
            .map(|h| out_dir.join(h.trim_start_matches('/')))
            .unwrap_or_else(|| page.parent().unwrap_or(out_dir).to_path_buf());
        for element in doc.select(&linking) {
            let tag = element.value().name();
            if tag == "base" {
                continue;
            }
            for attr in ["href", "src"] {
                let Some(url) = element.value().attr(attr) else {
                    continue;
                };
                if url.is_empty() || has_scheme(url) || url.starts_with("//") {
                    continue;
                }
                let (path_part, fragment) = match url.split_once('#') {
                    Some((p, f)) => (p, Some(f)),
                    None => (url, None),
                };
                let path_part = path_part.split('?').next().unwrap_or("");
                let target = if path_part.is_empty() {
                    page.clone()
                } else if let Some(abs) = path_part.strip_prefix('/') {
                    out_dir.join(decode(abs))
                } else {
                    base_dir.join(decode(path_part))
                };
                let mut target = normalize(&target);
                if target.is_dir() {
                    target = target.join("index.html");
                }
                if !target.exists() {
                    problems.push(format!("{shown}: <{tag} {attr}=\"{url}\">: no such file"));
                    continue;
                }
                if let Some(frag) = fragment.filter(|f| !f.is_empty())
                    && target.extension().is_some_and(|e| e == "html")
                {
                    let frag = decode(frag);
                    if !ids
                        .get(target.as_path())
                        .is_some_and(|set| set.contains(&frag))
                    {
                        problems.push(format!(
                            "{shown}: <{tag} {attr}=\"{url}\">: no element with id \"{frag}\""
                        ));
                    }
                }
            }
        }
    }
    problems
}

/// Everything a page (or a stylesheet of the book) would load from another
/// host when it is opened: scripts, images, stylesheets, fonts, frames.
pub fn check_no_remote_loads(out_dir: &Path) -> Vec<String> {
    let loading = selector(
        "script[src], img[src], iframe[src], source[src], video[src], audio[src], embed[src], \
         track[src], input[src], object[data], link[href], [style], style",
    );
    let mut problems = Vec::new();
    for page in files_with_ext(out_dir, "html") {
        let shown = display_rel(out_dir, &page);
        let doc = Html::parse_document(&std::fs::read_to_string(&page).unwrap_or_default());
        for element in doc.select(&loading) {
            let value = element.value();
            let tag = value.name();
            let loaded = match tag {
                "object" => value.attr("data"),
                "link" => {
                    let rel = value.attr("rel").unwrap_or("").to_ascii_lowercase();
                    let loads = rel.split_whitespace().any(|w| {
                        [
                            "stylesheet",
                            "preload",
                            "modulepreload",
                            "manifest",
                            "prefetch",
                        ]
                        .contains(&w)
                            || w.ends_with("icon")
                    });
                    loads.then(|| value.attr("href")).flatten()
                }
                _ => value.attr("src"),
            };
            if let Some(url) = loaded.filter(|u| is_remote(u)) {
                problems.push(format!("{shown}: <{tag}> loads {url}"));
            }
            if let Some(style) = value.attr("style") {
                problems.extend(
                    css_remote_refs(style)
                        .into_iter()
                        .map(|u| format!("{shown}: style attribute loads {u}")),
                );
            }
            if tag == "style" {
                let text: String = element.text().collect();
                problems.extend(
                    css_remote_refs(&text)
                        .into_iter()
                        .map(|u| format!("{shown}: <style> loads {u}")),
                );
            }
        }
    }
    for css in files_with_ext(out_dir, "css") {
        let shown = display_rel(out_dir, &css);
        let text = std::fs::read_to_string(&css).unwrap_or_default();
        problems.extend(
            css_remote_refs(&text)
                .into_iter()
                .map(|u| format!("{shown}: loads {u}")),
        );
    }
    problems
}

/// Remote URLs in CSS `@import "..."`, `@import url(...)` and `url(...)`,
/// ignoring comments. `data:` URLs are local.
fn css_remote_refs(css: &str) -> Vec<String> {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        text.push_str(&rest[..i]);
        rest = rest[i + 2..]
            .find("*/")
            .map(|e| &rest[i + 2 + e + 2..])
            .unwrap_or("");
    }
    text.push_str(rest);
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    for (i, _) in lower.match_indices("url(") {
        let arg = text[i + 4..].trim_start().trim_start_matches(['"', '\'']);
        if is_remote(arg) {
            found.push(
                arg.chars()
                    .take_while(|c| !matches!(c, ')' | '"' | '\''))
                    .collect(),
            );
        }
    }
    for (i, _) in lower.match_indices("@import") {
        let arg = text[i + 7..].trim_start().trim_start_matches(['"', '\'']);
        if is_remote(arg) {
            found.push(
                arg.chars()
                    .take_while(|c| !matches!(c, ';' | '"' | '\''))
                    .collect(),
            );
        }
    }
    found
}

#[test]
fn css_data_urls_are_local() {
    assert!(
        css_remote_refs(
            "a{background:url('data:image/svg+xml,<svg xmlns=\"http://www.w3.org/2000/svg\"/>')}"
        )
        .is_empty()
    );
    assert_eq!(
        css_remote_refs("@import url(https://x/y.css);"),
        ["https://x/y.css"]
    );
    assert_eq!(
        css_remote_refs("@font-face{src:url(\"//fonts/x.woff2\")}"),
        ["//fonts/x.woff2"]
    );
    assert!(css_remote_refs("/* url(https://x) */").is_empty());
}

#[test]
fn a_broken_link_and_a_remote_script_are_found() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.html"),
        "<p id=here>x</p><a href=\"b.html#nope\">b</a><A HREF=\"gone.html\">g</A><a href=\"#here\">h</a>\
         <script>if (a<b) {}</script><script src=\"https://cdn.example/x.js\"></script>",
    )
    .unwrap();
    std::fs::write(dir.path().join("b.html"), "<h1 id=top>b</h1>").unwrap();
    let links = check_links(dir.path());
    assert_eq!(links.len(), 2, "{links:?}");
    assert!(
        links[0].contains("no element with id \"nope\""),
        "{links:?}"
    );
    assert!(links[1].contains("gone.html"), "{links:?}");
    let remote = check_no_remote_loads(dir.path());
    assert_eq!(remote, ["a.html: <script> loads https://cdn.example/x.js"]);
}
