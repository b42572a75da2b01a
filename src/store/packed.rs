//! Each article's text as stored: the original, the sections (with their blocks) and the
//! wizard's diagnosis, packed into one deflated value. The sections and the diagnosis quote
//! the original almost word for word, so deflated after it they add little: one copy of
//! the text where there were four. Encoded on the import's reader thread, read back whole.

use super::{Db, Store, StoreError, pg};
use crate::kb::{self, ArticleId, Diagnosis, Section};
use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use sqlx::SqlitePool;
use std::io::{Read, Write};

/// An article's original text, sections and diagnosis, deflated together.
#[derive(Debug, Clone, Default)]
pub struct Packed(pub Vec<u8>);

impl Packed {
    /// Packs an article's original `text`, its sections and its `diagnosis` (as JSON, worked
    /// out once at import: `ImportedArticle::new`). The fast level: within a few percent of
    /// the default's size on this text at a fraction of its time.
    pub fn new(text: &str, article: &kb::Article, diagnosis: &str) -> Result<Self, StoreError> {
        let sections = serde_json::to_vec(&article.sections)?;
        let diagnosis = diagnosis.as_bytes();
        let mut plain = Vec::with_capacity(text.len() + sections.len() + diagnosis.len() + 8);
        for part in [text.as_bytes(), &sections] {
            plain.extend_from_slice(&(part.len() as u32).to_le_bytes());
            plain.extend_from_slice(part);
        }
        plain.extend_from_slice(diagnosis);
        let mut enc = DeflateEncoder::new(Vec::with_capacity(plain.len() / 3), Compression::fast());
        // Writing into a Vec cannot fail.
        let _ = enc.write_all(&plain);
        Ok(Self(enc.finish().unwrap_or_default()))
    }

    /// Unpacks into the original text, the sections' JSON and the diagnosis' JSON.
    fn unpack(&self, id: ArticleId) -> Result<Unpacked, StoreError> {
        let corrupt = |why: &str| StoreError::Corrupt(format!("the stored text of {id}: {why}"));
        let mut plain = Vec::with_capacity(self.0.len() * 4);
        DeflateDecoder::new(self.0.as_slice())
            .read_to_end(&mut plain)
            .map_err(|e| corrupt(&e.to_string()))?;
        let mut rest = plain.as_slice();
        let mut part = || -> Option<Vec<u8>> {
            let len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
            let bytes = rest.get(4..4 + len)?.to_vec();
            rest = &rest[4 + len..];
            Some(bytes)
        };
        let (text, sections) = match (part(), part()) {
            (Some(t), Some(s)) => (t, s),
            _ => return Err(corrupt("cut short")),
        };
        Ok(Unpacked {
            text: String::from_utf8(text).map_err(|e| corrupt(&e.to_string()))?,
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
        let packed = Packed::new(text, &article, &diagnosis).unwrap();
        let id = article.id;
        assert_eq!(packed.text(id).unwrap(), text);
        assert_eq!(packed.sections(id).unwrap(), article.sections);
        assert_eq!(packed.diagnosis(id).unwrap(), kb::diagnose(&article));
    }

    #[test]
    fn damaged_bytes_are_a_clear_error() {
        let id = ArticleId(168465);
        let whole = Packed::new("text", &fixture(), "{}").unwrap().0;
        for bytes in [vec![0xff, 0x00, 0x12], whole[..whole.len() / 2].to_vec()] {
            let err = Packed(bytes).sections(id).unwrap_err();
            assert!(err.to_string().contains("Q168465"), "{err}");
        }
    }
}
