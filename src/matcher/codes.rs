//! Error codes as a paste's key terms, when nothing in the archive quotes or names the pasted
//! event: the articles titled for a code the paste names (`-1018`, `JET_errDiskIO`,
//! `0xC000000D`) are about that error, the more so the more of their title the paste says.
//! An event id no article knows is tried as the error code it may carry (Exchange logs error
//! -1018 as event 1018).

use super::rank::{Fit, own_share, stems};
use super::verdict::Relation;
use crate::kb::ArticleId;
use crate::paste::PastedEvent;
use std::collections::HashMap;

/// Where an article titled for a pasted code starts, scaled down to half by the share of
/// its title's other words the paste does not hold: above words alone (at most 0.25 plus
/// the prose nudges), below any quote of the pasted event.
const CODE_TITLED: f64 = 0.4;
/// What an article titled for a pasted code gains on top of how it already fits.
const CODE_TITLE_BONUS: f64 = 0.08;

/// Whether an article fits one of the pasted events by quoting or naming it (any relation
/// closer than sharing its source): then the codes add nothing.
pub(super) fn knows_event(per_event: &[HashMap<ArticleId, Fit>]) -> bool {
    per_event
        .iter()
        .flat_map(|fits| fits.values())
        .any(|f| f.relation < Relation::SameSource)
}

/// The codes to look for: those `text` names, then `-N` for each pasted event id `N` of
/// three to five digits (called only when no article knows the event).
pub(super) fn pasted_codes(text: &str, events: &[PastedEvent]) -> Vec<String> {
    let mut codes = crate::paste::error_codes(text);
    for id in events.iter().filter_map(|e| e.event_id) {
        let code = format!("-{id}");
        if (100..100_000).contains(&id) && !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// An FTS5 query for any of `codes`, each as a phrase of its words (`"jet errdiskio"`).
pub(super) fn codes_query(codes: &[String]) -> Option<String> {
    let phrases: Vec<String> = codes
        .iter()
        .map(|c| {
            c.split(|ch: char| !ch.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .filter(|p| !p.is_empty())
        .map(|p| format!("\"{p}\""))
        .collect();
    (!phrases.is_empty()).then(|| phrases.join(" OR "))
}

/// Whether `title` names `code` as written (any case), not as part of a longer word or
/// number: "Error -1018 (…)" names `-1018`; "Error 1018" and "-10180" do not.
pub(super) fn title_names_code(title: &str, code: &str) -> bool {
    let (title, code) = (title.to_lowercase(), code.to_lowercase());
    let joins = |c: char| c.is_alphanumeric() || c == '_';
    title.match_indices(code.as_str()).any(|(at, _)| {
        let before = title[..at].chars().next_back();
        let after = title[at + code.len()..].chars().next();
        let joined_before = before.is_some_and(|c| joins(c) || (code.starts_with('-') && c == '-'));
        !joined_before && !after.is_some_and(joins)
    })
}

/// Raises (or adds, as sharing words) the articles of `titled` whose title names one of
/// `codes`: to at least `CODE_TITLED` scaled by the share of its title `text` holds, then
/// `CODE_TITLE_BONUS` more by the same share.
pub(super) fn favour_code_titles(
    fits: &mut HashMap<ArticleId, Fit>,
    titled: &[(ArticleId, String)],
    codes: &[String],
    text: &str,
) {
    let pasted = stems(text);
    for (id, title) in titled {
        let Some(code) = codes.iter().find(|c| title_names_code(title, c)) else {
            continue;
        };
        let share = own_share(title, &pasted);
        let fit = fits.entry(*id).or_insert_with(|| Fit {
            title: title.clone(),
            score: 0.0,
            reason: "words of the paste found in the article".into(),
            relation: Relation::Words,
        });
        fit.score = fit.score.max(CODE_TITLED * (0.5 + 0.5 * share));
        fit.score += CODE_TITLE_BONUS * (0.25 + 0.75 * share);
        fit.reason
            .push_str(&format!("; its title names error {code}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paste::parse_paste;

    fn id(n: u32) -> ArticleId {
        ArticleId::try_from(i64::from(n)).unwrap()
    }

    #[test]
    fn titles_that_name_a_code() {
        let cases = [
            ("GIZ: Error -1205 (JET_errOutOfGizmos)", "-1205", true),
            (
                "GIZ: Error -1205 (JET_errOutOfGizmos)",
                "jet_erroutofgizmos",
                true,
            ),
            ("-1205 and -1206 Errors on Brand Servers", "-1206", true),
            ("Error 1205 When Starting the Gizmo", "-1205", false),
            ("Range 10-1205 Is Not Printed", "-1205", false),
            ("Error -12050 on Startup", "-1205", false),
            ("Stop 0xDEAD00AA in gizmo.sys", "0xdead00aa", true),
            ("ERROR_GIZMO_GONE_AWAY Returned", "ERROR_GIZMO_GONE", false),
        ];
        for (title, code, want) in cases {
            assert_eq!(title_names_code(title, code), want, "{title} / {code}");
        }
    }

    #[test]
    fn codes_of_a_paste_and_their_query() {
        let events = parse_paste("Our gizmo store logs Event ID 4321 every night.");
        let cases: &[(&str, &[PastedEvent], &[&str])] = &[
            (
                "see -1205 JET_errOutOfGizmos",
                &[],
                &["-1205", "JET_errOutOfGizmos"],
            ),
            ("the same", &events, &["-4321"]),
            ("nothing here", &[], &[]),
        ];
        for (text, events, want) in cases {
            assert_eq!(pasted_codes(text, events), *want, "{text}");
        }
        let codes = vec!["-1205".to_string(), "JET_errOutOfGizmos".to_string()];
        assert_eq!(
            codes_query(&codes).as_deref(),
            Some("\"1205\" OR \"jet erroutofgizmos\"")
        );
        assert_eq!(codes_query(&[]), None);
    }

    #[test]
    fn the_title_for_the_code_alone_beats_one_beside_another_problem() {
        let text = "Typical store errors:\n- -1205 JET_errOutOfGizmos\n- -1206 JET_errGizmoIO";
        let codes = crate::paste::error_codes(text);
        let mut fits = HashMap::from([(
            id(2),
            Fit {
                title: "GIZ: -1205 and -1206 Errors on Brand Servers".into(),
                score: 0.25,
                reason: "words of the paste found in the article".into(),
                relation: Relation::Words,
            },
        )]);
        let titled = vec![
            (id(1), "GIZ: Error -1205 (JET_errOutOfGizmos)".to_string()),
            (
                id(2),
                "GIZ: -1205 and -1206 Errors on Brand Servers".to_string(),
            ),
            (id(3), "GIZ: Gizmo Backup Guidelines".to_string()),
        ];
        favour_code_titles(&mut fits, &titled, &codes, text);
        assert!(fits[&id(1)].score > fits[&id(2)].score);
        assert!(fits[&id(2)].score > 0.25);
        assert_eq!(
            fits[&id(1)].relation,
            Relation::Words,
            "never a match by title alone"
        );
        assert!(fits[&id(1)].reason.ends_with("its title names error -1205"));
        assert!(
            !fits.contains_key(&id(3)),
            "a title naming no code is left alone"
        );
    }

    #[test]
    fn only_when_no_article_quotes_or_names_the_event() {
        let fit = |relation| Fit {
            title: String::new(),
            score: 0.3,
            reason: String::new(),
            relation,
        };
        let words = HashMap::from([(id(1), fit(Relation::Words))]);
        let source = HashMap::from([(id(2), fit(Relation::SameSource))]);
        let named = HashMap::from([(id(3), fit(Relation::Mentions))]);
        assert!(!knows_event(&[words.clone(), source]));
        assert!(knows_event(&[words, named]));
        assert!(!knows_event(&[]));
    }
}
