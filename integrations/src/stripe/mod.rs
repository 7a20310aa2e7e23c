//! Stripe: payments, customers, subscriptions, invoices, refunds, checkout and payment links.
//!
//! Everything here comes from one [`define_integration!`](spec_macros::define_integration) declaration:
//! [`spec()`], the [`Stripe`] marker (its `Config` and `Secrets` are [`StripeConfig`] and [`StripeSecrets`]), the action descriptors in
//! [`actions`] and the typed [`Event`] enum.

pub mod types;

pub use types::*;

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
            api_key {
                header_name: "Authorization",
                prefix: "Bearer ",
                key_prefixes: [
                    { prefix: "sk_live_", kind: secret, mode: live },
                    { prefix: "sk_test_", kind: secret, mode: test },
                    { prefix: "rk_live_", kind: restricted, mode: live },
                    { prefix: "rk_test_", kind: restricted, mode: test },
                ],
                key_min_body: 8,
            },
            oauth2 {
                grant_type: authorization_code,
                authorization_url: "https://connect.stripe.com/oauth/authorize",
                token_url: "https://connect.stripe.com/oauth/token",
                scopes: ["read_write"],
                revocation_url: "https://connect.stripe.com/oauth/deauthorize",
                client_auth: request_body,
                account_id_field: "stripe_user_id",
                livemode_field: "livemode",
                default_token_lifetime: 3600,
                revocation: {
                    style: account_deauthorize,
                    account_param: "stripe_user_id",
                    client_auth: secret_as_basic_user,
                },
                deauthorized_event: "account.application.deauthorized",
                scope_implications: [
                    { scope: "read_write", covers: all },
                    { scope: "read_only", covers: { suffix: "_read" } },
                ],
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
        actions: [
            /// List customers, newest first, optionally filtered by email.
            customer_list { id: "stripe.customer.list", method: GET, path: "/v1/customers",
                            input: CustomerListParams, output: List<Customer>, paginated: true,
                            permissions: ["customer_read"] },
            /// Retrieve a customer.
            customer_get { id: "stripe.customer.get", method: GET, path: "/v1/customers/{customer}",
                           input: CustomerRetrieveParams, output: Customer, permissions: ["customer_read"] },
            /// Create a customer.
            customer_create { id: "stripe.customer.create", method: POST, path: "/v1/customers",
                              input: CustomerCreateParams, output: Customer, mutates: true,
                              permissions: ["customer_write"] },
            /// Update a customer; omitted fields are left unchanged.
            customer_update { id: "stripe.customer.update", method: POST, path: "/v1/customers/{customer}",
                              input: CustomerUpdateParams, output: Customer, mutates: true,
                              permissions: ["customer_write"] },
            /// List PaymentIntents, optionally for one customer.
            payment_intent_list { id: "stripe.payment_intent.list", method: GET, path: "/v1/payment_intents",
                                  input: PaymentIntentListParams, output: List<PaymentIntent>, paginated: true,
                                  permissions: ["payment_intent_read"] },
            /// Retrieve a PaymentIntent.
            payment_intent_get { id: "stripe.payment_intent.get", method: GET, path: "/v1/payment_intents/{intent}",
                                 input: PaymentIntentRetrieveParams, output: PaymentIntent,
                                 permissions: ["payment_intent_read"] },
            /// Create a PaymentIntent.
            payment_intent_create { id: "stripe.payment_intent.create", method: POST, path: "/v1/payment_intents",
                                    input: PaymentIntentCreateParams, output: PaymentIntent, mutates: true,
                                    permissions: ["payment_intent_write"] },
            /// Confirm that the customer intends to pay with the given or attached payment method.
            payment_intent_confirm { id: "stripe.payment_intent.confirm", method: POST,
                                     path: "/v1/payment_intents/{intent}/confirm",
                                     input: PaymentIntentConfirmParams, output: PaymentIntent, mutates: true,
                                     permissions: ["payment_intent_write"] },
            /// List invoices by customer, status or subscription.
            invoice_list { id: "stripe.invoice.list", method: GET, path: "/v1/invoices",
                           input: InvoiceListParams, output: List<Invoice>, paginated: true,
                           permissions: ["invoice_read"] },
            /// Retrieve an invoice.
            invoice_get { id: "stripe.invoice.get", method: GET, path: "/v1/invoices/{invoice}",
                          input: InvoiceRetrieveParams, output: Invoice, permissions: ["invoice_read"] },
            /// Create a draft invoice for a customer. High impact: confirm with a person first.
            invoice_create { id: "stripe.invoice.create", method: POST, path: "/v1/invoices",
                             input: InvoiceCreateParams, output: Invoice, mutates: true, high_impact: true,
                             permissions: ["invoice_write"] },
            /// List subscriptions by customer, price or status.
            subscription_list { id: "stripe.subscription.list", method: GET, path: "/v1/subscriptions",
                                input: SubscriptionListParams, output: List<Subscription>, paginated: true,
                                permissions: ["subscription_read"] },
            /// Retrieve a subscription.
            subscription_get { id: "stripe.subscription.get", method: GET,
                               path: "/v1/subscriptions/{subscription_exposed_id}",
                               input: SubscriptionRetrieveParams, output: Subscription,
                               permissions: ["subscription_read"] },
            /// Subscribe a customer to one or more prices.
            subscription_create { id: "stripe.subscription.create", method: POST, path: "/v1/subscriptions",
                                  input: SubscriptionCreateParams, output: Subscription, mutates: true,
                                  permissions: ["subscription_write"] },
            /// Cancel a subscription immediately.
            subscription_cancel { id: "stripe.subscription.cancel", method: DELETE,
                                  path: "/v1/subscriptions/{subscription_exposed_id}",
                                  input: SubscriptionCancelParams, output: Subscription, mutates: true,
                                  permissions: ["subscription_write"] },
            /// Refund a charge or PaymentIntent, fully or partly. High impact: confirm with a person first.
            refund_create { id: "stripe.refund.create", method: POST, path: "/v1/refunds",
                            input: RefundCreateParams, output: Refund, mutates: true, high_impact: true,
                            permissions: ["charge_write"] },
            /// Create a hosted Checkout Session.
            checkout_session_create { id: "stripe.checkout_session.create", method: POST,
                                      path: "/v1/checkout/sessions",
                                      input: CheckoutSessionCreateParams, output: CheckoutSession, mutates: true,
                                      permissions: ["checkout_session_write"] },
            /// Create a shareable payment link.
            payment_link_create { id: "stripe.payment_link.create", method: POST, path: "/v1/payment_links",
                                  input: PaymentLinkCreateParams, output: PaymentLink, mutates: true,
                                  permissions: ["payment_links_write"] },
            /// Create a product, optionally with a default price.
            product_create { id: "stripe.product.create", method: POST, path: "/v1/products",
                             input: ProductCreateParams, output: Product, mutates: true,
                             permissions: ["product_write"] },
            /// Create a price for a product.
            price_create { id: "stripe.price.create", method: POST, path: "/v1/prices",
                           input: PriceCreateParams, output: Price, mutates: true, permissions: ["plan_write"] },
        ],
        events: {
            prefix: "stripe.",
            envelope: {
                id: { body: "/id" },
                type: [{ body: "/type" }],
                created: { body: "/created" },
                account: { body: "/account" },
                livemode: { body: "/livemode" },
                object: { body: "/data/object" },
                previous_attributes: { body: "/data/previous_attributes" },
                object_id: "/id",
                object_type: "/object",
            },
            types: [
                "account.application.deauthorized" => Application,
                "charge.failed" => Charge,
                "charge.refunded" => Charge,
                "charge.succeeded" => Charge,
                "charge.dispute.created" => Dispute,
                "checkout.session.completed" => CheckoutSession,
                "checkout.session.expired" => CheckoutSession,
                "customer.created" => Customer,
                "customer.deleted" => Customer,
                "customer.updated" => Customer,
                "customer.subscription.created" => Subscription,
                "customer.subscription.deleted" => Subscription,
                "customer.subscription.paused" => Subscription,
                "customer.subscription.resumed" => Subscription,
                "customer.subscription.trial_will_end" => Subscription,
                "customer.subscription.updated" => Subscription,
                "invoice.created" => Invoice,
                "invoice.deleted" => Invoice,
                "invoice.finalized" => Invoice,
                "invoice.marked_uncollectible" => Invoice,
                "invoice.paid" => Invoice,
                "invoice.payment_failed" => Invoice,
                "invoice.payment_succeeded" => Invoice,
                "invoice.sent" => Invoice,
                "invoice.upcoming" => Invoice,
                "invoice.updated" => Invoice,
                "invoice.voided" => Invoice,
                "payment_intent.amount_capturable_updated" => PaymentIntent,
                "payment_intent.canceled" => PaymentIntent,
                "payment_intent.created" => PaymentIntent,
                "payment_intent.payment_failed" => PaymentIntent,
                "payment_intent.requires_action" => PaymentIntent,
                "payment_intent.succeeded" => PaymentIntent,
                "refund.created" => Refund,
                "refund.failed" => Refund,
                "refund.updated" => Refund,
            ],
        },
    }
}
