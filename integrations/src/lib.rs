//! Every integration, declared once with `define_integration!`, and [`all`], the registry of them.

use spec_core::{IntegrationSpec, Registry, RegistryError};

pub mod github;
pub mod slack;
pub mod stripe;

/// Every declared integration's validated spec, in a stable order (by key).
pub fn all() -> Vec<&'static IntegrationSpec> {
    let mut specs = vec![github::spec(), slack::spec(), stripe::spec()];
    specs.sort_by(|a, b| a.meta.key.cmp(&b.meta.key));
    specs
}

/// A [`Registry`] of [`all`] integrations.
pub fn registry() -> Result<Registry, RegistryError> {
    Registry::from_specs(all())
}
