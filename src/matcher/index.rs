//! The quoted events held in memory, keyed for the matcher's lookups.

use super::similarity::{Shape, Token, shape, similarity};
use crate::kb::{ArticleId, NO_EVENT_ID};
use crate::store::EventCandidate;
use std::collections::{HashMap, HashSet};

/// One quoted event, with its description already cut into a shape.
#[derive(Debug, Clone)]
pub struct QuoteEntry {
    /// The quoting article.
    pub article: ArticleId,
    /// Its title.
    pub title: String,
    /// The event id.
    pub event_id: u32,
    /// The source as written.
    pub source: Option<String>,
    /// The event type.
    pub kind: Option<String>,
    /// The description's shape.
    pub shape: Shape,
    /// Whether the description followed a `Description:` label in the article.
    pub labelled: bool,
    /// Whether the article wrote several of its fields on one line.
    pub inline: bool,
    /// How many articles quote this event with the same words (this one included).
    pub twins: u32,
    /// How many articles quote this event (same id and source) with a description much
    /// like this one (this one included): how typical this quote is of the event.
    pub support: u32,
    /// The old Windows the article was written for when it applies to nothing newer
    /// ("Windows NT 4.0"), for saying so to a paste from a later Windows.
    pub written_for: Option<String>,
}

/// Every quoted event of the archive, by (folded source, id) and by id.
#[derive(Debug, Default)]
pub struct EventIndex {
    /// The store generation this was built from.
    pub generation: i64,
    /// How many articles the archive held then.
    pub articles: i64,
    quotes: Vec<QuoteEntry>,
    by_key: HashMap<(String, u32), Vec<usize>>,
    by_id: HashMap<u32, Vec<usize>>,
    by_source: HashMap<String, Vec<usize>>,
    /// Quotes of a source's message without an event id, by folded source: kept apart, as
    /// no lookup by id may find them.
    unnumbered: HashMap<String, Vec<QuoteEntry>>,
    placeholder: bool,
}

impl EventIndex {
    /// An index that holds nothing and is rebuilt on first use.
    pub fn empty() -> Self {
        Self {
            placeholder: true,
            ..Self::default()
        }
    }

    /// Whether this is the placeholder made before the first build.
    pub fn is_empty_placeholder(&self) -> bool {
        self.placeholder
    }

    /// Builds the index from the store's quoted events.
    pub fn build(generation: i64, rows: Vec<EventCandidate>) -> Self {
        let mut index = Self {
            generation,
            ..Self::default()
        };
        for row in rows {
            let Ok(event_id) = u32::try_from(row.event_id) else {
                continue;
            };
            let key = row.source_key.clone();
            let entry = QuoteEntry {
                article: row.article_id,
                title: row.title,
                event_id,
                source: row.source,
                kind: row.kind,
                shape: shape(row.description.as_deref().unwrap_or("")),
                labelled: row.description_labelled,
                inline: row.inline_fields,
                twins: 1,
                support: 1,
                written_for: written_for(&row.applies_to),
            };
            if event_id == NO_EVENT_ID {
                index.unnumbered.entry(key).or_default().push(entry);
                continue;
            }
            let i = index.quotes.len();
            index
                .by_key
                .entry((key.clone(), event_id))
                .or_default()
                .push(i);
            index.by_id.entry(event_id).or_default().push(i);
            index.by_source.entry(key).or_default().push(i);
            index.quotes.push(entry);
        }
        index.count_twins();
        index.count_support();
        index
    }

    /// Sets each quote's `twins`: the articles quoting the same event id with the same words.
    fn count_twins(&mut self) {
        fn key(q: &QuoteEntry) -> (u32, Vec<&Token>) {
            let words = q
                .shape
                .tokens
                .iter()
                .filter(|t| matches!(t, Token::Word(_)));
            (q.event_id, words.collect())
        }
        let mut groups: HashMap<(u32, Vec<&Token>), HashSet<ArticleId>> = HashMap::new();
        for q in &self.quotes {
            groups.entry(key(q)).or_default().insert(q.article);
        }
        let counts: Vec<u32> = self
            .quotes
            .iter()
            .map(|q| groups.get(&key(q)).map_or(1, |g| g.len() as u32))
            .collect();
        for (q, n) in self.quotes.iter_mut().zip(counts) {
            q.twins = n;
        }
    }

    /// Sets each quote's `support`: the articles quoting the same (source, id) with a
    /// description at least `TYPICAL` alike, either way round.
    fn count_support(&mut self) {
        const TYPICAL: f64 = 0.7;
        let mut support = vec![1u32; self.quotes.len()];
        for members in self.by_key.values() {
            for &i in members {
                let q = &self.quotes[i];
                let mut alike: HashSet<ArticleId> = HashSet::from([q.article]);
                for &j in members {
                    let o = &self.quotes[j];
                    if alike.contains(&o.article) {
                        continue;
                    }
                    let sim = similarity(&q.shape, &o.shape)
                        .score
                        .max(similarity(&o.shape, &q.shape).score);
                    if sim >= TYPICAL {
                        alike.insert(o.article);
                    }
                }
                support[i] = alike.len() as u32;
            }
        }
        for (q, n) in self.quotes.iter_mut().zip(support) {
            q.support = n;
        }
    }

    /// Whether any article quotes event `id` from the folded source `key`.
    pub fn has(&self, key: &str, id: u32) -> bool {
        self.by_key.contains_key(&(key.to_string(), id))
    }

    /// The quotes of event `id` from the folded source `key`.
    pub fn by_event(&self, key: &str, id: u32) -> Vec<&QuoteEntry> {
        self.pick(self.by_key.get(&(key.to_string(), id)))
    }

    /// The quotes of event `id` from any source.
    pub fn by_id(&self, id: u32) -> Vec<&QuoteEntry> {
        self.pick(self.by_id.get(&id))
    }

    /// The quotes of any event from the folded source `key`.
    pub fn by_source(&self, key: &str) -> Vec<&QuoteEntry> {
        self.pick(self.by_source.get(key))
    }

    /// The quotes of a message from the folded source `key` that name no event id.
    pub fn unnumbered(&self, key: &str) -> &[QuoteEntry] {
        self.unnumbered.get(key).map_or(&[], Vec::as_slice)
    }

    /// Every quote with an event id.
    pub fn all(&self) -> impl Iterator<Item = &QuoteEntry> {
        self.quotes.iter()
    }

    /// How many quotes the index holds.
    pub fn len(&self) -> usize {
        self.quotes.len()
    }

    /// Whether the index holds no quote.
    pub fn is_empty(&self) -> bool {
        self.quotes.is_empty()
    }

    fn pick(&self, ids: Option<&Vec<usize>>) -> Vec<&QuoteEntry> {
        ids.map(|v| v.iter().map(|&i| &self.quotes[i]).collect())
            .unwrap_or_default()
    }
}

/// The Windows NT release an article was written for, when its applies-to list names NT
/// and nothing later (2000, XP, 2003, Vista, 7, 2008 and on).
fn written_for(applies_to_json: &str) -> Option<String> {
    let items: Vec<String> = serde_json::from_str(applies_to_json).ok()?;
    const LATER: &[&str] = &[
        "2000",
        "XP",
        "2003",
        "Vista",
        "2008",
        "Windows 7",
        "Windows 8",
        "Windows 10",
        "2012",
    ];
    let later = items.iter().any(|i| LATER.iter().any(|l| i.contains(l)));
    if later {
        return None;
    }
    let nt: Vec<&String> = items.iter().filter(|i| i.contains("Windows NT")).collect();
    let version = ["4.0", "3.51", "3.5", "3.1"]
        .into_iter()
        .find(|v| nt.iter().any(|i| i.contains(v)))?;
    Some(format!("Windows NT {version}"))
}

#[cfg(test)]
impl EventIndex {
    /// An index of made-up quotes for unit tests: (article, id, source, message), each
    /// labelled and in an article titled "Article N".
    /// Two made-up print-spooler quotes of source SpoolX: 4410 (articles 101) and 4411 (102).
    pub(crate) fn spooler() -> EventIndex {
        EventIndex::of_quotes(&[
            (
                101,
                4410,
                "SpoolX",
                "The print queue %1 could not reach its port %2 and was paused.",
            ),
            (
                102,
                4411,
                "SpoolX",
                "Spooler restarted itself on behalf of %1.",
            ),
        ])
    }

    pub(crate) fn of_quotes(quotes: &[(i64, u32, &str, &str)]) -> EventIndex {
        let rows = quotes
            .iter()
            .map(
                |&(article, id, source, message)| crate::store::EventCandidate {
                    article_id: ArticleId::try_from(article).unwrap(),
                    title: format!("Article {article}"),
                    event_id: i64::from(id),
                    source: Some(source.to_string()),
                    source_key: crate::kb::fold_source(source),
                    kind: None,
                    description: Some(message.to_string()),
                    description_labelled: true,
                    inline_fields: false,
                    applies_to: "[]".into(),
                },
            )
            .collect();
        EventIndex::build(1, rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_for_old_windows_only() {
        let cases = [
            (
                r#"["Microsoft Windows NT Server version 4.0"]"#,
                Some("Windows NT 4.0"),
            ),
            (
                r#"["Microsoft Windows NT Workstation version 3.51", "Microsoft Windows NT Server version 3.51"]"#,
                Some("Windows NT 3.51"),
            ),
            (
                r#"["Microsoft Windows NT Server version 4.0", "Microsoft Windows 2000 Server"]"#,
                None,
            ),
            (r#"["Microsoft Exchange Server 5.5"]"#, None),
            ("not json", None),
        ];
        for (json, want) in cases {
            assert_eq!(written_for(json).as_deref(), want, "{json}");
        }
    }
}
