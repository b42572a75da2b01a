//! Hostile inputs for the parsers, shared by the `props` tests and benches/parse.rs.

#![allow(dead_code)] // each includer uses a different part
/// About 256 KiB of the worst we could think of for a paste: thousands of events (far more
/// than `MAX_EVENTS`), unclosed quotes and XML, endless hex dumps, one enormous line.
pub fn hostile_paste() -> String {
    let mut s = String::new();
    let mut i = 0;
    while s.len() < 200 * 1024 {
        s.push_str(&format!(
            "Event ID: {i}\r\nSource: Src{i}\r\nDescription: \"{}\r\n<EventID>{i}</EventID><Data>\t\
             0000: 00 01 02 03\r\n\",\"",
            "word ".repeat(i % 17)
        ));
        i += 1;
    }
    s.push_str(&"<EventID>".repeat(4 * 1024));
    s.push_str(&"x".repeat(256 * 1024 - s.len()));
    s
}

/// About 1 MiB of an article: a real header, then thousands of event quotes, references,
/// numbered steps, rules and one very long line.
pub fn hostile_article() -> Vec<u8> {
    hostile_article_of(1024 * 1024)
}

/// The same, about `size` bytes long.
pub fn hostile_article_of(size: usize) -> Vec<u8> {
    let mut s = String::from(
        "DOCUMENT:Q900068  27-MAY-1999  [exchange]\r\nTITLE   :XFOR: Event ID 68\r\n\
         PRODUCT :Microsoft Exchange\r\nPROD/VER:winnt:5.0\r\nOPER/SYS:\r\nKEYWORDS:kbusage\r\n\r\n\
         ======================================================================\r\n\r\nSYMPTOMS\r\n========\r\n\r\n",
    );
    let mut i = 0u32;
    while s.len() < size - 124 * 1024 {
        s.push_str(&format!(
            "   Event ID: {i}\r\n   Source: Src{}\r\n   Description: text {i}\r\n\r\n\
             {}. Step Q{:06} and Q{:06}.\r\n   - bullet\r\n========\r\n",
            i % 50,
            i % 30 + 1,
            100_000 + i,
            200_000 + i
        ));
        i += 1;
    }
    s.push_str(&"Q123456 ".repeat(12 * 1024));
    s.push_str("\r\nAdditional query words: a b c\r\n");
    s.into_bytes()
}
