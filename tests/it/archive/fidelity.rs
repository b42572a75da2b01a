//! Fidelity to the archive, checked over the whole of it: ids as the archive writes them,
//! every citation a reference, and article pages that keep every word of their sections.

use crate::common::{Reply, TestApp};
use kbfix::kb::ArticleId;
use std::collections::HashSet;

/// Ids are shown and linked as the archive writes them; padded spellings redirect.
pub async fn archive_ids(app: &TestApp) {
    let page = app.get("/articles/Q10022").await;
    assert_eq!(page.status, 200);
    for old in ["/articles/Q010022", "/articles/KB10022", "/articles/10022"] {
        let reply = app.get(old).await;
        assert_eq!(reply.status, 308, "{old}");
        assert_eq!(reply.location(), "/articles/Q10022", "{old}");
    }
    let json = app.get("/api/articles/Q10022").await.json();
    assert_eq!(json["id"], "Q10022");
}

/// Q140073 cites the five-digit Q92438, and Q92438 is referenced by it.
pub async fn five_digit_citations(app: &TestApp) {
    let json = app.get("/api/articles/Q140073").await.json();
    let cited: Vec<&str> = json["references"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(cited.contains(&"Q92438"), "{cited:?}");
    let json = app.get("/api/articles/Q92438").await.json();
    let by: Vec<&str> = json["referenced_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(by.contains(&"Q140073"), "{by:?}");
    let page = app.get("/articles/Q140073").await;
    assert!(
        page.body
            .contains(r#"<a href="/articles/Q92438">Q92438</a>"#)
    );
}

/// `Q` and digits standing after a non-letter: a looser reading than the parser's, so that
/// citations it misses are counted against it.
fn q_numbers(line: &str) -> impl Iterator<Item = u32> + '_ {
    let b = line.as_bytes();
    (0..b.len()).filter_map(move |i| {
        let before_ok = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        if b[i] != b'Q' || !before_ok {
            return None;
        }
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        line[i + 1..i + 1 + digits]
            .parse()
            .ok()
            .filter(|_| digits > 0)
    })
}

/// At least 99.5% of the Q-number citations of archived articles in the original texts
/// (outside the "Additional query words" line) are references.
pub async fn citation_coverage(app: &TestApp) {
    let mut all = Vec::new();
    let mut first = 0;
    loop {
        let page = app
            .store
            .articles_between(first, i64::from(u32::MAX), 2_000)
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        first = i64::from(last.article.id.0) + 1;
        all.extend(page.into_iter().map(|s| s.article));
    }
    let archived: HashSet<u32> = all.iter().map(|a| a.id.0).collect();
    let (mut cited, mut kept, mut five_digit_kept) = (0usize, 0usize, 0usize);
    let mut missed = Vec::new();
    for a in &all {
        let refs: HashSet<u32> = a.references.iter().map(|r| r.id.0).collect();
        let text = app
            .store
            .article_source(a.id)
            .await
            .unwrap()
            .expect("source");
        let mut seen = HashSet::new();
        for line in text.lines().skip(1) {
            if line.starts_with("Additional query words") {
                continue;
            }
            for n in q_numbers(line) {
                if n == a.id.0 || !archived.contains(&n) || !seen.insert(n) {
                    continue;
                }
                cited += 1;
                if refs.contains(&n) {
                    kept += 1;
                    five_digit_kept += usize::from(n < 100_000);
                } else if missed.len() < 10 {
                    missed.push(format!("{} -> Q{n}: {line}", a.id));
                }
            }
        }
    }
    let share = kept as f64 / cited as f64;
    println!(
        "citations of archived articles: {kept} of {cited} are references ({:.2}%), {five_digit_kept} five-digit",
        share * 100.0
    );
    assert!(share >= 0.995, "{kept} of {cited}; missed e.g. {missed:#?}");
    assert!(five_digit_kept >= 500, "only {five_digit_kept} five-digit");
}

/// The HTML of one section of an article page, by its anchor.
fn section<'a>(page: &'a Reply, anchor: &str) -> &'a str {
    let body = &page.body;
    let start = body
        .find(&format!("<section class=\"kb-section\" id=\"{anchor}\">"))
        .unwrap_or_else(|| panic!("no section #{anchor}"));
    let len = body[start..].find("</section>").unwrap();
    &body[start..start + len]
}

/// The issue's examples: paragraphs, an `<ol>` 1–3 and a link in Q168465; Q177103's
/// listing and Q268324's table in `<pre>` with their lines and columns.
pub async fn pages_read_like_articles(app: &TestApp) {
    let page = app.get("/articles/Q168465").await;
    let res = section(&page, "resolution");
    assert_eq!(
        res.matches("<p>If you are connecting to a Lotus cc:Mail")
            .count(),
        2,
        "{res}"
    );
    assert_eq!(res.matches("<ol>").count(), 1, "{res}");
    for n in 1..=3 {
        assert!(res.contains(&format!("<li value=\"{n}\">")), "{res}");
    }
    assert!(!res.contains("<li value=\"4\">"));
    assert!(!res.contains("<pre>"), "{res}");
    let more = section(&page, "more-information");
    assert!(more.contains(r#"<a href="/articles/Q166045">Q166045</a>"#));

    let page = app.get("/articles/Q177103").await;
    let res = section(&page, "resolution");
    assert!(
        res.contains(
            "<pre>LRESULT CMyPropPage::WindowProc(UINT msg, WPARAM wParam, LPARAM lParam)\n{\n\n   \
             //Return without processing if WM_SYSCOMMAND.\n   if (WM_SYSCOMMAND == msg)\n      \
             return TRUE;\n   else\n      return COlePropertyPage::WindowProc(msg, wParam, lParam);\n}</pre>"
        ),
        "{res}"
    );
    let page = app.get("/articles/Q268324").await;
    let res = section(&page, "resolution");
    assert!(
        res.contains(
            "| File name    | Version     |\n+----------------------------+\n\
             | Emsabp32.dll | 5.5.2654.5  |"
        ),
        "{res}"
    );
}

/// Every word of a section is on its page: for 1,000 articles spread over the archive, the
/// text of each rendered section equals the section's text modulo whitespace. List markers
/// (drawn by the browser) and the `-`/`=` underlines of sub-headings are set aside on both
/// sides.
pub async fn page_text_is_section_text(app: &TestApp) {
    let ids: Vec<(i64,)> = sqlx_ids(app).await;
    let step = (ids.len() / 1_000).max(1);
    let mut checked = 0;
    for &(id,) in ids.iter().step_by(step).take(1_000) {
        let id = ArticleId(id as u32);
        let stored = app.store.article(id).await.unwrap().unwrap();
        let page = app.get(&format!("/articles/{id}")).await;
        assert_eq!(page.status, 200, "{id}");
        let mut html = page.body.as_str();
        for s in &stored.article.sections {
            let at = html
                .find("<section class=\"kb-section\"")
                .expect("a section");
            let end = at + html[at..].find("</section>").unwrap();
            let mut inner = &html[at..end];
            if let Some(h) = inner.find("</h2>") {
                inner = &inner[h + 5..];
            } else if let Some(open) = inner.find('>') {
                inner = &inner[open + 1..];
            }
            assert_eq!(
                squash(&text_of(inner)),
                squash(&s.text),
                "{id} section {:?}",
                s.heading
            );
            html = &html[end..];
        }
        checked += 1;
    }
    assert_eq!(checked, 1_000);
}

async fn sqlx_ids(app: &TestApp) -> Vec<(i64,)> {
    let mut ids = Vec::new();
    let mut first = 0;
    loop {
        let page = app
            .store
            .articles_between(first, i64::from(u32::MAX), 5_000)
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        first = i64::from(last.article.id.0) + 1;
        ids.extend(page.iter().map(|s| (i64::from(s.article.id.0),)));
    }
    ids
}

/// The text of HTML: tags become spaces, the five escapes are undone.
fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// The words of a text without list markers and rules, joined with nothing between them.
fn squash(text: &str) -> String {
    let marker = |w: &str| {
        let b = w.as_bytes();
        w == "-"
            || w == "*"
            || (b.len() >= 2
                && matches!(b[b.len() - 1], b'.' | b')')
                && (b[..b.len() - 1].iter().all(u8::is_ascii_digit) && b.len() <= 3
                    || b.len() == 2 && b[0].is_ascii_lowercase()))
    };
    let rule =
        |w: &str| w.len() >= 2 && (w.bytes().all(|b| b == b'-') || w.bytes().all(|b| b == b'='));
    text.split_whitespace()
        .filter(|w| !marker(w) && !rule(w))
        .collect()
}
