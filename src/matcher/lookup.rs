//! One event looked up by id and source, as Event Viewer's help link sends it: there is no
//! message to compare, so the quotes of that (source, id) rank as they do for a paste whose
//! message is unknown, and the product and version sent with the event steer among them.

use super::{EventIndex, Fit, FullText, MatchOutcome, Matcher, outcome};
use crate::kb::ArticleId;
use crate::paste::{PasteFormat, PastedEvent};
use crate::store::{ArticleProduct, StoreError};
use std::collections::HashMap;

/// Added to an article's fit when its product is the one sent with the event.
const PRODUCT_AGREES: f64 = 0.02;
/// Added when one of its versions is the one sent: a stronger hint than the product, which
/// most candidates for one source share.
const VERSION_AGREES: f64 = 0.03;

/// What Event Viewer's help link tells about an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventQuery {
    /// The event id, qualifier bits already removed.
    pub event_id: u32,
    /// The source as sent.
    pub source: String,
    /// The event type (`Error`, `Warning`), when sent.
    pub level: Option<String>,
    /// The product the event's publisher belongs to, e.g. `Microsoft Exchange`.
    pub product: Option<String>,
    /// That product's version, e.g. `5.5` or `5.2.3790.1830`.
    pub version: Option<String>,
}

impl EventQuery {
    /// The event as the matcher's other inputs describe one.
    pub fn as_event(&self) -> PastedEvent {
        PastedEvent {
            format: PasteFormat::Link,
            event_id: Some(self.event_id),
            source: Some(self.source.clone()),
            level: self.level.clone(),
            category: None,
            log: None,
            computer: None,
            time: None,
            description: None,
        }
    }
}

impl Matcher {
    /// Ranks the articles for one event known by id and source (and perhaps product and
    /// version), the way `match_text` ranks them for a paste of that event.
    pub async fn match_event(&self, q: &EventQuery) -> Result<MatchOutcome, StoreError> {
        let event = q.as_event();
        let index: std::sync::Arc<EventIndex> = self.index().await?;
        // Should nothing quote the event, full-text search looks for the source and product.
        let text = format!("{} {}", q.source, q.product.as_deref().unwrap_or(""));
        let mut work = FullText::default();
        let mut fits = self.fits_for(&index, &event, &text, &mut work).await?;
        self.steer(&mut fits, q).await?;
        Ok(work.noted(outcome(vec![fits], vec![event])))
    }

    /// Raises the articles written for the product and version sent.
    async fn steer(
        &self,
        fits: &mut HashMap<ArticleId, Fit>,
        q: &EventQuery,
    ) -> Result<(), StoreError> {
        if q.product.is_none() && q.version.is_none() {
            return Ok(());
        }
        let ids: Vec<ArticleId> = fits.keys().copied().collect();
        for p in self.store.article_products(&ids).await? {
            let Some(fit) = fits.get_mut(&p.id) else {
                continue;
            };
            let (product, version) = agreement(q, &p);
            if product {
                fit.score += PRODUCT_AGREES;
            }
            if version {
                fit.score += VERSION_AGREES;
            }
            let sent = match (product, version) {
                (true, true) => format!(
                    "{} {}",
                    q.product.as_deref().unwrap_or_default(),
                    q.version.as_deref().unwrap_or_default()
                ),
                (true, false) => q.product.clone().unwrap_or_default(),
                (false, true) => format!("version {}", q.version.as_deref().unwrap_or_default()),
                (false, false) => continue,
            };
            fit.reason
                .push_str(&format!("; written for {sent}, as sent"));
        }
        Ok(())
    }
}

/// Whether an article's product, and separately one of its versions, is the one sent.
fn agreement(q: &EventQuery, p: &ArticleProduct) -> (bool, bool) {
    let applies: Vec<String> = serde_json::from_str(&p.applies_to).unwrap_or_default();
    let product = q
        .product
        .as_deref()
        .is_some_and(|sent| product_agrees(sent, &p.product, &applies));
    let version = q
        .version
        .as_deref()
        .is_some_and(|sent| version_agrees(sent, &p.versions, &applies));
    (product, version)
}

/// The words of a product name that tell products apart: lower-case, without the maker's
/// name, numbers and generic words ("Microsoft Windows Operating System" is `windows`).
fn product_words(name: &str) -> Vec<String> {
    const GENERIC: &[&str] = &[
        "microsoft",
        "the",
        "for",
        "and",
        "of",
        "operating",
        "system",
        "server",
        "retail",
        "product",
        "products",
        "edition",
        "version",
        "versions",
        "x",
    ];
    name.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty() && !w.starts_with(|c: char| c.is_ascii_digit()))
        .filter(|w| !GENERIC.contains(&w.as_str()))
        .collect()
}

/// Whether every telling word of the product sent is in the article's product line or in
/// one of its "applies to" lines.
fn product_agrees(sent: &str, product: &str, applies: &[String]) -> bool {
    let wanted = product_words(sent);
    if wanted.is_empty() {
        return false;
    }
    std::iter::once(product)
        .chain(applies.iter().map(String::as_str))
        .map(product_words)
        .any(|have| wanted.iter().all(|w| have.contains(w)))
}

/// A version as `major.minor`: `5.5.2653.23` is `5.5`, `6` is `6.0`, `3.0a` is `3.0`; `None`
/// when it does not start with a number.
fn major_minor(v: &str) -> Option<(u32, u32)> {
    let mut parts = v.trim().split('.');
    let digits = |s: &str| -> Option<u32> {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        s.get(..n)
            .filter(|d| !d.is_empty() && d.len() <= 9)?
            .parse()
            .ok()
    };
    let major = digits(parts.next()?)?;
    let minor = parts.next().and_then(digits).unwrap_or(0);
    Some((major, minor))
}

/// Whether the version sent is among the article's: its `PROD/VER` line (`winnt:5.0,5.5`)
/// or the numbers of its "applies to" lines that name versions.
fn version_agrees(sent: &str, versions: &str, applies: &[String]) -> bool {
    let Some(wanted) = major_minor(sent) else {
        return false;
    };
    let listed = versions.split([':', ',', ' ']);
    let applied = applies
        .iter()
        .filter(|l| l.to_lowercase().contains("version"))
        .flat_map(|l| l.split([',', ' ']));
    listed
        .chain(applied)
        .filter_map(major_minor)
        .any(|v| v == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_agree_on_their_telling_words() {
        let exchange = ["Microsoft Exchange Server, versions 5.0, 5.5".to_string()];
        for (sent, product, applies, want) in [
            (
                "Microsoft Exchange",
                "Microsoft Exchange",
                &exchange[..],
                true,
            ),
            ("microsoft  exchange", "Microsoft Exchange", &[][..], true),
            ("Exchange", "Microsoft Exchange", &[][..], true),
            ("Microsoft Exchange", "Microsoft Mail", &exchange[..], true),
            ("Microsoft Exchange", "Microsoft Mail", &[][..], false),
            (
                "Microsoft Windows Operating System",
                "Microsoft Windows NT",
                &[][..],
                true,
            ),
            (
                "Microsoft SQL Server",
                "Microsoft Exchange",
                &exchange[..],
                false,
            ),
            ("Microsoft", "Microsoft Exchange", &[][..], false),
            ("", "Microsoft Exchange", &[][..], false),
        ] {
            assert_eq!(
                product_agrees(sent, product, applies),
                want,
                "{sent} / {product}"
            );
        }
    }

    #[test]
    fn versions_agree_on_major_and_minor() {
        let exchange = ["Microsoft Exchange Server, versions 5.0, 5.5".to_string()];
        for (sent, versions, applies, want) in [
            ("5.5", "winnt:5.0,5.5", &[][..], true),
            ("5.5.2653.23", "winnt:5.0,5.5", &[][..], true),
            ("5.0", "winnt:5.0,5.5", &[][..], true),
            ("5", "winnt:5.0", &[][..], true),
            ("4.0", "winnt:5.0,5.5", &[][..], false),
            ("5.5", "", &exchange[..], true),
            ("5.5", "WINDOWS:3.0a", &[][..], false),
            ("3.0", "WINDOWS:3.0a", &[][..], true),
            ("six", "winnt:5.0", &[][..], false),
            ("", "winnt:5.0", &[][..], false),
            ("55555555555555555555", "winnt:5.0", &[][..], false),
        ] {
            assert_eq!(
                version_agrees(sent, versions, applies),
                want,
                "{sent} / {versions}"
            );
        }
    }

    #[test]
    fn a_query_is_an_event_whose_message_is_unknown() {
        let q = EventQuery {
            event_id: 68,
            source: "MSExchangeCCMC".into(),
            level: Some("Error".into()),
            product: None,
            version: None,
        };
        let e = q.as_event();
        assert_eq!(e.format, PasteFormat::Link);
        assert_eq!(e.event_id, Some(68));
        assert_eq!(e.source.as_deref(), Some("MSExchangeCCMC"));
        assert_eq!(e.description, None);
    }
}
