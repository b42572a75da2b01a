//! Each article's text as stored: its full-text columns (symptoms and the rest, as indexed),
//! the original, the sections (with their blocks) and the wizard's diagnosis, packed into
//! one deflated value. The parts quote one another almost word for word, so deflated
//! together they cost little more than one: one copy of the text where there were five
//! (the full-text index keeps none, `migrations/0080_fts_contentless.sql`). Encoded on the
//! import's reader thread; the full-text columns come first, so reading them (search
//! snippets, the search index's build) inflates only the front of the value.

use super::{Db, Store, StoreError, pg};
use crate::kb::{self, ArticleId, Diagnosis, Section};
use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use sqlx::SqlitePool;
use std::cell::RefCell;
use std::io::{Read, Write};

/// An article's original text, sections and diagnosis, deflated together.
#[derive(Debug, Clone, Default)]
pub struct Packed(pub Vec<u8>);

impl Packed {
    /// Packs an article's full-text columns `fts`, its original `text`, its sections and its
    /// `diagnosis` (as JSON, worked out once at import: `ImportedArticle::new`). The fast
    /// level: within a few percent of the default's size on this text at a fraction of its
    /// time.
    pub fn new(
        fts: &FtsText,
        text: &str,
        article: &kb::Article,
        diagnosis: &str,
    ) -> Result<Self, StoreError> {
        let sections = serde_json::to_vec(&article.sections)?;
        let diagnosis = diagnosis.as_bytes();
        let (symptoms, body) = (fts.symptoms.as_bytes(), fts.body.as_bytes());
        // One encoder per thread, reset between articles: a new one per article allocated
        // (and the kernel zeroed) its several hundred KB of state each time.
        thread_local! {
            static ENCODER: RefCell<DeflateEncoder<Vec<u8>>> =
                RefCell::new(DeflateEncoder::new(Vec::new(), Compression::fast()));
        }
        ENCODER
            .with_borrow_mut(|enc| {
                // Each part goes straight into the encoder, not first into one buffer of all.
                for part in [symptoms, body, text.as_bytes(), &sections] {
                    enc.write_all(&(part.len() as u32).to_le_bytes())?;
                    enc.write_all(part)?;
                }
                enc.write_all(diagnosis)?;
                // Finishes this value's stream and readies the encoder for the next.
                Ok(Self(enc.reset(Vec::new())?))
            })
            .map_err(|e: std::io::Error| StoreError::Corrupt(format!("packing an article: {e}")))
    }

    /// The full-text columns alone: only the front of the value is inflated.
    pub fn fts(&self, id: ArticleId) -> Result<FtsText, StoreError> {
        let mut dec = DeflateDecoder::new(self.0.as_slice());
        let mut part = || -> Result<String, StoreError> {
            let mut len = [0u8; 4];
            dec.read_exact(&mut len)
                .map_err(|e| corrupt(id, &e.to_string()))?;
            // Read up to the length rather than allocate it: a damaged length is no size.
            let len = u64::from(u32::from_le_bytes(len));
            let mut bytes = Vec::new();
            (&mut dec)
                .take(len)
                .read_to_end(&mut bytes)
                .map_err(|e| corrupt(id, &e.to_string()))?;
            if bytes.len() as u64 != len {
                return Err(corrupt(id, "cut short"));
            }
            String::from_utf8(bytes).map_err(|e| corrupt(id, &e.to_string()))
        };
        Ok(FtsText {
            symptoms: part()?,
            body: part()?,
        })
    }

    /// Unpacks into the original text, the sections' JSON and the diagnosis' JSON (the
    /// full-text columns are skipped).
    fn unpack(&self, id: ArticleId) -> Result<Unpacked, StoreError> {
        let mut plain = Vec::with_capacity(self.0.len() * 4);
        DeflateDecoder::new(self.0.as_slice())
            .read_to_end(&mut plain)
            .map_err(|e| corrupt(id, &e.to_string()))?;
        let mut rest = plain.as_slice();
        let mut part = || -> Option<Vec<u8>> {
            let len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
            let bytes = rest.get(4..4 + len)?.to_vec();
            rest = &rest[4 + len..];
            Some(bytes)
        };
        let (text, sections) = match (part(), part(), part(), part()) {
            (Some(_), Some(_), Some(t), Some(s)) => (t, s),
            _ => return Err(corrupt(id, "cut short")),
        };
        Ok(Unpacked {
            text: String::from_utf8(text).map_err(|e| corrupt(id, &e.to_string()))?,
            sections,
            diagnosis: rest.to_vec(),
        })
    }

    /// The original text.
    pub fn text(&self, id: ArticleId) -> Result<String, StoreError> {
        Ok(self.unpack(id)?.text)
    }

    /// The sections.
    pub fn sections(&self, id: ArticleId) -> Result<Vec<Section>, StoreError> {
        Ok(serde_json::from_slice(&self.unpack(id)?.sections)?)
    }

    /// The sections and the diagnosis, from one inflate.
    pub fn sections_and_diagnosis(
        &self,
        id: ArticleId,
    ) -> Result<(Vec<Section>, Diagnosis), StoreError> {
        let u = self.unpack(id)?;
        Ok((
            serde_json::from_slice(&u.sections)?,
            serde_json::from_slice(&u.diagnosis)?,
        ))
    }

    /// The diagnosis.
    pub fn diagnosis(&self, id: ArticleId) -> Result<Diagnosis, StoreError> {
        Ok(serde_json::from_slice(&self.unpack(id)?.diagnosis)?)
    }
}

/// A damaged stored value, named by its article.
fn corrupt(id: ArticleId, why: &str) -> StoreError {
    StoreError::Corrupt(format!("the stored text of {id}: {why}"))
}

/// An article's full-text columns, as indexed and stored (`write::fts_columns`): the
/// symptoms (weighted above the rest) and everything else searchable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FtsText {
    /// The SYMPTOMS sections' headings and text.
    pub symptoms: String,
    /// The other sections, then the applies-to items, keywords and query words.
    pub body: String,
}

struct Unpacked {
    text: String,
    sections: Vec<u8>,
    diagnosis: Vec<u8>,
}

impl Store {
    async fn packed(pool: &SqlitePool, id: ArticleId) -> Result<Option<Packed>, StoreError> {
        let packed: Option<Vec<u8>> = super::bounded::at(
            "packed",
            sqlx::query_scalar("SELECT packed FROM article_texts WHERE article_id = $1")
                .bind(i64::from(id.0))
                .fetch_optional(pool),
        )
        .await?;
        Ok(packed.map(Packed))
    }

    /// The stored diagnosis of an article; `None` when the article is not stored (or, on
    /// SQLite, not yet rewritten by an import since migration 0052).
    pub async fn diagnosis(&self, id: ArticleId) -> Result<Option<Diagnosis>, StoreError> {
        match &self.db {
            Db::Sqlite(pool) => Self::packed(pool, id)
                .await?
                .map(|p| p.diagnosis(id))
                .transpose(),
            Db::Pg(pool) => pg::diagnosis(pool, id).await,
        }
    }

    /// The original text of an article, or `None` when it is not in the archive (or, on
    /// SQLite, not yet rewritten by an import since migration 0052).
    pub async fn article_source(&self, id: ArticleId) -> Result<Option<String>, StoreError> {
        match &self.db {
            Db::Sqlite(pool) => Self::packed(pool, id)
                .await?
                .map(|p| p.text(id))
                .transpose(),
            Db::Pg(pool) => pg::article_source(pool, id).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> kb::Article {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/Q900068.TXT");
        kb::parse_article(&std::fs::read(path).unwrap()).unwrap()
    }

    #[test]
    fn packs_and_unpacks_each_part() {
        let text = "SYMPTOMS\r\n========\r\n\r\nIt stops.\r\n";
        let article = fixture();
        let diagnosis = serde_json::to_string(&kb::diagnose(&article)).unwrap();
        let fts = super::super::write::fts_columns(&article);
        assert!(!fts.symptoms.is_empty() && !fts.body.is_empty());
        let packed = Packed::new(&fts, text, &article, &diagnosis).unwrap();
        let id = article.id;
        assert_eq!(packed.fts(id).unwrap(), fts);
        // The thread's encoder starts each value afresh: the same article packs the same.
        let again = Packed::new(&fts, text, &article, &diagnosis).unwrap();
        assert_eq!(again.0, packed.0);
        assert_eq!(packed.text(id).unwrap(), text);
        assert_eq!(packed.sections(id).unwrap(), article.sections);
        assert_eq!(packed.diagnosis(id).unwrap(), kb::diagnose(&article));
    }

    #[test]
    fn damaged_bytes_are_a_clear_error() {
        let id = ArticleId(168465);
        let whole = Packed::new(&FtsText::default(), "text", &fixture(), "{}")
            .unwrap()
            .0;
        for bytes in [vec![0xff, 0x00, 0x12], whole[..whole.len() / 2].to_vec()] {
            let err = Packed(bytes.clone()).sections(id).unwrap_err();
            assert!(err.to_string().contains("Q168465"), "{err}");
        }
        let err = Packed(vec![0xff, 0x00, 0x12]).fts(id).unwrap_err();
        assert!(err.to_string().contains("Q168465"), "{err}");
    }
}
