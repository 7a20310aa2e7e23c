//! Resend: transactional email over a JSON REST API, with webhooks signed as Svix signs them (`svix-id`,
//! `svix-timestamp`, `svix-signature`: Standard Webhooks under Svix's header names).
//!
//! Declared as the authoring guide (`docs/authoring.md`) says: the types (re-exported here) with the connection
//! traits derived from their marked fields, and one declaration.

mod types;

pub use types::*;

spec_macros::define_integration! {
    /// Resend integration for sending transactional email and receiving delivery events.
    resend {
        meta: {
            key: "email.resend",
            version: "1.0.0",
            category: email,
            title: "Resend",
            domain: "email",
            owners: ["platform.messaging"],
            tags: ["email", "transactional"],
            stability: beta,
        },
        supported_modes: [byok],
        transports: [
            rest {
                base_url: "https://api.resend.com",
                body: json,
                idempotency_header: "Idempotency-Key",
            },
            webhook {
                inbound: {
                    signature_header: "svix-signature",
                    signing_algorithm: hmac_sha256,
                    scheme: standard_webhooks,
                    tolerance: 300,
                },
            },
        ],
        preferred_transport: rest,
        supported_auth_methods: [
            bearer {},
            webhook_signing {
                algorithm: hmac_sha256,
                signature_header: "svix-signature",
                timestamp_header: "svix-timestamp",
                id_header: "svix-id",
                tolerance: 300,
            },
        ],
        config: ResendConfig = { default_from: "Acme <billing@acme.test>" },
        secrets: ResendSecrets = { api_key: "re_***", webhook_secret: "whsec_***" },
        health_check: { method: ping, timeout_ms: 5000 },
        docs_url: "https://resend.com/docs/api-reference",
        constraints: { rate_limit: { rpm: 120 } },
        byok_setup: {
            setup_instructions: "Create a Resend API key with sending access, and a webhook endpoint whose signing secret (whsec_…) you paste here.",
            required_scopes: ["sending_access"],
            key_rotation_supported: true,
            quota_tracking_supported: false,
        },
        actions: [
            /// Send an email.
            email_send { id: "resend.email.send", method: POST, path: "/emails",
                         input: SendEmailParams = { from: "Acme <billing@acme.test>", to: ["ada@example.com"],
                                                    subject: "Your receipt", text: "Thanks!" },
                         output: SendEmailResponse = { id: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c" },
                         mutates: true, permissions: ["emails:send"] },
            /// Retrieve a sent or scheduled email.
            email_get { id: "resend.email.get", method: GET, path: "/emails/{email_id}",
                        input: EmailGetParams, output: Email, permissions: ["emails:read"] },
            /// Cancel a scheduled email that has not been sent yet.
            email_cancel { id: "resend.email.cancel", method: POST, path: "/emails/{email_id}/cancel",
                           input: EmailCancelParams, output: EmailRef, mutates: true, destructive: true,
                           permissions: ["emails:send"] },
        ],
        events: {
            prefix: "resend.",
            types: [
                /// The API accepted the email for delivery.
                "email.sent" => EmailEventData,
                /// The recipient's mail server accepted the email.
                "email.delivered" => EmailEventData,
                /// Delivery is delayed by a temporary problem.
                "email.delivery_delayed" => EmailEventData,
                /// The recipient's mail server rejected the email for good.
                "email.bounced" => EmailEventData,
                /// The recipient marked the email as spam.
                "email.complained" => EmailEventData,
                /// The recipient opened the email.
                "email.opened" => EmailEventData,
                /// The recipient clicked a link in the email.
                "email.clicked" => EmailEventData,
            ],
        },
    }
}
