//! The staff pages behind a password: recent wizard sessions and their outcomes, any
//! transcript, and insights (what resolves, where users give up). `auth` holds the login's
//! machinery and the `StaffSession` extractor, `pages` the handlers.

mod auth;
mod pages;

pub use auth::{StaffAuth, StaffSession, StaffSetupError};
pub use pages::router;
