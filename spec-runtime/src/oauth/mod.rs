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
//! - [`OAuthConnector::revoke`] calls the revocation URL (Stripe: `POST /oauth/deauthorize`), and
//!   [`OAuthConnector::disconnect`] / [`OAuthConnector::handle_event`] drop connections whose account
//!   deauthorized the application.
//! - [`check_permissions`] tells whether a connection's grants cover an action's permissions, through
//!   each provider's scope table ([`OAuthProfile::scope_grants`]).
//!
//! Provider specifics beyond RFC 6749 (client authentication style, account id field, revocation style,
//! token lifetime, scope implications) are data in [`OAUTH_PROFILES`].

mod builder;
mod callback;
mod clock;
mod connector;
mod endpoint;
mod error;
mod grant;
mod nonce;
mod profile;
mod random;
mod refresh;
mod revoke;
mod scopes;
mod state;
mod store;

pub use builder::OAuthConnectorBuilder;
pub use callback::CallbackQuery;
pub use clock::{Clock, ManualClock, SystemClock};
pub use connector::{DEFAULT_REFRESH_MARGIN, DEFAULT_STATE_TTL, OAuthConnector};
pub use endpoint::TokenError;
pub use error::{CallbackError, ConnectError, ConnectorConfigError, GrantHeaderError, RefreshError, RevokeError};
pub use grant::AccessGrant;
pub use nonce::{InMemoryNonceStore, NonceStore, PendingAuthorization};
pub use profile::{ClientAuth, OAUTH_PROFILES, OAuthProfile, Revocation};
pub use random::RandomError;
pub use scopes::{Coverage, MissingPermission, ScopeGrant, check_permissions, check_permissions_with};
pub use state::{StateError, StatePayload, StateSigner};
pub use store::{BoxFuture, Connection, ConnectionKey, ConnectionStore, InMemoryConnectionStore, StoreError};
