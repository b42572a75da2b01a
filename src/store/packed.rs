//! Each article's text as stored: its full-text columns (symptoms and the rest, as indexed),
//! the original, the sections (with their blocks) and the wizard's diagnosis, packed into
//! one compressed value. The parts quote one another almost word for word, so compressed
//! together they cost little more than one: one copy of the text where there were five
//! (the full-text index keeps none, `migrations/0080_fts_contentless.sql`). Encoded on the
//! import's reader thread, with LZ4: its matches run as long as the copies do (deflate's
//! stop at 258 bytes), which packs the five parts much faster than deflate's fastest
//! level, a little larger, and unpacks them faster still. Values written before
//! (deflated) stay readable: the first byte tells the two apart.

use super::{Db, Store, StoreError, pg};
use crate::kb::{self, ArticleId, Diagnosis, Section};
use flate2::read::DeflateDecoder;
use sqlx::SqlitePool;
use std::cell::RefCell;
use std::io::Read;

/// An article's original text, sections and diagnosis, compressed together.
#[derive(Debug, Clone, Default)]
pub struct Packed(pub Vec<u8>);

/// The first byte of an LZ4 value. A raw deflate stream never starts with it: its bits 1-2
/// would be block type 3, which deflate reserves.
const LZ4: u8 = 0xfe;

/// The most an LZ4 block expands (one literal run of 255-byte length codes): a stored
/// length beyond it is damage, not a size to allocate.
const LZ4_MAX_RATIO: usize = 255;

impl Packed {
    /// Packs an article's full-text columns `fts`, its original `text`, its sections and its
    /// `diagnosis` (as JSON, worked out once at import: `ImportedArticle::new`): each part
    /// but the last after its length (`u32`, little-endian), then LZ4 over the whole.
    pub fn new(
        fts: &FtsText,
        text: &str,
        article: &kb::Article,
        diagnosis: &str,
    ) -> Result<Self, StoreError> {
        // One plain buffer and one output buffer per thread, reused between articles.
        thread_local! {
            static BUFFERS: RefCell<(Vec<u8>, Vec<u8>)> = RefCell::default();
        }
        BUFFERS.with_borrow_mut(|(plain, out)| {
            plain.clear();
            for part in [
                fts.symptoms.as_bytes(),
                fts.body.as_bytes(),
                text.as_bytes(),
            ] {
                push_part(plain, part);
            }
            let at = plain.len();
            plain.extend_from_slice(&[0; 4]);
            serde_json::to_writer(&mut *plain, &article.sections)?;
            let len = (plain.len() - at - 4) as u32;
            plain[at..at + 4].copy_from_slice(&len.to_le_bytes());
            plain.extend_from_slice(diagnosis.as_bytes());
            out.resize(lz4_flex::block::get_maximum_output_size(plain.len()), 0);
            let n = lz4_flex::block::compress_into(plain, out)
                .map_err(|e| StoreError::Corrupt(format!("packing an article: {e}")))?;
            let mut packed = Vec::with_capacity(5 + n);
            packed.push(LZ4);
            packed.extend_from_slice(&(plain.len() as u32).to_le_bytes());
            packed.extend_from_slice(&out[..n]);
            Ok(Self(packed))
        })
    }

    /// The whole plain value: the parts as [`Packed::new`] lays them out.
    fn plain(&self, id: ArticleId) -> Result<Vec<u8>, StoreError> {
        match self.0.split_first() {
            Some((&LZ4, rest)) => {
                let (len, block) = rest
                    .split_at_checked(4)
                    .ok_or_else(|| corrupt(id, "cut short"))?;
                let len = u32::from_le_bytes(len.try_into().unwrap_or_default()) as usize;
                if len > block.len().saturating_mul(LZ4_MAX_RATIO) + 16 {
                    return Err(corrupt(id, "a length past what the data could hold"));
                }
                let mut plain = vec![0; len];
                match lz4_flex::block::decompress_into(block, &mut plain) {
                    Ok(n) if n == len => Ok(plain),
                    Ok(_) => Err(corrupt(id, "cut short")),
                    Err(e) => Err(corrupt(id, &e.to_string())),
                }
            }
            _ => {
                let mut plain = Vec::with_capacity(self.0.len() * 4);
                DeflateDecoder::new(self.0.as_slice())
                    .read_to_end(&mut plain)
                    .map_err(|e| corrupt(id, &e.to_string()))?;
                Ok(plain)
            }
        }
    }

    /// The full-text columns alone: of a deflated value, only the front is inflated.
    pub fn fts(&self, id: ArticleId) -> Result<FtsText, StoreError> {
        if self.0.first() == Some(&LZ4) {
            let plain = self.plain(id)?;
            let mut rest = plain.as_slice();
            let mut part = || -> Result<String, StoreError> {
                let bytes = take_part(&mut rest).ok_or_else(|| corrupt(id, "cut short"))?;
                String::from_utf8(bytes.to_vec()).map_err(|e| corrupt(id, &e.to_string()))
            };
            return Ok(FtsText {
                symptoms: part()?,
                body: part()?,
            });
        }
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
        let plain = self.plain(id)?;
        let mut rest = plain.as_slice();
        let (text, sections) = match (
            take_part(&mut rest),
            take_part(&mut rest),
            take_part(&mut rest),
            take_part(&mut rest),
        ) {
            (Some(_), Some(_), Some(t), Some(s)) => (t.to_vec(), s.to_vec()),
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

/// Appends one part after its length.
fn push_part(plain: &mut Vec<u8>, part: &[u8]) {
    plain.extend_from_slice(&(part.len() as u32).to_le_bytes());
    plain.extend_from_slice(part);
}

/// Takes one part (after its length) off the front of `rest`; `None` when cut short.
fn take_part<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
    let part = rest.get(4..4usize.checked_add(len)?)?;
    *rest = &rest[4 + len..];
    Some(part)
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

    /// Values deflated by an import before LZ4 read as they did.
    #[test]
    fn deflated_values_stay_readable() {
        use flate2::write::DeflateEncoder;
        use std::io::Write;
        let article = fixture();
        let diagnosis = serde_json::to_string(&kb::diagnose(&article)).unwrap();
        let fts = super::super::write::fts_columns(&article);
        let text = "SYMPTOMS\r\n========\r\n\r\nIt stops.\r\n";
        let sections = serde_json::to_vec(&article.sections).unwrap();
        let mut enc = DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        for part in [
            fts.symptoms.as_bytes(),
            fts.body.as_bytes(),
            text.as_bytes(),
            &sections,
        ] {
            enc.write_all(&(part.len() as u32).to_le_bytes()).unwrap();
            enc.write_all(part).unwrap();
        }
        enc.write_all(diagnosis.as_bytes()).unwrap();
        let old = Packed(enc.finish().unwrap());
        let new = Packed::new(&fts, text, &article, &diagnosis).unwrap();
        assert_ne!(old.0[0], new.0[0], "the two encodings are told apart");
        let id = article.id;
        for packed in [&old, &new] {
            assert_eq!(packed.fts(id).unwrap(), fts);
            assert_eq!(packed.text(id).unwrap(), text);
            assert_eq!(packed.sections(id).unwrap(), article.sections);
            assert_eq!(packed.diagnosis(id).unwrap(), kb::diagnose(&article));
        }
    }

    #[test]
    fn damaged_bytes_are_a_clear_error() {
        let id = ArticleId(168465);
        let whole = Packed::new(&FtsText::default(), "text", &fixture(), "{}")
            .unwrap()
            .0;
        // A length of 4 GB over a few bytes is refused, not allocated.
        let mut huge = vec![LZ4, 0xff, 0xff, 0xff, 0xff];
        huge.extend_from_slice(&whole[5..]);
        for bytes in [
            vec![0xff, 0x00, 0x12],
            whole[..whole.len() / 2].to_vec(),
            vec![LZ4, 0x01],
            huge,
        ] {
            let err = Packed(bytes.clone()).sections(id).unwrap_err();
            assert!(err.to_string().contains("Q168465"), "{err}");
            let err = Packed(bytes).fts(id).unwrap_err();
            assert!(err.to_string().contains("Q168465"), "{err}");
        }
    }
}
