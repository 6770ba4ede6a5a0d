//! The demo database. Its accounts are known to every build: a demo database opens signed in as
//! [`DEMO_USER`] (the window does it) and shows [`DEMO_PIN`] on the sign-in screen. The generator
//! that writes one — `wdesk demo`, the test stories' template, `scripts/run-demo.sh` — is a dev
//! tool, built only with the `devtools` feature, so the installed programs do not carry it.

/// The PIN of every demo account (shown on the sign-in screen of a demo database).
pub const DEMO_PIN: &str = "1234";
/// The name the demo signs in as.
pub const DEMO_USER: &str = "李静";

#[cfg(feature = "devtools")]
mod fund;
#[cfg(feature = "devtools")]
mod generate;
#[cfg(feature = "devtools")]
pub use generate::{create, DemoSummary};
