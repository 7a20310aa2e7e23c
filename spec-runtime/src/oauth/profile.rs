use std::time::Duration;

use super::scopes::{Coverage, ScopeGrant};

/// How the client authenticates to the token (or revocation) endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientAuth {
    /// HTTP Basic with the form-encoded client id and secret (RFC 6749 §2.3.1).
    Basic,
    /// `client_id` and `client_secret` as form fields of the request body.
    RequestBody,
    /// HTTP Basic with the client secret as user name and an empty password (Stripe's `-u sk_…:`).
    SecretAsBasicUser,
}

/// How a connection is revoked at the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revocation {
    /// RFC 7009: `token` (the refresh token, else the access token) and `token_type_hint`, with the
    /// connector's client authentication.
    Rfc7009,
    /// Deauthorize an account: form fields `client_id` and `account_param` = the connected account id
    /// (Stripe: `POST /oauth/deauthorize` with `client_id` and `stripe_user_id`).
    AccountDeauthorize {
        /// Form field carrying the account id.
        account_param: &'static str,
        /// Client authentication on the request.
        auth: ClientAuth,
    },
}

/// What a provider's OAuth does beyond RFC 6749, as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OAuthProfile {
    /// Provider id (`stripe`); `*` for the standard profile.
    pub provider: &'static str,
    /// Default client authentication at the token endpoint (a connector may override it).
    pub client_auth: ClientAuth,
    /// Token-response field holding the connected account id (`stripe_user_id`); required when set.
    pub account_id_field: Option<&'static str>,
    /// Token-response field telling live or test mode (`livemode`).
    pub livemode_field: Option<&'static str>,
    /// Request header naming the connected account on API calls (`Stripe-Account`).
    pub account_header: Option<&'static str>,
    /// Access-token lifetime assumed when the token response has no `expires_in`.
    pub default_token_lifetime: Option<Duration>,
    /// How connections are revoked at `revocation_url`.
    pub revocation: Revocation,
    /// Upstream event type meaning the account removed the application
    /// (`account.application.deauthorized`).
    pub deauthorized_event: Option<&'static str>,
    /// Broad scopes and the permissions they imply.
    pub scope_grants: &'static [ScopeGrant],
}

impl OAuthProfile {
    /// Plain RFC 6749 / 7009 behaviour: Basic client auth, no account id, no scope implications.
    pub const STANDARD: OAuthProfile = OAuthProfile {
        provider: "*",
        client_auth: ClientAuth::Basic,
        account_id_field: None,
        livemode_field: None,
        account_header: None,
        default_token_lifetime: None,
        revocation: Revocation::Rfc7009,
        deauthorized_event: None,
        scope_grants: &[],
    };

    /// Stripe (Connect / Stripe Apps OAuth): the platform secret key is the client secret, sent as a
    /// form field; the token response carries `stripe_user_id`, `livemode`, `scope` and
    /// `stripe_publishable_key`; access tokens last an hour; `read_write` covers every permission and
    /// `read_only` every `*_read` permission.
    pub const STRIPE: OAuthProfile = OAuthProfile {
        provider: "stripe",
        client_auth: ClientAuth::RequestBody,
        account_id_field: Some("stripe_user_id"),
        livemode_field: Some("livemode"),
        account_header: Some("Stripe-Account"),
        default_token_lifetime: Some(Duration::from_secs(3600)),
        revocation: Revocation::AccountDeauthorize {
            account_param: "stripe_user_id",
            auth: ClientAuth::SecretAsBasicUser,
        },
        deauthorized_event: Some("account.application.deauthorized"),
        scope_grants: &[
            ScopeGrant {
                scope: "read_write",
                covers: Coverage::All,
            },
            ScopeGrant {
                scope: "read_only",
                covers: Coverage::Suffix("_read"),
            },
        ],
    };

    /// The profile of a provider, if the table has one.
    pub fn lookup(provider: &str) -> Option<&'static OAuthProfile> {
        OAUTH_PROFILES.iter().find(|p| p.provider == provider)
    }

    /// The profile of a provider, or [`OAuthProfile::STANDARD`].
    pub fn for_provider(provider: &str) -> &'static OAuthProfile {
        Self::lookup(provider).unwrap_or(&Self::STANDARD)
    }
}

/// Provider OAuth profiles by provider id. Add a row to teach the framework a provider's OAuth.
pub const OAUTH_PROFILES: &[OAuthProfile] = &[OAuthProfile::STRIPE];
