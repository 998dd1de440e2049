//! Bounded source snippets for diagnostics.
//!
//! Every reader that points a miette diagnostic into a file builds its source with
//! [`Snippet`] instead of handing miette the whole text. A snippet keeps only a few lines
//! around the labels, and of a long line only a window around the label, with `…` where it
//! was cut. Line numbers and columns shown by miette stay those of the original file.
//!
//! Why: miette's renderer panics on a label past column 65,535 of a line, copies the whole
//! file per label, and prints every line it is given, however long. Bounding the snippet
//! keeps a diagnostic small and fast whatever the input (a one-line minified inventory, a
//! 50 MB value).
//!
//! [`shorten`] bounds values echoed in messages the same way.

use std::borrow::Cow;
use std::ops::Range;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Lines of context kept before the first label and after the last.
const CONTEXT_LINES: usize = 1;
/// Lines from the first label's line within which further labels are kept.
const MAX_LABEL_LINES: usize = 12;
/// Bytes of a line kept before a label on it, when the line is cut.
const BEFORE_LABEL: usize = 80;
/// Bytes of a line kept at most, when the line is cut.
const WINDOW: usize = 240;
/// Lines up to this length are kept whole.
const WHOLE_LINE: usize = WINDOW;
/// Marks where a line was cut.
const ELLIPSIS: &str = "…";
/// Characters of an echoed value kept by [`shorten`].
pub const ECHO_CHARS: usize = 200;

/// A bounded excerpt of a file for a diagnostic; implements [`SourceCode`] with the
/// original file's line numbers and columns.
#[derive(Clone, Debug)]
pub struct Snippet {
    name: String,
    text: String,
    /// 0-based line of the original file where `text` starts.
    first_line: usize,
    /// Per line of `text`: where the line was cut in the original line (bytes), and the
    /// bytes of ellipsis put before it.
    cuts: Vec<(usize, usize)>,
}

impl Snippet {
    /// A snippet with no text, for diagnostics about a file that could not be read.
    pub fn empty(name: impl Into<String>) -> Snippet {
        Snippet {
            name: name.into(),
            text: String::new(),
            first_line: 0,
            cuts: vec![(0, 0)],
        }
    }

    /// The snippet of `text` around one byte span, and the span within the snippet.
    pub fn around(name: impl Into<String>, text: &str, span: Range<usize>) -> (Snippet, SourceSpan) {
        let (snippet, mut spans) = Snippet::around_all(name, text, std::slice::from_ref(&span));
        let span = spans.pop().flatten().unwrap_or_else(|| (0, 0).into());
        (snippet, span)
    }

    /// The snippet of `text` around several byte spans, and each span within the snippet,
    /// or `None` for a span that lies outside it (more than a dozen lines after the first,
    /// or too far along a long line). Callers list what is left out in their message.
    pub fn around_all(
        name: impl Into<String>,
        text: &str,
        spans: &[Range<usize>],
    ) -> (Snippet, Vec<Option<SourceSpan>>) {
        let clamp = |i: usize| floor_boundary(text, i.min(text.len()));
        let spans: Vec<Range<usize>> = spans
            .iter()
            .map(|s| {
                let start = clamp(s.start);
                start..clamp(s.end.max(start))
            })
            .collect();
        let mut out = vec![None; spans.len()];
        let Some(anchor) = spans.iter().map(|s| s.start).min() else {
            return (Snippet::empty(name), out);
        };
        let anchor_line = count_newlines(&text.as_bytes()[..anchor]);
        let first_line = anchor_line.saturating_sub(CONTEXT_LINES);
        let mut line_start = start_of_line(text, anchor, anchor_line - first_line);

        let mut snippet = Snippet {
            name: name.into(),
            text: String::new(),
            first_line,
            cuts: Vec::new(),
        };
        let mut last_labelled = anchor_line;
        let mut line = first_line;
        while line <= anchor_line + MAX_LABEL_LINES + CONTEXT_LINES {
            let (content_end, next) = match text[line_start..].find('\n') {
                Some(i) => (line_start + i, Some(line_start + i + 1)),
                None => (text.len(), None),
            };
            let content_end = if text[line_start..content_end].ends_with('\r') {
                content_end - 1
            } else {
                content_end
            };
            let on_line = |s: &Range<usize>| {
                s.start >= line_start
                    && (s.start <= content_end || next.is_none_or(|n| s.start < n))
                    && line <= anchor_line + MAX_LABEL_LINES
            };
            let first_here = spans.iter().filter(|s| on_line(s)).map(|s| s.start).min();
            let (from, to) = if content_end - line_start <= WHOLE_LINE {
                (line_start, content_end)
            } else {
                let at = first_here.unwrap_or(line_start).min(content_end);
                let from = floor_boundary(text, at.saturating_sub(BEFORE_LABEL).max(line_start));
                let to = floor_boundary(text, (from + WINDOW).min(content_end));
                (from, to.max(at))
            };
            if !snippet.cuts.is_empty() {
                snippet.text.push('\n');
            }
            let prefix = if from > line_start { ELLIPSIS } else { "" };
            let base = snippet.text.len() + prefix.len();
            snippet.text.push_str(prefix);
            snippet.text.push_str(&text[from..to]);
            if to < content_end {
                snippet.text.push_str(ELLIPSIS);
            }
            snippet.cuts.push((from - line_start, prefix.len()));
            for (i, s) in spans.iter().enumerate() {
                if on_line(s) && s.start >= from && s.start <= to {
                    let end = s.end.min(to);
                    out[i] = Some((base + s.start - from, end - s.start).into());
                    last_labelled = line;
                }
            }
            match next {
                Some(n) if line < last_labelled + CONTEXT_LINES || line < anchor_line + MAX_LABEL_LINES => {
                    line_start = n;
                    line += 1;
                }
                _ => break,
            }
        }
        // Context after the last labelled line only.
        let keep = (last_labelled + CONTEXT_LINES + 1 - first_line).min(snippet.cuts.len());
        if keep < snippet.cuts.len() {
            let cut_at = snippet
                .text
                .match_indices('\n')
                .nth(keep - 1)
                .map_or(snippet.text.len(), |(i, _)| i);
            snippet.text.truncate(cut_at);
            snippet.cuts.truncate(keep);
        }
        (snippet, out)
    }

    /// The file name shown in the diagnostic.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The 1-based line and column (bytes) in the original file of `span`, a span within
    /// this snippet.
    pub fn position(&self, span: SourceSpan) -> Option<(usize, usize)> {
        let contents = self.read_span(&span, 0, 0).ok()?;
        Some((contents.line() + 1, contents.column() + 1))
    }

    /// The excerpt's text (bounded).
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        let line = inner.line();
        let column = match self.cuts.get(line) {
            Some(&(cut, prefix)) if inner.column() > 0 || cut > 0 => {
                cut + inner.column().saturating_sub(prefix)
            }
            _ => inner.column(),
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            self.first_line + line,
            column,
            inner.line_count(),
        )))
    }
}

/// How many items of a long list a diagnostic names (labels and listed lines).
pub const LISTED: usize = 10;

/// Labels at most [`LISTED`] of `items` (byte span in `text`, label text), in the order
/// given, within one snippet; items that do not fit are left out.
pub fn labelled(
    name: &str,
    text: &str,
    items: &[(Range<usize>, String)],
) -> (Snippet, Vec<miette::LabeledSpan>) {
    let items = &items[..items.len().min(LISTED)];
    let spans: Vec<Range<usize>> = items.iter().map(|(s, _)| s.clone()).collect();
    let (snippet, placed) = Snippet::around_all(name, text, &spans);
    let labels = items
        .iter()
        .zip(placed)
        .filter_map(|((_, label), span)| Some(miette::LabeledSpan::new_with_span(Some(label.clone()), span?)))
        .collect();
    (snippet, labels)
}

/// `names` with their 1-based lines as `` `a` (line 3), `b` (line 9) ``, at most [`LISTED`]
/// of them, then `and N more`.
pub fn listing<'n>(names: impl ExactSizeIterator<Item = (&'n str, usize)>) -> String {
    let total = names.len();
    let mut out: Vec<String> = names
        .take(LISTED)
        .map(|(name, line)| format!("`{}` (line {line})", shorten(name)))
        .collect();
    if total > LISTED {
        out.push(format!("and {} more", total - LISTED));
    }
    out.join(", ")
}

/// `value` when it has at most [`ECHO_CHARS`] characters; else its start, `…` and its
/// length, so a huge value in a file never floods the terminal.
pub fn shorten(value: &str) -> Cow<'_, str> {
    match value.char_indices().nth(ECHO_CHARS) {
        None => Cow::Borrowed(value),
        Some((end, _)) => Cow::Owned(format!("{}… ({} bytes in all)", &value[..end], value.len())),
    }
}

/// 1-based line and column (in bytes) of byte `offset` of `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    (count_newlines(before) + 1, offset - line_start + 1)
}

fn count_newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| **b == b'\n').count()
}

/// The start of the line `back` lines before the line holding `offset`.
fn start_of_line(text: &str, offset: usize, back: usize) -> usize {
    let bytes = &text.as_bytes()[..offset];
    let mut end = bytes.len();
    for _ in 0..=back {
        match bytes[..end].iter().rposition(|b| *b == b'\n') {
            Some(i) => end = i,
            None => return 0,
        }
    }
    end + 1
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(snippet: Snippet, span: SourceSpan) -> String {
        #[derive(Debug, thiserror::Error, miette::Diagnostic)]
        #[error("bad")]
        struct E {
            #[source_code]
            src: Snippet,
            #[label("here")]
            span: SourceSpan,
        }
        let mut out = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .render_report(&mut out, &E { src: snippet, span })
            .unwrap();
        out
    }

    #[test]
    fn a_short_file_is_kept_with_its_numbers() {
        let text = "a=1\nb=2\nc=3\nd=4\n";
        let (s, span) = Snippet::around("f", text, 8..11);
        assert_eq!(s.text(), "b=2\nc=3\nd=4");
        let out = render(s, span);
        assert!(out.contains("[f:3:1]"), "{out}");
        assert!(out.contains(" 3 │ c=3"), "{out}");
    }

    #[test]
    fn a_long_line_is_cut_around_the_label_and_keeps_its_column() {
        let mut text = "x".repeat(100_000);
        text.replace_range(99_990..99_991, "!");
        let text = format!("first\n{text}\nlast\n");
        let at = text.find('!').unwrap();
        let (s, span) = Snippet::around("big.json", &text, at..at + 1);
        assert!(s.text().len() < 600, "{}", s.text().len());
        assert_eq!(&s.text()[span.offset()..span.offset() + 1], "!");
        let out = render(s, span);
        assert!(out.contains("[big.json:2:99991]"), "{out}");
        assert!(out.contains('…'), "{out}");
        assert!(out.len() < 2_000, "{}", out.len());
    }

    #[test]
    fn labels_far_from_the_first_are_left_out() {
        let text: String = (0..100).map(|i| format!("t{i}\n")).collect();
        let at = |name: &str| {
            let i = text.find(&format!("{name}\n")).unwrap();
            i..i + name.len()
        };
        let (s, spans) = Snippet::around_all("l", &text, &[at("t5"), at("t7"), at("t90")]);
        assert!(spans[0].is_some() && spans[1].is_some() && spans[2].is_none());
        assert_eq!(s.text().lines().count(), 5, "{}", s.text());
        assert_eq!(s.text().lines().next(), Some("t4"));
    }

    #[test]
    fn end_of_file_and_empty_text() {
        let (s, span) = Snippet::around("e", "", 0..0);
        render(s, span);
        let (s, span) = Snippet::around("e", "{\n", 2..2);
        let out = render(s, span);
        assert!(out.contains("[e:2:1]"), "{out}");
        let (s, span) = Snippet::around("e", "é", 1..5);
        render(s, span);
    }

    #[test]
    fn shorten_bounds_and_says_how_long() {
        assert_eq!(shorten("abc"), "abc");
        let long = "é".repeat(1000);
        let short = shorten(&long);
        assert!(short.ends_with("… (2000 bytes in all)"), "{short}");
        assert_eq!(short.chars().filter(|c| *c == 'é').count(), ECHO_CHARS);
    }

    #[test]
    fn line_column_is_one_based() {
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("ab", 99), (1, 3));
    }
}
