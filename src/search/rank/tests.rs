//! Unit tests for `search::rank`: rankings over small indexes built by hand.

use super::super::index::IndexDoc;
use super::super::query::parse;
use super::*;

fn doc(id: u32, title: &str, symptoms: &str, body: &str, catalogue: bool) -> IndexDoc {
    IndexDoc {
        id: ArticleId(id),
        title: title.into(),
        symptoms: symptoms.into(),
        body: body.into(),
        category: if id.is_multiple_of(2) { "even" } else { "odd" }.into(),
        catalogue,
        product: String::new(),
        kind: String::new(),
        products: String::new(),
        query_words: String::new(),
    }
}

fn index() -> Index {
    let mut ix = Index::new(1);
    let filler = "setup network printer driver ".repeat(5);
    ix.add(&doc(
        1,
        "README for Exchange",
        "",
        "outlook crashes open attachment list",
        true,
    ));
    ix.add(&doc(
        2,
        "Outlook Stops Responding When You Open an Attachment",
        "Outlook stops responding when you open a file attachment.",
        "",
        false,
    ));
    ix.add(&doc(
        3,
        "Blue screen on startup",
        "A blue screen appears with STOP 0x0000007B.",
        "",
        false,
    ));
    ix.add(&doc(
        4,
        "Screen colours are blue",
        "The screen turns blue.",
        "",
        false,
    ));
    ix.add(&doc(5, "Printer driver update", &filler, "outlook", false));
    ix.finish();
    ix
}

fn ids(r: &Ranking) -> Vec<u32> {
    r.page.iter().map(|h| h.id.0).collect()
}

#[test]
fn ranks_like_a_person_means() {
    let ix = index();
    let none = Filters::default();
    let cases: &[(&str, u32)] = &[
        ("outlook crashes when I open an attachment", 2),
        ("\"blue screen\"", 3),
        ("bsod", 3),
        ("stop 7b", 3),
        ("0x7B", 3),
        ("outlok attachment", 2),
    ];
    for (q, want) in cases {
        let r = rank(&ix, &parse(q), &none, 0, 10);
        assert_eq!(ids(&r).first(), Some(want), "{q}: {:?}", ids(&r));
    }
    let r = rank(&ix, &parse("readme list exchange"), &none, 0, 10);
    assert_eq!(ids(&r)[0], 1, "asked for, the catalogue comes first");
}

#[test]
fn a_task_leans_to_how_to_articles_and_a_problem_to_problems() {
    let mut ix = Index::new(1);
    // The same words; one is a how-to (no SYMPTOMS), the other a problem article.
    ix.add(&doc(
        1,
        "How to Move the Information Store to Another Drive",
        "",
        "move the information store to another drive",
        false,
    ));
    ix.add(&doc(
        2,
        "Information Store Fails After You Move It",
        "The information store does not start after you move it to another drive.",
        "",
        false,
    ));
    ix.finish();
    let none = Filters::default();
    let on = Weights::default();
    let off = Weights {
        intent: 0.0,
        ..Weights::default()
    };
    // How far `want` leads the other article (negative when it trails).
    let lead = |q: &Query, w: &Weights, want: u32| {
        let r = rank_with(&ix, q, &none, (0, 10), w, &[]);
        let score = |id: u32| r.page.iter().find(|h| h.id.0 == id).unwrap().score;
        score(want) - score(3 - want)
    };
    let cases: &[(&str, u32)] = &[
        ("how do I move the information store to another drive", 1),
        (
            "is there a way to move the information store to another drive",
            1,
        ),
        ("information store moved to another drive", 2),
        ("moved the information store to another drive and now", 2),
    ];
    for (q, want) in cases {
        let q = parse(q);
        let gained = lead(&q, &on, *want) - lead(&q, &off, *want);
        assert!(
            (gained - f64::from(on.intent)).abs() < 1e-3,
            "{q:?}: {gained}"
        );
        if *want == 2 {
            let r = rank(&ix, &q, &none, 0, 10);
            assert_eq!(ids(&r).first(), Some(&2), "{q:?}");
        }
    }
}

#[test]
fn learnt_articles_rise_among_those_holding_the_words() {
    let ix = index();
    let q = parse("outlook attachment");
    let none = Filters::default();
    let plain = rank(&ix, &q, &none, 0, 10);
    let second = plain.page[1].id;
    let w = Weights::default();
    let r = rank_with(&ix, &q, &none, (0, 10), &w, &[(second, 20)]);
    let score = |r: &Ranking| r.page.iter().find(|h| h.id == second).unwrap().score;
    let raised = score(&r) - score(&plain);
    assert!(
        (raised - f64::from(w.learnt * 21f32.ln())).abs() < 1e-4,
        "{raised}"
    );
    assert_eq!(r.total, plain.total);
    // One past session counts for less than a better match.
    let r = rank_with(&ix, &q, &none, (0, 10), &w, &[(ArticleId(5), 1)]);
    assert_eq!(ids(&r)[0], ids(&plain)[0]);
    // An article holding none of the words is not brought in.
    let r = rank_with(&ix, &q, &none, (0, 10), &w, &[(ArticleId(3), 20)]);
    assert!(!ids(&r).contains(&3), "{:?}", ids(&r));
}

#[test]
fn counts_filters_pages_and_corrections() {
    let ix = index();
    let q = parse("outlook attachment");
    let r = rank(&ix, &q, &Filters::default(), 0, 10);
    assert_eq!((r.total, r.exact), (3, 2));
    assert!(r.page[0].all_words && !r.page[2].all_words);
    let odd = Filters {
        category: Some("odd".into()),
        ..Filters::default()
    };
    let r = rank(&ix, &q, &odd, 0, 10);
    assert_eq!(ids(&r), [1, 5]);
    let r = rank(&ix, &q, &Filters::default(), 1, 1);
    assert_eq!(r.page.len(), 1);
    let r = rank(&ix, &parse("outlok zzqqxx"), &Filters::default(), 0, 10);
    assert_eq!(
        r.corrected,
        [
            ("outlok".to_string(), Some("outlook".to_string())),
            ("zzqqxx".to_string(), None)
        ]
    );
    let many: String = (0..40).map(|i| format!("w{i} ")).collect::<String>() + "outlook";
    let r = rank(&ix, &parse(&many), &Filters::default(), 0, 10);
    assert_eq!(r.total, 3);
}

#[test]
fn work_is_capped_in_words_and_postings_rarest_kept() {
    let ix = index();
    // "outlook" is in 3 articles, "attachment" in 2, "blue" in 2 (one posting each).
    let q = parse("outlook attachment blue");
    let walk = |max_groups, max_postings| {
        let w = Weights::default();
        let mut resolved = resolve(&ix, &q.groups, &w, &mut Ranking::default());
        let keep = keep_rarest(&ix, &mut resolved, max_groups, max_postings);
        let mut kept: Vec<&str> = resolved[..keep]
            .iter()
            .map(|(gi, _)| q.groups[*gi].text.as_str())
            .collect();
        kept.sort_unstable();
        kept
    };
    assert_eq!(walk(16, 100), ["attachment", "blue", "outlook"]);
    assert_eq!(
        walk(2, 100),
        ["attachment", "blue"],
        "the commonest goes first"
    );
    assert_eq!(
        walk(16, 4),
        ["attachment", "blue"],
        "7 postings > 4: outlook goes"
    );
    assert_eq!(
        walk(16, 1),
        ["attachment"],
        "the rarest stays, whatever the cap"
    );
}

#[test]
fn words_said_together_and_first_lead_the_same_words_scattered() {
    let mut ix = Index::new(1);
    // The same words: the first article says the query's pair together in its first
    // sentence, the second scatters them over its second.
    ix.add(&doc(
        1,
        "Files problem",
        "The shadow folder is not updated. Nothing else happens at all.",
        "",
        false,
    ));
    ix.add(&doc(
        2,
        "Files problem",
        "Nothing else happens at all. The folder is not updated, the shadow is.",
        "",
        false,
    ));
    ix.finish();
    let none = Filters::default();
    let off = Weights {
        lead: 0.0,
        pair_share: 0.0,
        ..Weights::default()
    };
    let margin = |q: &Query, w: &Weights| {
        let r = rank_with(&ix, q, &none, (0, 10), w, &[]);
        let score = |id: u32| r.page.iter().find(|h| h.id.0 == id).unwrap().score;
        score(1) - score(2)
    };
    for q in [
        "shadow folder not updated",
        "my shadow folder never gets updated",
    ] {
        let q = parse(q);
        let gained = margin(&q, &Weights::default()) - margin(&q, &off);
        assert!(gained > 0.1, "{q:?}: {gained}");
        assert_eq!(ids(&rank(&ix, &q, &none, 0, 10)).first(), Some(&1));
    }
}
