//! kbfix: a troubleshooter over the Microsoft Knowledge Base archive.
//!
//! Data flows one way: bytes → [`kb`] (the article format) → [`store`] (SQLite) →
//! domain modules ([`matcher`], [`wizard`]) → [`web`]. [`paste`] parses what users paste.

pub mod cli;
pub mod import;
pub mod kb;
pub mod matcher;
pub mod paste;
pub mod search;
pub mod store;
pub mod web;
pub mod wizard;
