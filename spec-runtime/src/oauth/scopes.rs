use std::fmt;

use spec_core::{Action, AuthKind, AuthMethod, IntegrationSpec, ScopeImplication};

/// The connection's grants do not cover an action's permissions.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct MissingPermission {
    /// Action id.
    pub action: String,
    /// Permissions the action needs that no grant covers, in the action's order.
    pub missing: Vec<String>,
    /// What the connection was granted.
    pub granted: Vec<String>,
}

impl MissingPermission {
    /// The first missing permission.
    pub fn permission(&self) -> &str {
        self.missing.first().map_or("", String::as_str)
    }
}

impl fmt::Display for MissingPermission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.missing.len() == 1 { "" } else { "s" };
        write!(
            f,
            "action `{}` needs permission{plural} `{}`, not covered by the connection's grants [{}]",
            self.action,
            self.missing.join("`, `"),
            self.granted.join(", ")
        )
    }
}

/// Checks that `granted` (scopes or permissions of a connection) covers every permission `action`
/// declares. A grant covers a permission when it names it, or when it is a broad scope whose declared
/// [`ScopeImplication`] (the `scope_implications` of `spec`'s oauth2 method) implies it. Implications
/// apply only to `spec`'s own actions (whose id starts with its provider id): another provider's action
/// is covered only by grants naming its permissions.
pub fn check_permissions(spec: &IntegrationSpec, action: &Action, granted: &[String]) -> Result<(), MissingPermission> {
    let own = action.id.split('.').next() == Some(spec.provider_id());
    let implications = match spec.auth_method(AuthKind::OAuth2) {
        Some(AuthMethod::OAuth2(m)) if own => m.scope_implications(),
        _ => &[],
    };
    check_permissions_with(implications, action, granted)
}

/// [`check_permissions`] with explicit scope implications.
pub fn check_permissions_with(
    implications: &[ScopeImplication],
    action: &Action,
    granted: &[String],
) -> Result<(), MissingPermission> {
    let covered = |permission: &str| {
        granted
            .iter()
            .any(|g| ScopeImplication::grant_covers(implications, g, permission))
    };
    let missing: Vec<String> = action.permissions.iter().filter(|p| !covered(p)).cloned().collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(MissingPermission {
            action: action.id.clone(),
            missing,
            granted: granted.to_vec(),
        })
    }
}
