//! The article header: the `DOCUMENT:` line and the `TITLE`/`PRODUCT`/... lines under it.

use super::{ArticleId, ParseError};

/// What the header lines say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The article number.
    pub id: ArticleId,
    /// The date as ISO `YYYY-MM-DD`.
    pub date: String,
    /// The bracketed tag.
    pub category: String,
    /// The `TITLE` value.
    pub title: String,
    /// The `PRODUCT` value.
    pub product: String,
    /// The `PROD/VER` value.
    pub versions: String,
    /// The `OPER/SYS` value.
    pub os: String,
    /// The `KEYWORDS` words.
    pub keywords: Vec<String>,
}

/// The parts of `DOCUMENT:Q168465  27-MAY-1999  [exchange]`: id, ISO date and category.
pub fn parse_document_line(line: &str) -> Result<(ArticleId, String, String), ParseError> {
    let bad = |why: &str| ParseError::BadHeader {
        line: 1,
        why: why.to_string(),
    };
    let rest = line
        .strip_prefix("DOCUMENT:")
        .ok_or(ParseError::NotAnArticle)?;
    let mut words = rest.split_whitespace();
    let id_word = words
        .next()
        .ok_or_else(|| bad("no article id after DOCUMENT:"))?;
    if !id_word.starts_with(['Q', 'q']) {
        return Err(bad(&format!("{id_word:?} is not an article id")));
    }
    let id = id_word
        .parse::<ArticleId>()
        .map_err(|e| bad(&e.to_string()))?;
    let date = iso_date(
        words
            .next()
            .ok_or_else(|| ParseError::BadDate(String::new()))?,
    )?;
    // The category is the bracketed rest of the line; it may be missing or hold spaces.
    let category = match (rest.find('['), rest.rfind(']')) {
        (Some(a), Some(b)) if a < b => rest[a + 1..b].trim().to_string(),
        _ => String::new(),
    };
    Ok((id, date, category))
}

/// Converts `27-MAY-1999` to `1999-05-27`.
pub fn iso_date(s: &str) -> Result<String, ParseError> {
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    let bad = || ParseError::BadDate(s.to_string());
    let mut parts = s.split('-');
    let (Some(d), Some(m), Some(y), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(d) && d.len() <= 2 && all_digits(y) && y.len() == 4) {
        return Err(bad());
    }
    let day: u32 = d.parse().map_err(|_| bad())?;
    let month = MONTHS
        .iter()
        .position(|n| n.eq_ignore_ascii_case(m))
        .ok_or_else(bad)?
        + 1;
    if !(1..=31).contains(&day) {
        return Err(bad());
    }
    Ok(format!("{y}-{month:02}-{day:02}"))
}

/// Splits `TITLE   :value` into the label and value; `None` when the line has no label.
pub fn header_field(line: &str) -> Option<(&str, &str)> {
    let (label, value) = line.split_once(':')?;
    let label = label.trim_end();
    // Header labels are short upper-case words, possibly with a slash (PROD/VER).
    let ok = !label.is_empty()
        && label.len() <= 10
        && label.bytes().all(|b| b.is_ascii_uppercase() || b == b'/');
    ok.then(|| (label, value.trim()))
}

/// Parses the header lines; returns the header and the index of the first line after it.
pub fn parse_header(lines: &[&str]) -> Result<(Header, usize), ParseError> {
    let first = lines.first().copied().unwrap_or_default();
    let (id, date, category) = parse_document_line(first.trim_start_matches('\u{feff}'))?;
    let mut h = Header {
        id,
        date,
        category,
        title: String::new(),
        product: String::new(),
        versions: String::new(),
        os: String::new(),
        keywords: Vec::new(),
    };
    let mut seen_title = false;
    let mut end = 1;
    while let Some((label, value)) = lines.get(end).and_then(|l| header_field(l)) {
        match label {
            "TITLE" => {
                h.title = value.to_string();
                seen_title = true;
            }
            "PRODUCT" => h.product = value.to_string(),
            // Some files write `PROD/VER::4.0`; the colon is part of the label's punctuation.
            "PROD/VER" => h.versions = value.trim_start_matches(':').trim().to_string(),
            "OPER/SYS" => h.os = value.to_string(),
            "KEYWORDS" => h.keywords = value.split_whitespace().map(str::to_string).collect(),
            // Any other upper-case label would be a new header field; keep reading past it.
            _ => {}
        }
        end += 1;
    }
    if !seen_title {
        return Err(ParseError::BadHeader {
            line: 2,
            why: "no TITLE line".to_string(),
        });
    }
    Ok((h, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let cases = [
            ("27-MAY-1999", Some("1999-05-27")),
            ("03-NOV-1994", Some("1994-11-03")),
            ("3-jan-2001", Some("2001-01-03")),
            ("27-MAX-1999", None),
            ("27-MAY-99", None),
            ("00-MAY-1999", None),
            ("27/05/1999", None),
            ("", None),
            ("1-2-3-4", None),
        ];
        for (raw, want) in cases {
            assert_eq!(iso_date(raw).ok().as_deref(), want, "{raw}");
        }
    }

    #[test]
    fn document_lines() {
        let ok = parse_document_line("DOCUMENT:Q900068  27-MAY-1999  [exchange]").unwrap();
        assert_eq!(
            ok,
            (ArticleId(900068), "1999-05-27".into(), "exchange".into())
        );
        let short = parse_document_line("DOCUMENT:Q81446  03-NOV-1994  [dosword]").unwrap();
        assert_eq!(short.0, ArticleId(81446));
        let no_cat = parse_document_line("DOCUMENT:Q900001  01-JAN-2000").unwrap();
        assert_eq!(no_cat.2, "");
        let errs = [
            ("TITLE:x", "does not start"),
            ("DOCUMENT:", "no article id"),
            ("DOCUMENT:X12  27-MAY-1999", "not an article id"),
            ("DOCUMENT:Q12", "bad date"),
            ("DOCUMENT:Q12 junk [x]", "bad date"),
        ];
        for (line, want) in errs {
            let e = parse_document_line(line).unwrap_err().to_string();
            assert!(e.contains(want), "{line}: {e}");
        }
    }

    #[test]
    fn header_fields() {
        let cases = [
            (
                "TITLE   :XFOR: Event ID 68",
                Some(("TITLE", "XFOR: Event ID 68")),
            ),
            (
                "PROD/VER:winnt:5.0,5.5",
                Some(("PROD/VER", "winnt:5.0,5.5")),
            ),
            ("OPER/SYS:", Some(("OPER/SYS", ""))),
            ("", None),
            ("Some text: here", None),
        ];
        for (line, want) in cases {
            assert_eq!(header_field(line), want, "{line}");
        }
    }

    #[test]
    fn whole_header() {
        let lines = [
            "DOCUMENT:Q900001  02-FEB-2000  [winnt]",
            "TITLE   :A Title",
            "PRODUCT :Prod",
            "PROD/VER::4.0",
            "OPER/SYS:WINNT",
            "KEYWORDS:kbone kbtwo",
            "",
            "=====",
        ];
        let (h, end) = parse_header(&lines).unwrap();
        assert_eq!(end, 6);
        assert_eq!(h.title, "A Title");
        assert_eq!(h.versions, "4.0");
        assert_eq!(h.keywords, ["kbone", "kbtwo"]);
        assert!(parse_header(&lines[..1]).is_err());
        assert!(parse_header(&[]).is_err());
    }
}
