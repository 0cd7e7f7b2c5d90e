//! Quizzes: a small mdBook preprocessor of our own, registered in-process.
//!
//! A chapter writes a fenced block with the info string `quiz` holding TOML:
//!
//! ````text
//! ```quiz
//! [[question]]
//! prompt = "Does this compile?"
//! code = """
//! fn main() { let x = 1; }
//! """
//! choices = ["Yes", "No: E0373"]
//! answer = 0                      # index into choices
//! explanation = "Why the answer is right, shown after answering."
//! check = "compiles"              # optional: how the tests verify the claim
//! ```
//! ````
//!
//! `check` is what `workbook/tests/quiz.rs` verifies about `code`:
//! `"compiles"`, `"compile-error"` (with `error_code = "E0373"` to name the
//! error), or `"prints-answer"` (the program's output, trimmed, is the text
//! of the right choice). Questions without code or whose output depends on
//! scheduling leave it out.
//!
//! The output is plain HTML (a `<form class="quiz">` per question) that
//! `book/interactive/quiz.js` makes interactive; without JavaScript the
//! question, its choices and (in a `<details>`) the explanation still read.
//! mdBook itself runs the same code through `workbook quiz-preprocessor`
//! (see `book.toml`), so `mdbook build` and `cargo workbook build` agree.

use anyhow::{Context, Result, bail};
use mdbook_driver::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use serde::Deserialize;
use std::fmt::Write as _;
use std::io::Read;

/// One quiz block: a list of questions.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    pub question: Vec<Question>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub prompt: String,
    #[serde(default)]
    pub code: Option<String>,
    pub choices: Vec<String>,
    pub answer: usize,
    pub explanation: String,
    #[serde(default)]
    pub check: Option<Check>,
    #[serde(default)]
    pub error_code: Option<String>,
}

/// What the tests verify about a question's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    Compiles,
    CompileError,
    PrintsAnswer,
}

/// Every quiz block in a chapter's Markdown, with the line it starts on.
pub fn find_quizzes(markdown: &str) -> Result<Vec<(usize, Quiz)>> {
    blocks(markdown)
        .into_iter()
        .map(|(line, body, _)| parse(line, &body))
        .collect()
}

fn parse(line: usize, body: &str) -> Result<(usize, Quiz)> {
    let quiz: Quiz = toml::from_str(body).with_context(|| format!("quiz at line {line}"))?;
    for (k, q) in quiz.question.iter().enumerate() {
        if q.choices.len() < 2 {
            bail!(
                "quiz at line {line}, question {}: needs at least two choices",
                k + 1
            );
        }
        if q.answer >= q.choices.len() {
            bail!(
                "quiz at line {line}, question {}: answer {} is not a choice",
                k + 1,
                q.answer
            );
        }
        if q.check.is_some() && q.code.is_none() {
            bail!(
                "quiz at line {line}, question {}: `check` needs `code`",
                k + 1
            );
        }
    }
    Ok((line, quiz))
}

/// The fenced code blocks whose info string is `quiz` (any fence, ``` or
/// ~~~, indented or not, as CommonMark reads them): (first line number,
/// body, byte range of the whole block).
fn blocks(markdown: &str) -> Vec<(usize, String, std::ops::Range<usize>)> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let mut found = Vec::new();
    let mut open: Option<(std::ops::Range<usize>, String)> = None;
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.split_whitespace().next() == Some("quiz") =>
            {
                open = Some((range, String::new()));
            }
            Event::Text(text) => {
                if let Some((_, body)) = &mut open {
                    body.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((range, body)) = open.take() {
                    let line = markdown[..range.start].matches('\n').count() + 1;
                    found.push((line, body, range));
                }
            }
            _ => {}
        }
    }
    found
}

/// Replaces every quiz block of a chapter by its HTML. `chapter` numbers the
/// ids so they are unique on the page.
pub fn render_chapter(markdown: &str, chapter: &str) -> Result<String> {
    let mut out = String::with_capacity(markdown.len());
    let mut last = 0;
    let mut count = 0;
    for (line, body, range) in blocks(markdown) {
        let (_, quiz) = parse(line, &body).with_context(|| chapter.to_owned())?;
        out.push_str(&markdown[last..range.start]);
        for question in &quiz.question {
            count += 1;
            out.push_str(&render_question(
                question,
                &question_id(chapter, count),
                count,
            ));
        }
        last = range.end;
    }
    out.push_str(&markdown[last..]);
    Ok(out)
}

/// The id of the form of question `n` (from 1) of `chapter` (its path
/// under `book/`): what the page and the progress file name it by.
pub fn question_id(chapter: &str, n: usize) -> String {
    format!("quiz-{}-{n}", slug(chapter))
}

fn slug(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Escapes text and turns `code` spans into <code> elements.
fn inline(text: &str) -> String {
    let mut html = String::new();
    for (k, part) in escape(text.trim()).split('`').enumerate() {
        if k % 2 == 1 {
            let _ = write!(html, "<code>{part}</code>");
        } else {
            html.push_str(part);
        }
    }
    html
}

fn render_question(q: &Question, id: &str, number: usize) -> String {
    // One HTML block with no blank lines, so Markdown leaves it alone.
    let mut html = format!(
        "\n<form class=\"quiz\" data-testid=\"quiz\" id=\"{id}\" data-answer=\"{}\">\n<fieldset>\n<legend>Question {number}: {}</legend>\n",
        q.answer,
        inline(&q.prompt)
    );
    if let Some(code) = &q.code {
        let _ = writeln!(
            html,
            "<pre><code class=\"language-rust\">{}</code></pre>",
            escape(code.trim_end()).replace("\n\n", "\n&#10;")
        );
    }
    for (k, choice) in q.choices.iter().enumerate() {
        let _ = writeln!(
            html,
            "<div class=\"quiz-choice\"><input type=\"radio\" name=\"{id}\" id=\"{id}-{k}\" value=\"{k}\"><label for=\"{id}-{k}\">{}</label></div>",
            inline(choice)
        );
    }
    let _ = writeln!(
        html,
        "<button type=\"button\" class=\"quiz-check\" data-testid=\"quiz-check\">Check answer</button>\n<p class=\"quiz-feedback\" data-testid=\"quiz-feedback\" role=\"status\" aria-live=\"polite\"></p>\n<details class=\"quiz-explanation\"><summary>Explanation</summary><p>{}</p></details>\n</fieldset>\n</form>\n",
        inline(&q.explanation)
    );
    html
}

/// The in-process preprocessor `cargo workbook` registers as `quiz`.
pub struct QuizPreprocessor;

impl Preprocessor for QuizPreprocessor {
    fn name(&self) -> &str {
        "quiz"
    }

    fn run(&self, _ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        let mut first_error = None;
        book.for_each_mut(|item| {
            if let BookItem::Chapter(chapter) = item {
                let name = chapter
                    .path
                    .as_ref()
                    .map_or_else(|| chapter.name.clone(), |p| p.display().to_string());
                match render_chapter(&chapter.content, &name) {
                    Ok(content) => chapter.content = content,
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
        });
        match first_error {
            Some(e) => Err(e),
            None => Ok(book),
        }
    }

    fn supports_renderer(&self, renderer: &str) -> Result<bool> {
        Ok(renderer == "html")
    }
}

/// `workbook quiz-preprocessor [supports RENDERER]`: the same preprocessor
/// over mdBook's JSON protocol, for a plain `mdbook build`.
pub fn run_as_mdbook_command(args: &[String]) -> Result<()> {
    if let [supports, renderer] = args
        && supports == "supports"
    {
        let ok = QuizPreprocessor.supports_renderer(renderer)?;
        std::process::exit(if ok { 0 } else { 1 });
    }
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let (ctx, book) = mdbook_preprocessor::parse_input(input.as_bytes())?;
    let book = QuizPreprocessor.run(&ctx, book)?;
    serde_json::to_writer(std::io::stdout(), &book)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "Intro\n\n```quiz\n[[question]]\nprompt = \"Pick `b`\"\nchoices = [\"a\", \"b\"]\nanswer = 1\nexplanation = \"Because <b>.\"\n```\n\nAfter\n";

    #[test]
    fn a_quiz_block_becomes_a_form() {
        let html = render_chapter(SAMPLE, "part1/x.md").unwrap();
        assert!(html.starts_with("Intro\n"));
        assert!(html.trim_end().ends_with("After"));
        assert!(html.contains(
            "<form class=\"quiz\" data-testid=\"quiz\" id=\"quiz-part1-x-md-1\" data-answer=\"1\">"
        ));
        assert!(html.contains("Pick <code>b</code>"));
        assert!(html.contains("Because &lt;b&gt;."));
        assert_eq!(html.matches("type=\"radio\"").count(), 2);
        assert!(!html.contains("```"));
    }

    #[test]
    fn any_fence_is_a_quiz_block() {
        let tildes = SAMPLE.replace("```", "~~~");
        assert!(
            render_chapter(&tildes, "p.md")
                .unwrap()
                .contains("<form class=\"quiz\"")
        );
        let indented = SAMPLE.replace("```", "  ```");
        assert!(
            render_chapter(&indented, "p.md")
                .unwrap()
                .contains("<form class=\"quiz\"")
        );
        let rust = "```rust\n[[question]]\n```\n";
        assert_eq!(render_chapter(rust, "p.md").unwrap(), rust);
        assert_eq!(find_quizzes(SAMPLE).unwrap()[0].0, 3);
    }

    #[test]
    fn a_bad_quiz_names_its_line() {
        let bad = "```quiz\n[[question]]\nprompt = \"x\"\nchoices = [\"a\", \"b\"]\nanswer = 2\nexplanation = \"\"\n```\n";
        let error = format!("{:#}", render_chapter(bad, "p.md").unwrap_err());
        assert!(
            error.contains("line 1") && error.contains("answer 2 is not a choice"),
            "{error}"
        );
        let typo = "```quiz\n[[question]]\nprompt = \"x\"\nchoice = [\"a\"]\n```\n";
        assert!(render_chapter(typo, "p.md").is_err());
    }
}
