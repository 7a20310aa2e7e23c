use std::fmt;

use super::profile::OAuthProfile;
use spec_core::Action;

/// Which permissions a broad scope implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Every permission.
    All,
    /// Every permission ending with the suffix (`_read`).
    Suffix(&'static str),
    /// Exactly these permissions.
    Only(&'static [&'static str]),
}

/// A granted scope that implies permissions (Stripe's `read_only` implies every `*_read`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeGrant {
    /// The scope as granted (`read_write`).
    pub scope: &'static str,
    /// The permissions it implies.
    pub covers: Coverage,
}

impl ScopeGrant {
    /// Whether this scope implies `permission`.
    pub fn covers(&self, permission: &str) -> bool {
        match self.covers {
            Coverage::All => true,
            Coverage::Suffix(s) => permission.ends_with(s),
            Coverage::Only(list) => list.contains(&permission),
        }
    }
}

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
/// declares. A grant covers a permission when it names it, or when it is a broad scope of the action's
/// provider (the action id's first segment) whose [`ScopeGrant`] implies it.
pub fn check_permissions(action: &Action, granted: &[String]) -> Result<(), MissingPermission> {
    let provider = action.id.split('.').next().unwrap_or_default();
    check_permissions_with(OAuthProfile::for_provider(provider).scope_grants, action, granted)
}

/// [`check_permissions`] with an explicit scope table.
pub fn check_permissions_with(
    grants: &[ScopeGrant],
    action: &Action,
    granted: &[String],
) -> Result<(), MissingPermission> {
    let covered = |permission: &str| {
        granted.iter().any(|g| {
            g == permission
                || grants
                    .iter()
                    .any(|rule| rule.scope == g.as_str() && rule.covers(permission))
        })
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
