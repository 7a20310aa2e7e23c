//! The one validator: every rule an [`IntegrationSpec`] must obey, shared by `define_integration!`
//! (at compile time) and by specs loaded from JSON at run time.

mod actions;
mod error;
mod examples;
mod meta;
mod oauth;
mod pointer;
mod policy;
mod signature;
mod transports;

pub use error::{ErrorCode, SpecError};
pub use examples::{SchemaViolation, check_against_schema};

use crate::model::IntegrationSpec;

/// Checks every rule and returns all broken ones, in declaration order.
///
/// Rules that need a JSON Schema (examples satisfy their schema, path parameters exist on the input)
/// are skipped for types whose schema is still `null`, as inside the macro, which has no schemas.
pub fn validate(spec: &IntegrationSpec) -> Result<(), Vec<SpecError>> {
    let mut cx = Cx::default();
    meta::check(spec, &mut cx);
    transports::check(spec, &mut cx);
    oauth::check(spec, &mut cx);
    policy::check(spec, &mut cx);
    actions::check(spec, &mut cx);
    examples::check(spec, &mut cx);
    if cx.errors.is_empty() { Ok(()) } else { Err(cx.errors) }
}

/// Collects errors.
#[derive(Default)]
pub(crate) struct Cx {
    errors: Vec<SpecError>,
}

impl Cx {
    pub(crate) fn err(&mut self, code: ErrorCode, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(SpecError::new(code, path, message));
    }

    pub(crate) fn non_empty(&mut self, value: &str, path: &str, what: &str) {
        if value.trim().is_empty() {
            self.err(ErrorCode::Empty, path, format!("{what} must not be empty"));
        }
    }

    pub(crate) fn semver(&mut self, value: &str, path: &str) {
        if let Err(e) = semver::Version::parse(value) {
            self.err(
                ErrorCode::Semver,
                path,
                format!("`{value}` is not a semantic version ({e}); write MAJOR.MINOR.PATCH such as `1.0.0`"),
            );
        }
    }

    /// A URL that parses, with https unless the host is loopback.
    pub(crate) fn url(&mut self, value: &str, path: &str) {
        match url::Url::parse(value) {
            Err(e) => self.err(
                ErrorCode::Url,
                path,
                format!("`{value}` is not a valid URL ({e}); write an absolute URL such as `https://api.example.com`"),
            ),
            Ok(u) => {
                let loopback = match u.host() {
                    Some(url::Host::Domain(d)) => d == "localhost",
                    Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                    Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                    None => false,
                };
                if u.host().is_none() {
                    self.err(
                        ErrorCode::Url,
                        path,
                        format!("`{value}` has no host; write an absolute http(s) URL"),
                    );
                } else if u.scheme() != "https" && !(u.scheme() == "http" && loopback) {
                    self.err(
                        ErrorCode::Url,
                        path,
                        format!("`{value}` must use https (plain http is only allowed for loopback hosts)"),
                    );
                }
            }
        }
    }

    pub(crate) fn duplicates<'a>(&mut self, items: impl IntoIterator<Item = (String, &'a str)>, what: &str) {
        let mut seen = std::collections::HashSet::new();
        for (path, value) in items {
            if !seen.insert(value) {
                self.err(
                    ErrorCode::Duplicate,
                    path,
                    format!("{what} `{value}` is declared twice; remove one"),
                );
            }
        }
    }
}
