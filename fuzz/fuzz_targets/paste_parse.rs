//! Fuzz target: the paste parser must never panic, and keeps its output bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Pastes arrive as JSON or form text, so always valid UTF-8: decode lossily like a browser.
    let text = String::from_utf8_lossy(data);
    let events = kbfix::paste::parse_paste(&text);
    assert!(events.len() <= kbfix::paste::MAX_EVENTS);
    for e in &events {
        if let Some(d) = &e.description {
            assert!(!d.contains('\n'), "multi-line description {d:?}");
        }
    }
});
