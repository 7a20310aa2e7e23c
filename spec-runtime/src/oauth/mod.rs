//! The OAuth connect flow, driven by the spec's `oauth2` auth method.
//!
//! - [`OAuthConnector::connect`] returns the provider's authorization URL carrying an HMAC-SHA256-signed,
//!   expiring, single-use `state` ({project, connection name, nonce, expiry}, base64url), with a PKCE
//!   (S256) challenge when the spec asks for one; the verifier stays server-side under the nonce.
//! - [`OAuthConnector::callback`] refuses tampered, expired, replayed and other-project states with
//!   distinct [`StateError`]s, exchanges the code at the token URL keeping the provider's extra fields
//!   (Stripe: `stripe_user_id` becomes the account id, `livemode`, `scope`, `stripe_publishable_key`),
//!   and stores the [`Connection`] through a [`ConnectionStore`].
//! - [`OAuthConnector::access`] refreshes the access token before it expires, one refresh per connection
//!   however many callers wait on it.
//! - [`OAuthConnector::revoke`] calls the revocation URL (RFC 7009, or an account deauthorization such
//!   as Stripe's `POST /oauth/deauthorize`), and [`OAuthConnector::disconnect`] /
//!   [`OAuthConnector::handle_event`] drop connections whose account deauthorized the application.
//! - [`check_permissions`] tells whether a connection's grants cover an action's permissions, through
//!   the spec's scope implications ([`spec_core::OAuth2Auth::scope_implications`]).
//!
//! Authorization URL, PKCE challenge, code exchange, refresh and RFC 7009 revocation go through the
//! `oauth2` crate, over the connector's reqwest client with responses bounded to 64 KiB. Provider
//! specifics beyond RFC 6749 (client authentication style, account id field, livemode field, token
//! lifetime, revocation style, deauthorized event, scope implications) are declared in the spec's
//! `oauth2` auth method and read through its accessors; the account header is the REST transport's
//! `account_header`.

mod builder;
pub(crate) mod callback;
mod connector;
pub(crate) mod endpoint;
mod error;
mod grant;
pub(crate) mod http;
mod nonce;
mod random;
mod refresh;
mod revoke;
mod scopes;
mod state;
mod store;

pub use crate::clock::{Clock, FixedClock, ManualClock, SystemClock};
pub use builder::{DEFAULT_MAX_TOKEN_RESPONSE_BYTES, DEFAULT_TOKEN_TIMEOUT, OAuthConnectorBuilder};
pub use callback::CallbackQuery;
pub use connector::{DEFAULT_REFRESH_MARGIN, DEFAULT_STATE_TTL, OAuthConnector};
pub use endpoint::TokenError;
pub use error::{CallbackError, ConnectError, ConnectorConfigError, GrantHeaderError, RefreshError, RevokeError};
pub use grant::AccessGrant;
pub use nonce::{InMemoryNonceStore, NonceStore, PendingAuthorization};
pub use random::RandomError;
pub use scopes::{MissingPermission, check_permissions, check_permissions_with};
pub use spec_core::{ClientAuth, Coverage, Revocation, RevocationPlan, RevocationStyle, ScopeImplication};
pub use state::{StateError, StatePayload, StateSigner};
pub use store::{BoxFuture, Connection, ConnectionKey, ConnectionStore, InMemoryConnectionStore, StoreError};
