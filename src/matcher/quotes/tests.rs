//! Unit tests of the quote lookups, on made-up quotes.

use super::*;

/// An index of made-up quotes: (article, id, source, message).
fn index(quotes: &[(i64, u32, &str, &str)]) -> EventIndex {
    EventIndex::of_quotes(quotes)
}

#[test]
fn a_message_quoted_under_its_source_without_an_id() {
    let index = index(&[
        (
            201,
            kb::NO_EVENT_ID,
            "WidgetSvc",
            "Error: The widget store could not open its journal on drive D.",
        ),
        (202, 77, "WidgetSvc", "The widget service started."),
    ]);
    let journal = "The widget store could not open its journal on drive E.";
    // (pasted id, pasted source, pasted message, the article found as about it)
    let cases: [(Option<u32>, &str, &str, Option<i64>); 5] = [
        // The message under its source, with an id the article does not state.
        (Some(5120), "WidgetSvc", journal, Some(201)),
        // The same, no id pasted.
        (None, "WidgetSvc", journal, Some(201)),
        // Another source's message: not this quote.
        (Some(5120), "GadgetSvc", journal, None),
        // The source, but another message.
        (
            Some(5120),
            "WidgetSvc",
            "The widget service stopped at noon.",
            None,
        ),
        // The id standing for none, pasted, finds no quote without an id by its id.
        (
            Some(kb::NO_EVENT_ID),
            "OtherSvc",
            "Nothing alike here at all.",
            None,
        ),
    ];
    for (id, source, message, want) in cases {
        let event = PastedEvent {
            event_id: id,
            source: Some(source.to_string()),
            ..PastedEvent::message(message)
        };
        let fits = fits_from_quotes(&index, &event);
        let about: Vec<i64> = fits
            .iter()
            .filter(|(_, f)| f.relation == Relation::About)
            .map(|(id, _)| i64::from(id.0))
            .collect();
        assert_eq!(
            about,
            want.into_iter().collect::<Vec<_>>(),
            "{source} {message}"
        );
    }
}

#[test]
fn a_message_quoted_inside_a_longer_text() {
    let index = EventIndex::spooler();
    let story = "Printing has been flaky all week on the second floor. Most mornings";
    let after = "and then nothing prints until somebody restarts the spooler by hand.";
    let cases: [(String, Option<i64>); 5] = [
        // The message inside the user's own words.
        (
            format!(
                "{story} the log says The print queue Sales3 could not reach its port LPT3 and was paused. {after}"
            ),
            Some(101),
        ),
        // Most of it, a word lost in the copy.
        (
            format!(
                "{story} we get print queue Sales3 could not reach its port LPT3 and was paused {after}"
            ),
            Some(101),
        ),
        // Its first words: users copy the start of a long message.
        (
            format!("{story} the log says The print queue Sales3 could not reach its port {after}"),
            Some(101),
        ),
        // A short phrase of it is no quote of the message.
        (format!("{story} the queue was paused {after}"), None),
        // Its words, but not in its order.
        (
            format!("{story} paused and was its port, reach not could queue print the {after}"),
            None,
        ),
    ];
    for (text, want) in cases {
        let event = PastedEvent::message(&text);
        let fits = fits_from_quotes(&index, &event);
        let held: Vec<i64> = fits
            .iter()
            .filter(|(_, f)| f.reason.starts_with("the paste holds"))
            .map(|(id, _)| i64::from(id.0))
            .collect();
        assert_eq!(held, want.into_iter().collect::<Vec<_>>(), "{text}");
    }
}

#[test]
fn further_events_a_paste_holds_weigh_for_the_articles_fitting_it() {
    let index = index(&[
        (
            301,
            41,
            "GizmoDisk",
            "The gizmo disk did not answer before the timeout ran out.",
        ),
        (
            301,
            42,
            "GizmoDisk",
            "The gizmo controller reported a bus reset on its port.",
        ),
        (
            302,
            41,
            "GizmoDisk",
            "The gizmo disk did not answer before the timeout ran out.",
        ),
        (
            303,
            42,
            "GizmoDisk",
            "The gizmo controller reported a bus reset on its port.",
        ),
    ]);
    let text = "Seen on the counter all week, first The gizmo disk did not answer before the \
                timeout ran out. and then The gizmo controller reported a bus reset on its \
                port. until the box was rebooted by the night shift operators.";
    let fitting: HashSet<ArticleId> = [301, 302].map(|n| ArticleId::try_from(n).unwrap()).into();
    // (events already read, the further events' articles)
    let cases: [(&[u32], Vec<Vec<i64>>); 3] = [
        (&[41], vec![vec![301]]),
        (&[], vec![vec![301, 302], vec![301]]),
        (&[41, 42], vec![]),
    ];
    for (known, want) in cases {
        let got: Vec<Vec<i64>> = held_events(&index, text, known, &fitting)
            .into_iter()
            .map(|fits| {
                let mut ids: Vec<i64> = fits.keys().map(|id| i64::from(id.0)).collect();
                ids.sort();
                assert!(fits.values().all(|f| f.relation != Relation::About));
                ids
            })
            .collect();
        assert_eq!(got, want, "{known:?}");
    }
    assert!(held_events(&index, "The gizmo disk did not answer.", &[], &fitting).is_empty());
}
