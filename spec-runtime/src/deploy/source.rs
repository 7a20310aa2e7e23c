use std::collections::{BTreeMap, HashMap};

/// Where deployment variables are read from.
///
/// Implemented for the process environment ([`ProcessEnv`]), for maps of names to values, and for
/// closures `Fn(&str) -> Option<String>`.
pub trait EnvSource {
    /// The variable's value, or `None` when unset.
    fn var(&self, name: &str) -> Option<String>;

    /// The variable's value when set and not empty (an empty variable counts as unset).
    fn non_empty(&self, name: &str) -> Option<String> {
        self.var(name).filter(|v| !v.is_empty())
    }
}

/// The process environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl EnvSource for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

impl EnvSource for HashMap<String, String> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).cloned()
    }
}

impl EnvSource for BTreeMap<String, String> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).cloned()
    }
}

impl<F> EnvSource for F
where
    F: Fn(&str) -> Option<String>,
{
    fn var(&self, name: &str) -> Option<String> {
        self(name)
    }
}
