//! Every integration, declared once with `define_integration!`, and [`all`], the registry of them.
//!
//! A declaration expands, in the module where it is written, to `spec()`, a marker type implementing
//! [`spec_core::Integration`] (naming the config and secrets types), one [`spec_core::ActionDescriptor`] per action in an
//! `actions` module, and an `Event` enum:
//!
//! ```
//! use schemars::JsonSchema;
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize, JsonSchema)]
//! pub struct AcmeConfig { pub region: Option<String> }
//! #[derive(Deserialize, JsonSchema)]
//! pub struct AcmeSecrets { pub api_key: spec_core::Secret }
//! #[derive(Serialize, Deserialize, JsonSchema)]
//! pub struct TicketGet { pub ticket: String }
//! #[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
//! pub struct Ticket { pub id: String, pub subject: String }
//!
//! spec_macros::define_integration! {
//!     /// Acme helpdesk tickets.
//!     acme {
//!         meta: { key: "helpdesk.acme", version: "1.2.0", category: helpdesk, title: "Acme",
//!                 domain: "helpdesk", stability: beta },
//!         supported_modes: [managed],
//!         transports: [rest { base_url: "https://api.acme.test", body: json }],
//!         preferred_transport: rest,
//!         supported_auth_methods: [api_key { header_name: "X-Api-Key" }],
//!         config: AcmeConfig = { region: "eu" },
//!         secrets: AcmeSecrets = { api_key: "ak_***" },
//!         actions: [
//!             /// Fetch one ticket.
//!             ticket_get { id: "acme.ticket.get", method: GET, path: "/tickets/{ticket}",
//!                          input: TicketGet, output: Ticket, permissions: ["tickets:read"] },
//!         ],
//!         events: { prefix: "acme.", types: ["ticket.created" => Ticket] },
//!     }
//! }
//!
//! use spec_core::ActionDescriptor;
//! let spec = spec();
//! spec_core::validate(spec).expect("valid, examples included");
//! assert_eq!(actions::TicketGet::action().path, "/tickets/{ticket}");
//! assert_eq!(spec.actions[0].description, "Fetch one ticket.");
//! let event = Event::parse("ticket.created", serde_json::json!({"id": "t_1", "subject": "Help"})).unwrap();
//! assert!(matches!(event, Event::TicketCreated(Ticket { ref id, .. }) if id == "t_1"));
//! ```

use spec_core::{IntegrationSpec, Registry, RegistryError};
use spec_runtime::client::ConnectionReader;

#[cfg(feature = "github")]
pub mod github;
#[cfg(feature = "resend")]
pub mod resend;
#[cfg(feature = "slack")]
pub mod slack;
#[cfg(feature = "stripe")]
pub mod stripe;

/// Every integration compiled in (one cargo feature each: `stripe`, `github`, `slack`, `resend`, all on by default)
/// with its validated spec, in a stable order (by key).
pub fn all() -> Vec<&'static IntegrationSpec> {
    readers().iter().map(ConnectionReader::spec).collect()
}

/// The connection reader of every integration compiled in, in the order of [`all`]: how a server reads a
/// connection's stored config and secrets with the integration's own types.
pub fn readers() -> Vec<ConnectionReader> {
    let mut readers = vec![
        #[cfg(feature = "github")]
        ConnectionReader::of::<github::Github>(),
        #[cfg(feature = "resend")]
        ConnectionReader::of::<resend::Resend>(),
        #[cfg(feature = "slack")]
        ConnectionReader::of::<slack::Slack>(),
        #[cfg(feature = "stripe")]
        ConnectionReader::of::<stripe::Stripe>(),
    ];
    readers.sort_by(|a, b| a.spec().meta.key.cmp(&b.spec().meta.key));
    readers
}

/// A [`Registry`] of [`all`] integrations.
pub fn registry() -> Result<Registry, RegistryError> {
    Registry::from_specs(all())
}
