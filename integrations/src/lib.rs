//! Every integration, declared once with `define_integration!`, and [`all`], the registry of them.

use spec_core::IntegrationSpec;

/// Stripe: payments, customers, billing and their webhook events.
pub mod stripe;

/// Every declared integration's validated spec, in a stable order (by key).
pub fn all() -> Vec<&'static IntegrationSpec> {
    Vec::new()
}
