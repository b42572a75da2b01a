//! Fuzz target: the KB article parser must never panic on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Errors are fine (most inputs are not articles); panics and hangs are the bugs.
    let _ = kbfix::kb::parse_article(data);
});
