//! Support for the cross-crate tests: finding the peers `cargo xtask test` installs and starting them on
//! loopback, a recording server for what no peer answers, the types the macro ui cases use, and the
//! connection types of the webhook tests' `acme` integrations.
//!
//! A test that needs a peer calls one of the `require_*` functions. When the peer is missing the test is
//! skipped with a message, except under `CI=true`, where it fails.

pub mod acme;
pub mod peers;
pub mod recorder;
pub mod ui_support;
