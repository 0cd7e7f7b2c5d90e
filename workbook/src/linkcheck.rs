//! Offline checks over a built book: relative links and `#fragments` resolve,
//! and no page loads anything from the network at run time.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// One tag with its attributes (names lower-cased, values entity-decoded).
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The tags of an HTML document plus the text of its inline `<style>` elements.
/// Comments and the content of `<script>`/`<style>` are not parsed as tags.
pub fn parse_html(html: &str) -> (Vec<Tag>, Vec<String>) {
    let mut tags = Vec::new();
    let mut styles = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        if html[start..].starts_with("<!--") {
            i = html[start..]
                .find("-->")
                .map(|e| start + e + 3)
                .unwrap_or(html.len());
            continue;
        }
        let (tag, end) = parse_tag(html, start);
        i = end.max(start + 1);
        let Some(tag) = tag else { continue };
        if tag.name == "script" || tag.name == "style" {
            let close = format!("</{}", tag.name);
            let body_end = find_ci(&html[i..], &close)
                .map(|e| i + e)
                .unwrap_or(html.len());
            if tag.name == "style" {
                styles.push(html[i..body_end].to_string());
            }
            i = body_end;
        }
        tags.push(tag);
    }
    (tags, styles)
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.to_ascii_lowercase().find(&needle.to_ascii_lowercase())
}

/// Parses `<name a="b" c=d e>` starting at `start` (the `<`). Returns the tag
/// (None for closing tags, doctype, or a stray `<`) and the index after `>`.
fn parse_tag(html: &str, start: usize) -> (Option<Tag>, usize) {
    let bytes = html.as_bytes();
    let mut i = start + 1;
    let name_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
        i += 1;
    }
    if i == name_start {
        // `</x>`, `<!doctype>`, or a stray `<`: skip to `>`.
        let end = html[start..].find('>').map(|e| start + e + 1);
        return (None, end.unwrap_or(start + 1));
    }
    let name = html[name_start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        if bytes[i] == b'>' {
            i += 1;
            break;
        }
        let an_start = i;
        while i < bytes.len()
            && !matches!(bytes[i], b'=' | b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')
        {
            i += 1;
        }
        let attr_name = html[an_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let q = bytes[i] as char;
                let vs = i + 1;
                let ve = html[vs..].find(q).map(|e| vs + e).unwrap_or(html.len());
                value = html[vs..ve].to_string();
                i = (ve + 1).min(html.len());
            } else {
                let vs = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                value = html[vs..i].to_string();
            }
        }
        if attr_name.is_empty() {
            i += 1;
            continue;
        }
        attrs.push((attr_name, decode_entities(&value)));
    }
    (Some(Tag { name, attrs }), i)
}

fn decode_entities(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let h = (bytes[i + 1] as char).to_digit(16);
            let l = (bytes[i + 2] as char).to_digit(16);
            if let (Some(h), Some(l)) = (h, l) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every file under `dir` with extension `ext`, sorted.
pub fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
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
                && !url[..i].contains('/')
        }
        None => false,
    }
}

/// Problems with relative `href`/`src` links in the built book at `out_dir`:
/// a missing target file, or a `#fragment` with no element of that id.
pub fn check_links(out_dir: &Path) -> Vec<String> {
    let pages = files_with_ext(out_dir, "html");
    let mut ids: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    let mut parsed = Vec::new();
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap_or_default();
        let (tags, _) = parse_html(&html);
        let set: HashSet<String> = tags
            .iter()
            .filter_map(|t| {
                t.attr("id")
                    .or_else(|| (t.name == "a").then(|| t.attr("name")).flatten())
            })
            .map(str::to_string)
            .collect();
        ids.insert(page.clone(), set);
        parsed.push((page.clone(), tags));
    }
    let mut problems = Vec::new();
    for (page, tags) in &parsed {
        let shown = crate::paths::display_rel(out_dir, page);
        // mdBook's 404 page uses `<base href="/">` so it works at any depth.
        let base_dir = tags
            .iter()
            .find(|t| t.name == "base")
            .and_then(|t| t.attr("href"))
            .filter(|h| h.starts_with('/'))
            .map(|h| out_dir.join(h.trim_start_matches('/')))
            .unwrap_or_else(|| page.parent().unwrap_or(out_dir).to_path_buf());
        for tag in tags {
            for attr in ["href", "src"] {
                let Some(url) = tag.attr(attr) else { continue };
                if tag.name == "base" || url.is_empty() || has_scheme(url) || url.starts_with("//")
                {
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
                    out_dir.join(percent_decode(abs))
                } else {
                    base_dir.join(percent_decode(path_part))
                };
                let target = normalize(&target);
                let target = if target.is_dir() {
                    target.join("index.html")
                } else {
                    target
                };
                if !target.exists() {
                    problems.push(format!(
                        "{shown}: <{} {attr}=\"{url}\">: no such file",
                        tag.name
                    ));
                    continue;
                }
                if let Some(frag) = fragment.filter(|f| !f.is_empty())
                    && target.extension().is_some_and(|e| e == "html")
                {
                    let frag = percent_decode(frag);
                    let found = ids.get(&target).is_some_and(|set| set.contains(&frag));
                    if !found {
                        problems.push(format!(
                            "{shown}: <{} {attr}=\"{url}\">: no element with id \"{frag}\"",
                            tag.name
                        ));
                    }
                }
            }
        }
    }
    problems
}

/// Removes `.` and `..` components lexically.
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

/// References to `http(s)://` (or `//host`) resources that a page would load
/// at run time: scripts, stylesheets, icons, images, frames, media, CSS
/// `@import` and `url(...)` (in `.css` files and inline `<style>`), and web
/// fonts. Plain `<a href>` links out are fine.
pub fn check_no_remote_loads(out_dir: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for page in files_with_ext(out_dir, "html") {
        let shown = crate::paths::display_rel(out_dir, &page);
        let html = std::fs::read_to_string(&page).unwrap_or_default();
        let (tags, styles) = parse_html(&html);
        for tag in &tags {
            let loaded = match tag.name.as_str() {
                "script" | "img" | "iframe" | "source" | "video" | "audio" | "embed" | "track"
                | "input" => tag.attr("src"),
                "object" => tag.attr("data"),
                "link" => {
                    let rel = tag.attr("rel").unwrap_or("").to_ascii_lowercase();
                    let loads = [
                        "stylesheet",
                        "icon",
                        "preload",
                        "modulepreload",
                        "manifest",
                        "prefetch",
                    ]
                    .iter()
                    .any(|r| {
                        rel.split_whitespace()
                            .any(|w| w == *r || w.ends_with("icon"))
                    });
                    if loads { tag.attr("href") } else { None }
                }
                _ => None,
            };
            if let Some(url) = loaded.filter(|u| is_remote(u)) {
                problems.push(format!("{shown}: <{}> loads {url}", tag.name));
            }
            if let Some(style) = tag.attr("style") {
                problems.extend(
                    css_remote_refs(style)
                        .into_iter()
                        .map(|u| format!("{shown}: style attribute loads {u}")),
                );
            }
        }
        for style in styles {
            problems.extend(
                css_remote_refs(&style)
                    .into_iter()
                    .map(|u| format!("{shown}: <style> loads {u}")),
            );
        }
    }
    for css in files_with_ext(out_dir, "css") {
        let shown = crate::paths::display_rel(out_dir, &css);
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
pub fn css_remote_refs(css: &str) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags_and_skips_scripts() {
        let (tags, styles) = parse_html(
            "<!-- <a href=x> --><p id='a'>x</p><script>if (a<b) {}</script><style>b{}</style><A HREF=\"y.html#a&amp;b\">",
        );
        let names: Vec<_> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["p", "script", "style", "a"]);
        assert_eq!(tags[3].attr("href"), Some("y.html#a&b"));
        assert_eq!(styles, ["b{}"]);
    }

    #[test]
    fn css_data_urls_are_local() {
        assert!(css_remote_refs("a{background:url('data:image/svg+xml,<svg xmlns=\"http://www.w3.org/2000/svg\"/>')}").is_empty());
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
}
