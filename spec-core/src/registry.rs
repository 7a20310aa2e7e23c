//! A typed registry of integration specs: lookup by key and semver, filters by category, transport and
//! auth method.

use std::collections::BTreeMap;

use crate::model::{AuthKind, Category, IntegrationSpec, TransportKind};

/// Why a registry operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// The same key and version were registered twice.
    #[error("integration `{key}` version {version} is already registered")]
    Duplicate {
        /// Integration key.
        key: String,
        /// Version.
        version: String,
    },
    /// The spec's version is not semver.
    #[error("integration `{key}` has version `{version}`, which is not semver")]
    BadVersion {
        /// Integration key.
        key: String,
        /// Version as declared.
        version: String,
    },
}

/// Integration specs by key, each with one or more versions.
#[derive(Debug, Default, Clone)]
pub struct Registry {
    by_key: BTreeMap<String, BTreeMap<semver::Version, &'static IntegrationSpec>>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// A registry holding `specs`; fails on the first duplicate key+version.
    pub fn from_specs(specs: impl IntoIterator<Item = &'static IntegrationSpec>) -> Result<Self, RegistryError> {
        let mut r = Self::new();
        for s in specs {
            r.register(s)?;
        }
        Ok(r)
    }

    /// Adds a spec; registering the same key and version twice is an error.
    pub fn register(&mut self, spec: &'static IntegrationSpec) -> Result<(), RegistryError> {
        let version = semver::Version::parse(&spec.meta.version).map_err(|_| RegistryError::BadVersion {
            key: spec.meta.key.clone(),
            version: spec.meta.version.clone(),
        })?;
        let versions = self.by_key.entry(spec.meta.key.clone()).or_default();
        if versions.contains_key(&version) {
            return Err(RegistryError::Duplicate {
                key: spec.meta.key.clone(),
                version: spec.meta.version.clone(),
            });
        }
        versions.insert(version, spec);
        Ok(())
    }

    /// The spec with exactly this key and version.
    pub fn get(&self, key: &str, version: &semver::Version) -> Option<&'static IntegrationSpec> {
        self.by_key.get(key)?.get(version).copied()
    }

    /// The highest version of `key`.
    pub fn latest(&self, key: &str) -> Option<&'static IntegrationSpec> {
        self.by_key.get(key)?.values().next_back().copied()
    }

    /// The highest version of `key` matching `req` (`^1.2`).
    pub fn resolve(&self, key: &str, req: &semver::VersionReq) -> Option<&'static IntegrationSpec> {
        self.by_key
            .get(key)?
            .iter()
            .rev()
            .find(|(v, _)| req.matches(v))
            .map(|(_, s)| *s)
    }

    /// Every registered spec, by key then version.
    pub fn iter(&self) -> impl Iterator<Item = &'static IntegrationSpec> + '_ {
        self.by_key.values().flat_map(|v| v.values().copied())
    }

    /// Specs in `category`.
    pub fn by_category(&self, category: Category) -> impl Iterator<Item = &'static IntegrationSpec> + '_ {
        self.iter().filter(move |s| s.meta.category == category)
    }

    /// Specs declaring a transport of `kind`.
    pub fn by_transport(&self, kind: TransportKind) -> impl Iterator<Item = &'static IntegrationSpec> + '_ {
        self.iter().filter(move |s| s.transport(kind).is_some())
    }

    /// Specs accepting an auth method of `kind`.
    pub fn by_auth(&self, kind: AuthKind) -> impl Iterator<Item = &'static IntegrationSpec> + '_ {
        self.iter().filter(move |s| s.auth_method(kind).is_some())
    }

    /// Number of registered key+version pairs.
    pub fn len(&self) -> usize {
        self.by_key.values().map(BTreeMap::len).sum()
    }

    /// Whether nothing is registered.
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}
