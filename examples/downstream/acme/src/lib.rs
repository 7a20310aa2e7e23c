//! The Acme helpdesk: tickets over a JSON REST API with an API key, and webhooks signed with Standard
//! Webhooks. Everything an author writes: the types, and one declaration.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_core::Secret;
use spec_macros::{ConnectionConfig, ConnectionSecrets, DeserializeOpen};
use spec_runtime::open::Extra;

/// Non-secret configuration of a connection.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, ConnectionConfig)]
pub struct AcmeConfig {
    /// The workspace requests act for, sent in the `Acme-Workspace` header.
    #[connection(account)]
    pub workspace: Option<String>,
}

/// Secrets of a connection.
#[derive(Debug, Clone, Deserialize, JsonSchema, ConnectionSecrets)]
pub struct AcmeSecrets {
    /// API key (`ak_live_…` or `ak_test_…`).
    #[connection(api_key)]
    pub api_key: Secret,
    /// Signing secret of the webhook endpoint (`whsec_…`).
    #[connection(webhook_secret)]
    pub webhook_secret: Secret,
}

/// `GET /tickets/{ticket}` parameters.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TicketGet {
    /// The ticket's id.
    pub ticket: String,
}

/// `POST /tickets` body.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TicketCreate {
    /// One-line summary.
    pub subject: String,
    /// The requester's email address.
    pub requester: String,
}

/// A ticket. Members the type does not model are kept in `extra`.
#[derive(Debug, Clone, Serialize, DeserializeOpen, JsonSchema)]
pub struct Ticket {
    /// The ticket's id.
    pub id: String,
    /// One-line summary.
    pub subject: String,
    /// Everything else the API returned.
    #[serde(flatten)]
    pub extra: Extra,
}

spec_macros::define_integration! {
    /// Acme helpdesk tickets.
    acme {
        meta: { key: "helpdesk.acme", version: "1.0.0", category: helpdesk, title: "Acme",
                domain: "helpdesk", stability: beta },
        supported_modes: [byok],
        transports: [
            rest { base_url: "https://api.acme.test", body: json, account_header: "Acme-Workspace",
                   idempotency_header: "Idempotency-Key" },
            webhook { inbound: { signature_header: "webhook-signature", signing_algorithm: hmac_sha256,
                                 scheme: standard_webhooks } },
        ],
        preferred_transport: rest,
        supported_auth_methods: [
            api_key { header_name: "Authorization", prefix: "Bearer ",
                      key_prefixes: [{ prefix: "ak_live_", kind: secret, mode: live },
                                     { prefix: "ak_test_", kind: secret, mode: test }] },
            webhook_signing { algorithm: hmac_sha256, signature_header: "webhook-signature" },
        ],
        config: AcmeConfig = { workspace: "support" },
        secrets: AcmeSecrets = { api_key: "ak_test_***", webhook_secret: "whsec_***" },
        actions: [
            /// Fetch one ticket.
            ticket_get { id: "acme.ticket.get", method: GET, path: "/tickets/{ticket}",
                         input: TicketGet, output: Ticket, permissions: ["tickets:read"] },
            /// Open a ticket.
            ticket_create { id: "acme.ticket.create", method: POST, path: "/tickets",
                            input: TicketCreate = { subject: "Printer on fire", requester: "ada@example.com" },
                            output: Ticket, mutates: true, permissions: ["tickets:write"] },
        ],
        events: { prefix: "acme.", types: [
            /// A ticket was opened.
            "ticket.created" => Ticket,
        ] },
    }
}
