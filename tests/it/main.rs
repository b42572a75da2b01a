//! Every integration test in one binary (one link step instead of one per file), as Zero To
//! Production does. Each module is a former test file; `common` builds the app over a
//! temporary database imported from `tests/fixtures`. Data the tests read stays beside this
//! folder (`tests/fixtures`, `tests/fixtures-search`, `tests/regressions`).
//!
//! Run one area with `cargo test --test it web::` (or `cli::`, `archive::`, ...). The
//! whole-archive test is `archive::whole_archive`; `browser::` needs chromium.

mod archive;
mod articles;
mod browser;
mod cli;
mod commands;
mod common;
mod crash;
mod fixtures;
mod pastes;
mod postgres;
mod props;
mod search;
mod security;
mod staff;
mod web;
mod wizard;
