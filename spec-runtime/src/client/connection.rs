//! How a connection's secrets and configuration feed a client: the integration's secrets type says which
//! credential it holds for each auth method, its config type names the sub-account requests act for.

use super::{BuildError, ClientBuilder, Credential};
use spec_core::AuthKind;

/// Implemented by an integration's secrets type: the credential it holds for an auth method.
pub trait ConnectionSecrets {
    /// The credential for an auth method of `kind`, if these secrets hold one.
    fn credential(&self, kind: AuthKind) -> Option<Credential>;
}

/// Implemented by an integration's config type.
pub trait ConnectionConfig {
    /// The sub-account requests act for (sent in the REST transport's `account_header`), if any.
    fn account_id(&self) -> Option<&str> {
        None
    }
}

impl ClientBuilder {
    /// Takes the credential for `auth` from `secrets` and the account from `config`.
    pub fn connection(
        self,
        secrets: &impl ConnectionSecrets,
        config: &impl ConnectionConfig,
        auth: AuthKind,
    ) -> Result<Self, BuildError> {
        let spec = self.spec();
        let credential = secrets
            .credential(auth)
            .ok_or_else(|| BuildError::NoCredentialForAuth {
                integration: spec.meta.key.clone(),
                auth,
            })?;
        let mut builder = self.credential(credential);
        if let Some(account) = config.account_id()
            && spec.rest().and_then(|r| r.account_header.as_ref()).is_some()
        {
            builder = builder.account(account);
        }
        Ok(builder)
    }
}
