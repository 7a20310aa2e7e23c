use super::{Cx, ErrorCode};
use crate::model::{IntegrationSpec, Mode};

/// `domain.name`: lowercase ASCII letters, digits and `-`, each part starting with a letter.
pub(crate) fn is_key(key: &str) -> bool {
    let part = |p: &str| {
        let mut chars = p.chars();
        chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    };
    matches!(key.split_once('.'), Some((d, n)) if part(d) && part(n))
}

pub(super) fn check(spec: &IntegrationSpec, cx: &mut Cx) {
    let m = &spec.meta;
    if !is_key(&m.key) {
        cx.err(
            ErrorCode::KeyPattern,
            "meta.key",
            format!(
                "`{}` is not a key of the form `domain.name` in lowercase (for example `payments.stripe`)",
                m.key
            ),
        );
    }
    cx.semver(&m.version, "meta.version");
    cx.non_empty(&m.title, "meta.title", "the title");
    cx.non_empty(&m.domain, "meta.domain", "the domain");
    for (i, o) in m.owners.iter().enumerate() {
        cx.non_empty(o, &format!("meta.owners[{i}]"), "an owner");
    }
    for (i, t) in m.tags.iter().enumerate() {
        cx.non_empty(t, &format!("meta.tags[{i}]"), "a tag");
    }
    cx.duplicates(
        m.tags
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("meta.tags[{i}]"), t.as_str())),
        "tag",
    );
    cx.duplicates(
        m.owners
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("meta.owners[{i}]"), t.as_str())),
        "owner",
    );

    if spec.supported_modes.is_empty() {
        cx.err(
            ErrorCode::EmptyList,
            "supported_modes",
            "declare at least one mode: `managed` or `byok`",
        );
    }
    cx.duplicates(
        spec.supported_modes
            .iter()
            .enumerate()
            .map(|(i, md)| (format!("supported_modes[{i}]"), md.as_str())),
        "mode",
    );
    if spec.byok_setup.is_some() && !spec.supported_modes.contains(&Mode::Byok) {
        cx.err(
            ErrorCode::ByokSetupWithoutByok,
            "byok_setup",
            "`byok_setup` is declared but `supported_modes` lacks `byok`; add `byok` to supported_modes or remove byok_setup",
        );
    }
    if let Some(d) = &spec.docs_url {
        cx.url(d, "docs_url");
    }
    cx.non_empty(&spec.config.type_name, "config.type_name", "the config type name");
    cx.non_empty(&spec.secrets.type_name, "secrets.type_name", "the secrets type name");
}
