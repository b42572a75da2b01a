//! The in-memory inverted index search ranks with: per word, the articles holding it and how
//! often in the title, the symptoms and the rest; per article, its head (title and symptoms)
//! as word ids for phrase checks. Pure: built from documents the caller reads.

use super::compact::{Lists, PostingBuf, PostingIter, PostingLists, Vocab};
use super::query::{is_stopword, stem, tokens};
use crate::kb::ArticleId;
use std::collections::HashMap;

/// One article as the index reads it.
#[derive(Debug, Clone)]
pub struct IndexDoc {
    /// The article.
    pub id: ArticleId,
    /// Its title.
    pub title: String,
    /// Its SYMPTOMS section(s).
    pub symptoms: String,
    /// Everything else searchable.
    pub body: String,
    /// Category, product and title kind, for filters.
    pub category: String,
    /// The product line.
    pub product: String,
    /// The title kind (`XFOR`), `""` when none.
    pub kind: String,
    /// The products it is about: its product line and "applies to" items, as text.
    pub products: String,
    /// A catalogue article (bug list, README...): ranked after single-problem articles.
    pub catalogue: bool,
    /// Its "Additional query words": the words its authors expected searches to use.
    pub query_words: String,
}

/// One article holding one word: how often in each part (counts saturate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Posting {
    pub doc: u32,
    pub body: u16,
    pub title: u8,
    pub symptoms: u8,
}

/// What the index keeps of an article.
#[derive(Debug, Clone)]
pub(super) struct DocInfo {
    pub id: ArticleId,
    /// Words in all parts.
    pub len: u32,
    pub catalogue: bool,
    /// It has a SYMPTOMS section: a problem article, not a how-to or a note.
    pub problem: bool,
    pub category: u32,
    pub product: u32,
    pub kind: u32,
    /// Head words up to the end of the symptoms' first sentence (the title, the break and
    /// that sentence): the sentence that says what goes wrong.
    pub lead: u16,
}

/// A word in this many articles or fewer may be a typo the archive shares (`outlok`).
pub(super) const RARE: usize = 2;
/// A spelling offered for a rare word must be in this many times more articles.
const RARE_RATIO: usize = 50;
/// The longest word given spelling help or split in two.
const MAX_SPELLED: usize = 24;

/// Separates the title from the symptoms in a head.
pub(super) const HEAD_BREAK: u32 = u32::MAX;

/// What only building needs: the vocabulary as a map, postings as they arrive.
#[derive(Debug, Default)]
struct Building {
    terms: HashMap<String, u32>,
    /// The first spelling seen of each stem, for suggestions.
    surface: Vec<String>,
    postings: Vec<PostingBuf>,
}

/// The index of one generation of the archive. Articles are added, then [`Index::finish`]
/// packs it; look-ups answer from the packed index only.
#[derive(Debug, Default)]
pub struct Index {
    /// The store generation it was built from.
    pub generation: i64,
    building: Building,
    vocab: Vocab,
    postings: PostingLists,
    pub(super) docs: Vec<DocInfo>,
    /// Per article, its head: title and symptoms as word ids, [`HEAD_BREAK`] between.
    heads: Lists,
    /// Per article, the sorted word ids of its product lines.
    products: Lists,
    /// Per article, the sorted word ids of its "Additional query words".
    query_words: Lists,
    /// Per word, whether it is a stopword (left out of title shares).
    pub(super) stop: Vec<bool>,
    by_id: HashMap<ArticleId, u32>,
    pub(super) labels: Vec<String>,
    label_ids: HashMap<String, u32>,
    pub(super) avg_len: f32,
}

impl Index {
    /// An empty index for `generation`; add documents with [`Index::add`].
    pub fn new(generation: i64) -> Self {
        Self {
            generation,
            ..Self::default()
        }
    }

    /// Articles indexed.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether no article is indexed.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    fn label(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.label_ids.get(s) {
            return i;
        }
        let i = self.labels.len() as u32;
        self.labels.push(s.to_string());
        self.label_ids.insert(s.to_string(), i);
        i
    }

    fn term(&mut self, stemmed: String, surface: &str) -> u32 {
        let b = &mut self.building;
        if let Some(&t) = b.terms.get(&stemmed) {
            return t;
        }
        let t = b.postings.len() as u32;
        b.postings.push(PostingBuf::default());
        self.stop.push(is_stopword(surface));
        b.surface.push(surface.to_string());
        b.terms.insert(stemmed, t);
        t
    }

    /// Adds one article (each id once; documents arrive in any order), before
    /// [`Index::finish`].
    pub fn add(&mut self, d: &IndexDoc) {
        let doc = self.docs.len() as u32;
        let mut counts: HashMap<u32, (u8, u8, u16)> = HashMap::new();
        let mut head = Vec::new();
        let mut len = 0u32;
        for (part, text) in [(0, &d.title), (1, &d.symptoms), (2, &d.body)] {
            if part == 1 {
                head.push(HEAD_BREAK);
            }
            for word in tokens(text) {
                let t = self.term(stem(&word), &word);
                len += 1;
                let c = counts.entry(t).or_default();
                match part {
                    0 => c.0 = c.0.saturating_add(1),
                    1 => c.1 = c.1.saturating_add(1),
                    _ => c.2 = c.2.saturating_add(1),
                }
                if part < 2 {
                    head.push(t);
                }
            }
        }
        for (t, (title, symptoms, body)) in counts {
            self.building.postings[t as usize].push(Posting {
                doc,
                body,
                title,
                symptoms,
            });
        }
        // The title, the break, the symptoms' first sentence.
        let lead = tokens(&d.title).len() + 1 + tokens(first_sentence(&d.symptoms)).len();
        let info = DocInfo {
            id: d.id,
            len,
            catalogue: d.catalogue,
            problem: !d.symptoms.trim().is_empty(),
            category: self.label(&d.category),
            product: self.label(&d.product),
            kind: self.label(&d.kind),
            lead: u16::try_from(lead).unwrap_or(u16::MAX),
        };
        let products = self.word_set(&d.products);
        self.products.push(&products);
        let query_words = self.word_set(&d.query_words);
        self.query_words.push(&query_words);
        self.by_id.insert(d.id, doc);
        self.docs.push(info);
        self.heads.push(&head);
    }

    /// The sorted, distinct word ids of `text` (new words join the vocabulary).
    fn word_set(&mut self, text: &str) -> Vec<u32> {
        let mut ids: Vec<u32> = tokens(text).iter().map(|w| self.term(stem(w), w)).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Finishes building: the average length, and the vocabulary and postings packed.
    pub fn finish(&mut self) {
        let total: u64 = self.docs.iter().map(|d| u64::from(d.len)).sum();
        self.avg_len = (total as f32 / self.docs.len().max(1) as f32).max(1.0);
        let b = std::mem::take(&mut self.building);
        self.vocab = Vocab::new(b.terms, b.surface);
        self.postings = PostingLists::pack(b.postings);
        for lists in [&mut self.heads, &mut self.products, &mut self.query_words] {
            lists.shrink();
        }
        self.docs.shrink_to_fit();
        self.stop.shrink_to_fit();
    }

    /// The id of a stemmed word, when the archive holds it.
    pub(super) fn term_id(&self, stemmed: &str) -> Option<u32> {
        self.vocab.get(stemmed)
    }

    /// Word `t`'s postings, in article order.
    pub(super) fn postings(&self, t: u32) -> PostingIter<'_> {
        self.postings.iter(t)
    }

    /// How many articles hold word `t`.
    pub(super) fn doc_freq(&self, t: u32) -> usize {
        self.postings.len(t)
    }

    /// Article `d`'s head: its title, [`HEAD_BREAK`], its symptoms, as word ids.
    pub(super) fn head(&self, d: usize) -> &[u32] {
        self.heads.get(d)
    }

    /// Article `d`'s product words, sorted.
    pub(super) fn products(&self, d: usize) -> &[u32] {
        self.products.get(d)
    }

    /// Article `d`'s "Additional query words", sorted.
    pub(super) fn query_words(&self, d: usize) -> &[u32] {
        self.query_words.get(d)
    }

    /// The index's number for an article, when indexed.
    pub(super) fn doc_of(&self, id: ArticleId) -> Option<u32> {
        self.by_id.get(&id).copied()
    }

    /// How many articles hold a stemmed word.
    pub fn doc_count(&self, stemmed: &str) -> usize {
        self.term_id(stemmed).map_or(0, |t| self.doc_freq(t))
    }

    /// The archive's own word closest to `word` (one edit away, the most widespread), for
    /// "did you mean". `None` when `word` is not rare in the archive or nothing is near it.
    pub fn suggest(&self, word: &str) -> Option<String> {
        self.suggest_rare(word, RARE)
    }

    /// As [`Index::suggest`], a word in up to `rare` articles taken for a possible typo.
    pub fn suggest_rare(&self, word: &str, rare: usize) -> Option<String> {
        let n = word.chars().count();
        // Longer words are pasted codes or noise, not typos; each length costs look-ups.
        let own = self.doc_count(&stem(word));
        if !(4..=MAX_SPELLED).contains(&n) || own > rare {
            return None;
        }
        let chars: Vec<char> = word.chars().collect();
        let mut best: Option<(usize, u32)> = None;
        let mut consider = |cand: String| {
            if let Some(t) = self.term_id(&stem(&cand)) {
                let n = self.doc_freq(t);
                if n >= 2 && n >= own * RARE_RATIO && best.is_none_or(|(b, _)| n > b) {
                    best = Some((n, t));
                }
            }
        };
        const LETTERS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
        for i in 0..=chars.len() {
            for c in LETTERS.chars() {
                let mut ins = chars.clone();
                ins.insert(i, c);
                consider(ins.into_iter().collect());
                if i < chars.len() {
                    let mut rep = chars.clone();
                    rep[i] = c;
                    consider(rep.into_iter().collect());
                }
            }
            if i < chars.len() {
                let mut del = chars.clone();
                del.remove(i);
                consider(del.into_iter().collect());
            }
            if i + 1 < chars.len() {
                let mut tr = chars.clone();
                tr.swap(i, i + 1);
                consider(tr.into_iter().collect());
            }
        }
        best.map(|(_, t)| self.vocab.surface(t).to_string())
    }

    /// Splits a word the archive lacks into two it has (`ccmail` → `cc mail`).
    pub fn split(&self, word: &str) -> Option<(String, String)> {
        if !(5..=MAX_SPELLED).contains(&word.len())
            || !word.is_ascii()
            || self.doc_count(&stem(word)) > 0
        {
            return None;
        }
        (2..word.len() - 1)
            .map(|k| (&word[..k], &word[k..]))
            .filter(|(a, b)| self.doc_count(&stem(a)) >= 20 && self.doc_count(&stem(b)) >= 20)
            .max_by_key(|(a, b)| self.doc_count(&stem(a)).min(self.doc_count(&stem(b))))
            .map(|(a, b)| (a.to_string(), b.to_string()))
    }
}

/// The first sentence of `text`: up to the first full stop, question or exclamation mark
/// followed by a space or the end (not the dot inside `4.0` or `WIN.INI`), or a blank line.
pub(super) fn first_sentence(text: &str) -> &str {
    let text = text.trim_start();
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let next = bytes.get(i + 1).copied();
        let ends = matches!(b, b'.' | b'?' | b'!') && next.is_none_or(|n| n.is_ascii_whitespace());
        if ends {
            return &text[..=i];
        }
        if b == b'\n'
            && text[i + 1..]
                .trim_start_matches([' ', '\t', '\r'])
                .starts_with('\n')
        {
            return &text[..i];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentences_end_at_a_stop_not_inside_a_version() {
        let cases = [
            ("Setup fails. Then it hangs.", "Setup fails."),
            (
                "  Windows NT 4.0 hangs when WIN.INI is read. More",
                "Windows NT 4.0 hangs when WIN.INI is read.",
            ),
            ("Why does it stop? Nobody knows.", "Why does it stop?"),
            ("Error message:\n\n   Cannot open file\n", "Error message:"),
            (
                "one line\nwrapped on the next",
                "one line\nwrapped on the next",
            ),
            ("", ""),
        ];
        for (text, want) in cases {
            assert_eq!(first_sentence(text), want, "{text:?}");
        }
    }

    pub(crate) fn doc(id: u32, title: &str, symptoms: &str, body: &str) -> IndexDoc {
        IndexDoc {
            id: ArticleId(id),
            title: title.into(),
            symptoms: symptoms.into(),
            body: body.into(),
            category: "win95".into(),
            product: String::new(),
            kind: String::new(),
            products: String::new(),
            query_words: String::new(),
            catalogue: false,
        }
    }

    #[test]
    fn counts_words_per_part_and_suggests_spellings() {
        let mut ix = Index::new(1);
        ix.add(&doc(
            1,
            "Outlook crashes",
            "Outlook stops responding",
            "attachment",
        ));
        ix.add(&doc(2, "Outlook attachments", "", "cc mail gateway"));
        ix.add(&doc(3, "Mail gateway", "", "cc mail"));
        ix.finish();
        assert_eq!(ix.doc_count("outlook"), 2);
        assert_eq!(ix.doc_count(&stem("attachments")), 2);
        assert_eq!(ix.doc_count("nothing"), 0);
        let t = ix.term_id("outlook").unwrap();
        let p = ix.postings(t).next().unwrap();
        assert_eq!((p.title, p.symptoms, p.body), (1, 1, 0));
        assert_eq!(ix.suggest("outlok").as_deref(), Some("outlook"));
        assert_eq!(ix.suggest("outlook"), None);
        // One article's typo is still a typo when the right spelling is everywhere.
        let mut big = Index::new(2);
        big.add(&doc(1, "outlok", "", ""));
        for i in 2..120 {
            big.add(&doc(i, "outlook", "", ""));
        }
        big.finish();
        assert_eq!(big.suggest("outlok").as_deref(), Some("outlook"));
        assert_eq!(ix.suggest("zzzzzz"), None);
        assert!(ix.head(0).contains(&HEAD_BREAK));
    }
}
