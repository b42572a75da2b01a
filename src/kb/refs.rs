//! Citations of other articles in the body: `Q166045 XFOR: ...` lines, `ARTICLE-ID:` lines and
//! Q-numbers in running text.

use super::facts::citations;
use super::text::{collapse_ws, indent, is_blank, push_words};
use super::{ArticleId, Reference};
use std::collections::HashMap;

/// A line shorter than this cannot have wrapped, so its citation title ends with it.
const WRAP_WIDTH: usize = 60;

/// The title after a citation that starts its line (`Q166045 XFOR: cc:Mail ...`), taking a
/// wrapped continuation from `next` when the line ran to the margin.
pub fn citation_title(line: &str, next: Option<&str>) -> Option<String> {
    let t = line.trim();
    let (first, _) = citations(t).next()?;
    if first.start != 0 {
        return None;
    }
    // Some lists write `Q123456: Title` or `Q123456 - Title`.
    let rest = t[first.end..]
        .trim_start_matches([':', '-', ' ', '\t'])
        .trim();
    if rest.is_empty() || !rest.starts_with(|c: char| c.is_alphanumeric() || c == '"' || c == '(') {
        return None;
    }
    let mut title = collapse_ws(rest);
    if let Some(next) = next.filter(|n| continues_title(line, n)) {
        push_words(&mut title, next);
    }
    Some(title)
}

/// Whether `next` carries on a citation title that `line` wrapped at the margin.
fn continues_title(line: &str, next: &str) -> bool {
    let n = next.trim();
    line.trim_end().len() >= WRAP_WIDTH
        && !is_blank(next)
        && indent(next) >= indent(line)
        && citations(n).next().is_none_or(|(r, _)| r.start != 0)
        && !n.contains(" : ")
        && !n.to_ascii_uppercase().starts_with("TITLE")
}

/// The title of an `ARTICLE-ID: Q123456` entry, from a `TITLE : ...` line just below it.
fn article_id_title(following: &[&str]) -> Option<String> {
    following.iter().take(3).find_map(|l| {
        let t = l.trim();
        let (label, value) = t.split_once(':')?;
        let title = value.trim();
        (label.trim().eq_ignore_ascii_case("TITLE") && !title.is_empty())
            .then(|| collapse_ws(title))
    })
}

/// Collects an article's citations section by section, once each in order of first
/// citation; an index by id keeps it linear in the number of citations.
#[derive(Debug)]
pub struct RefCollector {
    own: ArticleId,
    refs: Vec<Reference>,
    index: HashMap<ArticleId, usize>,
}

impl RefCollector {
    /// A collector for article `own`, whose citations of itself are skipped.
    pub fn new(own: ArticleId) -> Self {
        RefCollector {
            own,
            refs: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// Adds the citations of one section's lines; a title found later for an id first
    /// cited bare is filled in.
    pub fn add_section(&mut self, heading: &str, lines: &[&str]) {
        for (i, &line) in lines.iter().enumerate() {
            if !line.contains('Q') {
                continue;
            }
            let t = line.trim();
            let is_article_id = t
                .get(..10)
                .is_some_and(|p| p.eq_ignore_ascii_case("ARTICLE-ID"));
            for (n, (_, id)) in citations(line).enumerate() {
                if id == self.own {
                    continue;
                }
                let title = match (n, is_article_id) {
                    (0, true) => article_id_title(&lines[i + 1..]),
                    (0, false) => citation_title(line, lines.get(i + 1).copied()),
                    _ => None,
                };
                match self.index.get(&id) {
                    Some(&at) => {
                        let r = &mut self.refs[at];
                        if r.title.is_none() {
                            r.title = title;
                        }
                    }
                    None => {
                        self.index.insert(id, self.refs.len());
                        self.refs.push(Reference {
                            id,
                            title,
                            section: heading.to_string(),
                        });
                    }
                }
            }
        }
    }

    /// The citations collected, in order of first citation.
    pub fn finish(self) -> Vec<Reference> {
        self.refs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        let long = "   Q900002 XFOR: A Very Long Title That Runs All The Way To The Margin of";
        let cases = [
            (
                "   Q900070 XFOR: Event ID 70",
                None,
                Some("XFOR: Event ID 70"),
            ),
            ("Q900070: Colon Title", None, Some("Colon Title")),
            ("Q900070 - Dash Title", None, Some("Dash Title")),
            ("   Q900070BUG: Glued Title", None, Some("BUG: Glued Title")),
            ("   Q900070", None, None),
            ("see Q900070 for more", None, None),
            ("Q900070, Q900071", None, None),
            (
                long,
                Some("   the Page"),
                Some("XFOR: A Very Long Title That Runs All The Way To The Margin of the Page"),
            ),
            (
                long,
                Some(""),
                Some("XFOR: A Very Long Title That Runs All The Way To The Margin of"),
            ),
            (
                long,
                Some("   Q900003 Other"),
                Some("XFOR: A Very Long Title That Runs All The Way To The Margin of"),
            ),
            ("   Q900070 Short", Some("   Next line"), Some("Short")),
        ];
        for (line, next, want) in cases {
            assert_eq!(citation_title(line, next).as_deref(), want, "{line}");
        }
    }

    #[test]
    fn collects() {
        let lines = [
            "See Q900001 and Q900002, and this article Q900099.",
            "",
            "   Q900002 Second Title",
            "",
            "   ARTICLE-ID: Q900003",
            "",
            "   TITLE     : Third Title",
            "XQ900004 Q9000050 Q900001",
        ];
        let mut c = RefCollector::new(ArticleId(900099));
        c.add_section("MORE INFORMATION", &lines);
        c.add_section("REFERENCES", &["Later: Q900004, and Q900001 again."]);
        let refs = c.finish();
        let got: Vec<(u32, Option<&str>)> =
            refs.iter().map(|r| (r.id.0, r.title.as_deref())).collect();
        assert_eq!(
            got,
            [
                (900001, None),
                (900002, Some("Second Title")),
                (900003, Some("Third Title")),
                (900004, None)
            ]
        );
        let sections: Vec<&str> = refs.iter().map(|r| r.section.as_str()).collect();
        assert_eq!(
            sections,
            [
                "MORE INFORMATION",
                "MORE INFORMATION",
                "MORE INFORMATION",
                "REFERENCES"
            ]
        );
    }
}
