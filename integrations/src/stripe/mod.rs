//! Stripe: payments, customers, subscriptions, invoices, refunds, checkout and payment links.
//!
//! Everything here comes from one [`define_integration!`](spec_macros::define_integration) declaration:
//! [`spec()`], the [`Stripe`] marker (its `Config` and `Secrets` are [`StripeConfig`] and [`StripeSecrets`]), the action descriptors in
//! [`actions`] and the typed [`Event`] enum.

mod config;

pub use config::{StripeConfig, StripeSecrets};

spec_macros::define_integration! {
    /// Stripe integration for payment processing, charges, and payouts.
    stripe {
        meta: {
            key: "payments.stripe",
            version: "1.0.0",
            category: payments,
            title: "Stripe Payments",
            domain: "payments",
            owners: ["platform.payments"],
            tags: ["payments", "psp"],
            stability: stable,
        },
        supported_modes: [managed, byok],
        transports: [
            rest {
                base_url: "https://api.stripe.com",
                api_version_header: "Stripe-Version",
                body: form,
                account_header: "Stripe-Account",
                idempotency_header: "Idempotency-Key",
                should_retry_header: "Stripe-Should-Retry",
                pagination: {
                    style: starting_after,
                    limit_param: "limit",
                    cursor_param: "starting_after",
                    items_field: "data",
                    has_more_field: "has_more",
                },
                error_pointer: "/error",
            },
            webhook {
                inbound: {
                    signature_header: "stripe-signature",
                    signing_algorithm: hmac_sha256,
                    scheme: stripe,
                    tolerance: 300,
                },
            },
            sdk { package_name: "stripe", min_version: "14.0.0" },
        ],
        preferred_transport: rest,
        supported_auth_methods: [
            api_key { header_name: "Authorization", prefix: "Bearer " },
            oauth2 {
                grant_type: authorization_code,
                authorization_url: "https://connect.stripe.com/oauth/authorize",
                token_url: "https://connect.stripe.com/oauth/token",
                scopes: ["read_write"],
                revocation_url: "https://connect.stripe.com/oauth/deauthorize",
            },
            webhook_signing { algorithm: hmac_sha256, signature_header: "stripe-signature", tolerance: 300 },
        ],
        version_policy: {
            current_version: "2024-11-20.acacia",
            supported_versions: [{ version: "2024-11-20.acacia", status: stable }],
            version_header: "Stripe-Version",
        },
        capabilities: {
            provides: [{ key: "payments.psp", version: "1.0.0" }],
            requires: [{ key: "platform.webhooks", optional: true, reason: "Recommended for reliable event ingestion" }],
        },
        config: StripeConfig = { account_id: "acct_123", region: "us-east-1" },
        secrets: StripeSecrets = { api_key: "sk_live_***", webhook_secret: "whsec_***" },
        health_check: { method: ping, timeout_ms: 5000 },
        docs_url: "https://stripe.com/docs/api",
        constraints: { rate_limit: { rpm: 1000, rph: 20000 } },
        byok_setup: {
            setup_instructions: "Create a restricted Stripe API key with write access to Charges and provide a webhook signing secret.",
            required_scopes: ["charges:write", "customers:read"],
            key_rotation_supported: true,
            quota_tracking_supported: false,
        },
    }
}
