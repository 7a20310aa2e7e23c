//! `define_integration!`: declare an integration once, get a validated spec and thin typed code.
//!
//! The macro parses the declaration into an IR that keeps spans (`ir`, read alongside the model's own JSON
//! Schema, `schema`), turns it into the spec-core model's JSON form (`to_json`), checks its keys against the
//! schema and deserializes and validates it with spec-core's one validator (`check`), places each error on
//! the offending token, and expands from the validated model plus the declaration's Rust tokens (`side`,
//! `expand`). See the `integrations` crate for a complete declaration.

mod check;
mod connection;
mod expand;
mod ir;
mod open;
mod parse;
mod pipeline;
mod schema;
mod side;
mod to_json;

use proc_macro::TokenStream;

/// Declares an integration. See the crate documentation and `integrations::stripe` for the syntax.
#[proc_macro]
pub fn define_integration(input: TokenStream) -> TokenStream {
    pipeline::define_integration(input.into()).into()
}

/// `Deserialize` for a struct that keeps the members it does not model in its one `#[serde(flatten)]` field
/// (`spec_runtime::open::Extra`, which keeps them as JSON text until looked at, or any map of `String` to a
/// deserializable value), reading the object in one pass: serde's own derive buffers the whole object when a
/// struct has a flattened field. Honours the field attributes `default`, `rename` and `flatten`;
/// derive `Serialize` and `JsonSchema` as usual. Runtime: `spec_runtime::open`.
///
/// ```
/// use std::collections::BTreeMap;
///
/// #[derive(serde::Serialize, spec_macros::DeserializeOpen)]
/// struct Customer {
///     id: String,
///     email: Option<String>,
///     #[serde(default)]
///     balance: i64,
///     #[serde(flatten)]
///     extra: BTreeMap<String, serde_json::Value>,
/// }
///
/// let c: Customer = serde_json::from_str(r#"{"id": "cus_1", "object": "customer", "balance": 5}"#)?;
/// assert_eq!((c.id.as_str(), c.email, c.balance), ("cus_1", None, 5));
/// assert_eq!(c.extra["object"], "customer");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[proc_macro_derive(DeserializeOpen, attributes(serde))]
pub fn deserialize_open(input: TokenStream) -> TokenStream {
    open::derive(input.into()).into()
}

/// `spec_runtime::client::ConnectionSecrets` for a connection's secrets type: `#[connection(…)]` on a field
/// names the auth methods whose credential it holds — `api_key`, `header` (both an API key), `bearer`,
/// `oauth2` (an access token), `basic` (the user name) with `basic_password` on the password field. Fields
/// may be `Secret` or `Option<Secret>`. `webhook_secret` marks the secret that signs the connection's own
/// webhook deliveries.
///
/// ```
/// use spec_core::{AuthKind, Secret};
/// use spec_runtime::client::{ConnectionSecrets, Credential};
///
/// #[derive(serde::Deserialize, spec_macros::ConnectionSecrets)]
/// struct AcmeSecrets {
///     #[connection(bearer, oauth2)]
///     token: Secret,
///     #[connection(webhook_secret)]
///     signing_key: Option<Secret>,
/// }
///
/// let s = AcmeSecrets { token: Secret::new("t_1"), signing_key: Some(Secret::new("whsec_1")) };
/// assert_eq!(s.webhook_secret(), Some(Secret::new("whsec_1")));
/// assert_eq!(s.credential(AuthKind::Bearer), Some(Credential::bearer(Secret::new("t_1"))));
/// assert_eq!(s.credential(AuthKind::OAuth2), Some(Credential::oauth_access_token(Secret::new("t_1"))));
/// assert_eq!(s.credential(AuthKind::ApiKey), None);
/// ```
#[proc_macro_derive(ConnectionSecrets, attributes(connection))]
pub fn connection_secrets(input: TokenStream) -> TokenStream {
    connection::derive_secrets(input.into()).into()
}

/// `spec_runtime::client::ConnectionConfig` for a connection's config type: `#[connection(account)]` on a
/// `String` or `Option<String>` field names the sub-account requests act for (sent in the REST transport's
/// `account_header`). Without a marked field, requests act for no sub-account.
///
/// ```
/// use spec_runtime::client::ConnectionConfig;
///
/// #[derive(serde::Deserialize, spec_macros::ConnectionConfig)]
/// struct AcmeConfig {
///     #[connection(account)]
///     account_id: Option<String>,
///     region: Option<String>,
/// }
///
/// let c = AcmeConfig { account_id: Some("acct_1".into()), region: None };
/// assert_eq!(c.account_id(), Some("acct_1"));
/// ```
#[proc_macro_derive(ConnectionConfig, attributes(connection))]
pub fn connection_config(input: TokenStream) -> TokenStream {
    connection::derive_config(input.into()).into()
}
