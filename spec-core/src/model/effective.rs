//! What a declaration means: every default and every inference, each computed by one method here.
//!
//! The runtime, every emitter and the host read these methods instead of the raw optional fields, so that the
//! Rust client, the OpenAPI document, the TypeScript SDK and the docs cannot disagree about a default.
//!
//! ```
//! # let json = r#"{
//! #   "meta": {"key": "payments.demo", "version": "1.0.0", "category": "payments", "title": "Demo",
//! #            "domain": "payments", "stability": "beta"},
//! #   "supported_modes": ["managed"],
//! #   "transports": [{"type": "rest", "base_url": "https://api.demo.test"},
//! #                  {"type": "webhook", "inbound": {"signature_header": "Stripe-Signature",
//! #                                                  "signing_algorithm": "hmac-sha256"}}],
//! #   "preferred_transport": "rest",
//! #   "supported_auth_methods": [{"type": "api-key", "header_name": "Authorization", "prefix": "Bearer "}],
//! #   "config": {"type_name": "DemoConfig"},
//! #   "secrets": {"type_name": "DemoSecrets"}
//! # }"#;
//! let spec: spec_core::IntegrationSpec = serde_json::from_str(json)?;
//! assert_eq!(spec.idempotency_header(), None); // not declared: none is sent, none is documented
//! assert_eq!(spec.version_placement(), None); // no version policy
//! assert_eq!(spec.webhook_scheme(), Some(spec_core::SignatureScheme::Stripe)); // from the header name
//! assert_eq!(spec.deploy_var("WEBHOOK_SECRET"), "DEMO_INTEGRATION_WEBHOOK_SECRET");
//! assert_eq!(spec.webhook_path(), "/v1/provider/demo/webhook/events");
//! # Ok::<(), serde_json::Error>(())
//! ```

use super::{
    Action, AuthMethod, BearerAuth, ContentPart, HttpMethod, IntegrationSpec, Pagination, PaginationStyle,
    SignatureLayout, SignatureScheme, VersionStatus, WebhookSignature, WebhookSigningAuth,
};

/// Where the API version goes on each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionPlacement<'a> {
    /// In this request header (`Stripe-Version`).
    Header(&'a str),
    /// In this query parameter.
    Query(&'a str),
    /// As the first path segment after the base URL's path.
    Path,
}

/// The header carrying bearer tokens when a method names none.
pub const DEFAULT_BEARER_HEADER: &str = "Authorization";
/// The prefix of bearer tokens.
pub const BEARER_PREFIX: &str = "Bearer ";
/// The response field holding a page's items when neither the action nor the pagination names one.
pub const DEFAULT_ITEMS_FIELD: &str = "data";
/// The response field saying more pages exist, for `starting_after` paging, when none is declared.
pub const DEFAULT_HAS_MORE_FIELD: &str = "has_more";

impl IntegrationSpec {
    /// The header carrying the idempotency key of mutating requests: the REST transport's declared
    /// `idempotency_header`, or `None` (then no key is sent and none is documented).
    pub fn idempotency_header(&self) -> Option<&str> {
        self.rest().and_then(|r| r.idempotency_header.as_deref())
    }

    /// Where the API version goes, when the spec has a version policy: the REST transport's
    /// `api_version_header`, else the policy's `version_header`, else its `version_query_param`, else a path
    /// segment when `version_in_path`. `None` without a policy or a placement.
    pub fn version_placement(&self) -> Option<VersionPlacement<'_>> {
        let policy = self.version_policy.as_ref()?;
        if let Some(h) = self
            .rest()
            .and_then(|r| r.api_version_header.as_deref())
            .or(policy.version_header.as_deref())
        {
            return Some(VersionPlacement::Header(h));
        }
        if let Some(q) = policy.version_query_param.as_deref() {
            return Some(VersionPlacement::Query(q));
        }
        policy.version_in_path.then_some(VersionPlacement::Path)
    }

    /// The header carrying the API version, if the version goes in a header.
    pub fn version_header(&self) -> Option<&str> {
        match self.version_placement()? {
            VersionPlacement::Header(h) => Some(h),
            _ => None,
        }
    }

    /// The API version sent when a connection pins none: the policy's `current_version`.
    pub fn default_api_version(&self) -> Option<&str> {
        self.version_policy.as_ref().map(|p| p.current_version.as_str())
    }

    /// Versions a connection may pin: every supported version not sunset, in declaration order.
    pub fn usable_versions(&self) -> Vec<&str> {
        self.version_policy
            .iter()
            .flat_map(|p| &p.supported_versions)
            .filter(|v| v.status != VersionStatus::Sunset)
            .map(|v| v.version.as_str())
            .collect()
    }

    /// The webhook signature scheme: the inbound block's declared `scheme`, else the scheme conventional for
    /// its signature header ([`SignatureScheme::for_signature_header`]); `None` without an inbound webhook,
    /// when the inbound block declares its own layout (`signature`) and no `scheme`, or when the header
    /// suggests no scheme.
    pub fn webhook_scheme(&self) -> Option<SignatureScheme> {
        let inbound = self.webhook()?.inbound.as_ref()?;
        if inbound.signature.is_some() {
            return inbound.scheme;
        }
        inbound
            .scheme
            .or_else(|| SignatureScheme::for_signature_header(&inbound.signature_header))
    }

    /// The signature layout in force: the inbound block's declared `signature`, else the preset of the
    /// scheme ([`webhook_scheme`](Self::webhook_scheme), declared or inferred) for its algorithm; with the
    /// `webhook_signing` method's `timestamp_header` and `id_header` applied (the timestamp header only when
    /// the timestamp is not an item of the signature header, the id header only when `{id}` is signed), and
    /// the tolerance of [`webhook_tolerance`](Self::webhook_tolerance). `None` without an inbound webhook or
    /// without a layout. The verifier, the signer and every emitter read the layout here.
    pub fn webhook_signature(&self) -> Option<WebhookSignature> {
        let inbound = self.webhook()?.inbound.as_ref()?;
        let (preset, mut layout) = match &inbound.signature {
            Some(declared) => (None, declared.clone()),
            None => {
                let scheme = self.webhook_scheme()?;
                (Some(scheme), scheme.layout(inbound.signing_algorithm))
            }
        };
        let signing = self.webhook_signing();
        if layout.timestamp_item().is_some() {
            layout.timestamp_header = None;
        } else if let Some(h) = signing.and_then(|w| w.timestamp_header.as_ref()) {
            layout.timestamp_header = Some(h.clone());
        }
        if !layout.signs(&ContentPart::Id) {
            layout.id_header = None;
        } else if let Some(h) = signing.and_then(|w| w.id_header.as_ref()) {
            layout.id_header = Some(h.clone());
        }
        let tolerance = self.webhook_tolerance_for(&layout, preset);
        Some(WebhookSignature {
            preset,
            algorithm: inbound.signing_algorithm,
            signature_header: inbound.signature_header.clone(),
            tolerance,
            layout,
        })
    }

    /// The `webhook_signing` auth method, if declared.
    pub fn webhook_signing(&self) -> Option<&WebhookSigningAuth> {
        self.supported_auth_methods.iter().find_map(|m| match m {
            AuthMethod::WebhookSigning(w) => Some(w),
            _ => None,
        })
    }

    /// The header carrying the webhook timestamp apart from the signature
    /// ([`webhook_signature`](Self::webhook_signature)'s `timestamp_header`): the `webhook_signing` method's
    /// `timestamp_header`, else the layout's (a scheme's is [`SignatureScheme::default_timestamp_header`]).
    pub fn webhook_timestamp_header(&self) -> Option<String> {
        self.webhook_signature()?.layout.timestamp_header
    }

    /// The header carrying the signed message id ([`webhook_signature`](Self::webhook_signature)'s
    /// `id_header`): the `webhook_signing` method's `id_header`, else the layout's (a scheme's is
    /// [`SignatureScheme::default_id_header`]); `None` for layouts that sign no id.
    pub fn webhook_id_header(&self) -> Option<String> {
        self.webhook_signature()?.layout.id_header
    }

    /// The accepted clock skew of webhook timestamps, in seconds: the inbound block's `tolerance`, else the
    /// `webhook_signing` method's, else the scheme's ([`SignatureScheme::default_tolerance`]), else, for a
    /// declared layout carrying a timestamp, [`DEFAULT_TOLERANCE`](super::DEFAULT_TOLERANCE).
    pub fn webhook_tolerance(&self) -> Option<u64> {
        let sig = self.webhook_signature();
        match &sig {
            Some(s) => s.tolerance,
            None => self.declared_tolerance(),
        }
    }

    fn declared_tolerance(&self) -> Option<u64> {
        let inbound = self.webhook().and_then(|w| w.inbound.as_ref());
        inbound
            .and_then(|i| i.tolerance)
            .or_else(|| self.webhook_signing().and_then(|w| w.tolerance))
    }

    fn webhook_tolerance_for(&self, layout: &SignatureLayout, preset: Option<SignatureScheme>) -> Option<u64> {
        self.declared_tolerance().or(match preset {
            Some(scheme) => scheme.default_tolerance(),
            None => layout.has_timestamp().then_some(super::DEFAULT_TOLERANCE),
        })
    }

    /// The header carrying bearer and OAuth 2.0 access tokens: the bearer method's header when one is
    /// declared, else `Authorization` when an OAuth 2.0 method is; `None` with neither.
    pub fn access_token_header(&self) -> Option<&str> {
        self.supported_auth_methods
            .iter()
            .find_map(|m| match m {
                AuthMethod::Bearer(b) => Some(b.header()),
                _ => None,
            })
            .or_else(|| {
                self.supported_auth_methods
                    .iter()
                    .any(|m| matches!(m, AuthMethod::OAuth2(_)))
                    .then_some(DEFAULT_BEARER_HEADER)
            })
    }

    /// The request header naming the connected sub-account (`Stripe-Account`), if declared.
    pub fn account_header(&self) -> Option<&str> {
        self.rest().and_then(|r| r.account_header.as_deref())
    }

    /// The prefix of this integration's deployment variables (`STRIPE_INTEGRATION_`).
    pub fn deploy_prefix(&self) -> String {
        deploy_prefix(self.provider_id())
    }

    /// The full name of one deployment variable (`WEBHOOK_SECRET` → `STRIPE_INTEGRATION_WEBHOOK_SECRET`).
    pub fn deploy_var(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.deploy_prefix())
    }

    /// The path, below the deployment's base URL, where the provider sends the browser back after OAuth
    /// consent (`/v1/provider/stripe/callback`).
    pub fn callback_path(&self) -> String {
        callback_path(self.provider_id())
    }

    /// The path, below the deployment's base URL, to register as the provider's webhook endpoint
    /// (`/v1/provider/stripe/webhook/events`).
    pub fn webhook_path(&self) -> String {
        webhook_path(self.provider_id())
    }

    /// The prefix of the provider-neutral event types (`stripe.` in `stripe.invoice.paid`): `events.prefix`,
    /// else the provider id and a dot.
    pub fn event_prefix(&self) -> String {
        match &self.events {
            Some(events) => events.prefix.clone(),
            None => format!("{}.", self.provider_id()),
        }
    }

    /// The REST transport's pagination, if declared.
    pub fn pagination(&self) -> Option<&Pagination> {
        self.rest().and_then(|r| r.pagination.as_ref())
    }
}

/// The prefix of a provider's deployment variables: the provider id in upper case, characters other than
/// ASCII letters and digits turned into `_`, then `_INTEGRATION_` (`google-calendar` →
/// `GOOGLE_CALENDAR_INTEGRATION_`).
pub fn deploy_prefix(provider_id: &str) -> String {
    let mut out: String = provider_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    out.push_str("_INTEGRATION_");
    out
}

/// The OAuth callback path of a provider, below the deployment's base URL (`/v1/provider/stripe/callback`).
pub fn callback_path(provider_id: &str) -> String {
    format!("/v1/provider/{provider_id}/callback")
}

/// The platform webhook path of a provider, below the deployment's base URL
/// (`/v1/provider/stripe/webhook/events`).
pub fn webhook_path(provider_id: &str) -> String {
    format!("/v1/provider/{provider_id}/webhook/events")
}

impl Action {
    /// Whether the action only reads: it does not mutate provider state (MCP's `readOnlyHint`).
    pub fn is_read_only(&self) -> bool {
        !self.mutates
    }

    /// Whether the action may destroy or overwrite provider state rather than only add to it (MCP's
    /// `destructiveHint`): a mutating `DELETE` or `PUT`, or a mutating `POST`/`PATCH` to an existing
    /// resource's own path (one ending in a `{param}` segment: Stripe's `POST /v1/customers/{customer}`
    /// overwrites the fields it sends). Creating in a collection (`POST /v1/invoices`) or a sub-collection
    /// (`POST .../issues/{n}/comments`) and actions on a resource (`POST .../{intent}/confirm`) only add.
    /// A high-impact action is not destructive for that alone: high impact asks for a person's confirmation.
    /// A declared [`destructive`](Action::destructive) is taken as it is.
    pub fn is_destructive(&self) -> bool {
        if !self.mutates {
            return false;
        }
        if let Some(declared) = self.destructive {
            return declared;
        }
        match self.method {
            HttpMethod::Delete | HttpMethod::Put => true,
            HttpMethod::Post | HttpMethod::Patch => self
                .path
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .is_some_and(|last| last.starts_with('{') && last.ends_with('}')),
            HttpMethod::Get => false,
        }
    }
}

impl SignatureScheme {
    /// The scheme's conventional signature header: Stripe `Stripe-Signature`, GitHub `X-Hub-Signature-256`,
    /// Slack `X-Slack-Signature`, Standard Webhooks `webhook-signature`.
    pub const fn default_signature_header(self) -> &'static str {
        match self {
            SignatureScheme::Stripe => "Stripe-Signature",
            SignatureScheme::Github => "X-Hub-Signature-256",
            SignatureScheme::Slack => "X-Slack-Signature",
            SignatureScheme::StandardWebhooks => "webhook-signature",
        }
    }

    /// The header carrying the timestamp apart from the signature: Slack `X-Slack-Request-Timestamp`,
    /// Standard Webhooks `webhook-timestamp`; none for Stripe (inside the signature header) and GitHub.
    pub const fn default_timestamp_header(self) -> Option<&'static str> {
        match self {
            SignatureScheme::Slack => Some("X-Slack-Request-Timestamp"),
            SignatureScheme::StandardWebhooks => Some("webhook-timestamp"),
            SignatureScheme::Stripe | SignatureScheme::Github => None,
        }
    }

    /// The header carrying the message id that is part of the signed content: Standard Webhooks `webhook-id`.
    pub const fn default_id_header(self) -> Option<&'static str> {
        match self {
            SignatureScheme::StandardWebhooks => Some("webhook-id"),
            _ => None,
        }
    }

    /// The scheme's documented timestamp tolerance in seconds (300 for the timestamped schemes); `None`
    /// for GitHub, which signs no timestamp.
    pub const fn default_tolerance(self) -> Option<u64> {
        match self {
            SignatureScheme::Github => None,
            _ => Some(300),
        }
    }

    /// The scheme conventionally using a signature header (case-insensitive): `Stripe-Signature`,
    /// `X-Hub-Signature-256` / `X-Hub-Signature`, `X-Slack-Signature`, `webhook-signature`.
    pub fn for_signature_header(header: &str) -> Option<SignatureScheme> {
        match header.to_ascii_lowercase().as_str() {
            "stripe-signature" => Some(SignatureScheme::Stripe),
            "x-hub-signature-256" | "x-hub-signature" => Some(SignatureScheme::Github),
            "x-slack-signature" => Some(SignatureScheme::Slack),
            "webhook-signature" => Some(SignatureScheme::StandardWebhooks),
            _ => None,
        }
    }
}

impl BearerAuth {
    /// The header carrying the token: the declared one, else `Authorization`.
    pub fn header(&self) -> &str {
        self.header_name.as_deref().unwrap_or(DEFAULT_BEARER_HEADER)
    }
}

impl Pagination {
    /// The query parameter carrying the cursor: the declared one, else `cursor` for the `cursor` style and
    /// `starting_after` otherwise.
    pub fn cursor_param(&self) -> &str {
        match (&self.cursor_param, self.style) {
            (Some(p), _) => p,
            (None, PaginationStyle::Cursor) => "cursor",
            (None, _) => "starting_after",
        }
    }

    /// The response field saying more pages exist: the declared one, else `has_more`.
    pub fn has_more_field(&self) -> &str {
        self.has_more_field.as_deref().unwrap_or(DEFAULT_HAS_MORE_FIELD)
    }

    /// The declared response field holding the items of `action`'s pages: the action's own `items_field`,
    /// else the pagination's; `None` when neither is declared (then [`DEFAULT_ITEMS_FIELD`] or a top-level
    /// array is read).
    pub fn declared_items_field<'a>(&'a self, action: &'a Action) -> Option<&'a str> {
        action.items_field.as_deref().or(self.items_field.as_deref())
    }

    /// The response field holding the items of `action`'s pages: [`declared_items_field`](Self::declared_items_field),
    /// else `data`.
    pub fn items_field<'a>(&'a self, action: &'a Action) -> &'a str {
        self.declared_items_field(action).unwrap_or(DEFAULT_ITEMS_FIELD)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(method: &str, path: &str, mutates: bool) -> Action {
        serde_json::from_value(serde_json::json!({
            "id": "demo.thing.do", "method_name": "thing_do", "method": method, "path": path,
            "input": {"type_name": "In"}, "output": {"type_name": "Out"}, "mutates": mutates
        }))
        .unwrap()
    }

    #[test]
    fn destructive_follows_what_the_method_does_to_which_resource() {
        let cases = [
            ("DELETE", "/v1/subscriptions/{id}", true, true),
            ("PUT", "/v1/things/{id}", true, true),
            ("POST", "/v1/customers/{customer}", true, true),
            ("PATCH", "/repos/{owner}/{repo}/", true, true),
            ("POST", "/v1/invoices", true, false),
            ("POST", "/repos/{owner}/{repo}/issues/{n}/comments", true, false),
            ("POST", "/v1/payment_intents/{intent}/confirm", true, false),
            ("GET", "/v1/customers/{customer}", false, false),
            ("POST", "/search/{index}", false, false),
        ];
        for (method, path, mutates, destructive) in cases {
            let a = action(method, path, mutates);
            assert_eq!(a.is_destructive(), destructive, "{method} {path}");
            assert_eq!(a.is_read_only(), !mutates, "{method} {path}");
        }
    }

    #[test]
    fn a_declared_destructive_flag_wins_over_the_method() {
        let mut delete_by_post = action("POST", "/chat.delete", true);
        assert!(!delete_by_post.is_destructive());
        delete_by_post.destructive = Some(true);
        assert!(delete_by_post.is_destructive());
        let mut archive = action("DELETE", "/v1/things/{id}/archive", true);
        archive.destructive = Some(false);
        assert!(!archive.is_destructive());
    }
}
