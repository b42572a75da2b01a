//! Parse timings (filled in below).
fn main() {}
