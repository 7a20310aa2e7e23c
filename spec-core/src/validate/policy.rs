use super::{Cx, ErrorCode};
use crate::model::{HealthCheckMethod, IntegrationSpec, VersionStatus};

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && matches!(s[5..7].parse::<u8>(), Ok(1..=12))
        && matches!(s[8..10].parse::<u8>(), Ok(1..=31))
}

pub(super) fn check(spec: &IntegrationSpec, cx: &mut Cx) {
    versions(spec, cx);
    for (i, p) in spec.capabilities.provides.iter().enumerate() {
        if !super::meta::is_key(&p.key) {
            cx.err(
                ErrorCode::KeyPattern,
                format!("capabilities.provides[{i}].key"),
                format!("`{}` is not a capability key of the form `domain.name`", p.key),
            );
        }
        cx.semver(&p.version, &format!("capabilities.provides[{i}].version"));
    }
    for (i, r) in spec.capabilities.requires.iter().enumerate() {
        if !super::meta::is_key(&r.key) {
            cx.err(
                ErrorCode::KeyPattern,
                format!("capabilities.requires[{i}].key"),
                format!("`{}` is not a capability key of the form `domain.name`", r.key),
            );
        }
        if let Some(v) = &r.version
            && let Err(e) = semver::VersionReq::parse(v)
        {
            cx.err(
                ErrorCode::Semver,
                format!("capabilities.requires[{i}].version"),
                format!("`{v}` is not a semver requirement ({e}); write for example `^1.0.0`"),
            );
        }
    }
    if let Some(h) = &spec.health_check {
        if h.timeout_ms == 0 {
            cx.err(
                ErrorCode::NotPositive,
                "health_check.timeout_ms",
                "timeout_ms must be positive",
            );
        }
        match (&h.action, h.method) {
            (Some(a), _) if spec.action(a).is_none() => cx.err(
                ErrorCode::UnknownReference,
                "health_check.action",
                format!("health check action `{a}` is not declared in `actions`"),
            ),
            (None, HealthCheckMethod::Custom) => cx.err(
                ErrorCode::UnknownReference,
                "health_check.action",
                "a `custom` health check needs `action` naming a declared action",
            ),
            _ => {}
        }
    }
    if let Some(rl) = spec.constraints.as_ref().and_then(|c| c.rate_limit.as_ref()) {
        if rl.rpm == 0 {
            cx.err(
                ErrorCode::RateLimit,
                "constraints.rate_limit.rpm",
                "rpm must be positive",
            );
        }
        match rl.rph {
            Some(0) => cx.err(
                ErrorCode::RateLimit,
                "constraints.rate_limit.rph",
                "rph must be positive",
            ),
            Some(rph) if rph < rl.rpm => cx.err(
                ErrorCode::RateLimit,
                "constraints.rate_limit.rph",
                format!(
                    "rph ({rph}) is below rpm ({}); an hour holds sixty minutes, so rph must be at least rpm",
                    rl.rpm
                ),
            ),
            _ => {}
        }
    }
    if let Some(b) = &spec.byok_setup {
        cx.non_empty(
            &b.setup_instructions,
            "byok_setup.setup_instructions",
            "the set-up instructions",
        );
        if let Some(u) = &b.validation_endpoint
            && !u.starts_with('/')
        {
            cx.url(u, "byok_setup.validation_endpoint");
        }
    }
}

fn versions(spec: &IntegrationSpec, cx: &mut Cx) {
    let Some(vp) = &spec.version_policy else { return };
    if vp.supported_versions.is_empty() {
        cx.err(
            ErrorCode::EmptyList,
            "version_policy.supported_versions",
            "list at least the current version",
        );
    }
    cx.duplicates(
        vp.supported_versions.iter().enumerate().map(|(i, v)| {
            (
                format!("version_policy.supported_versions[{i}].version"),
                v.version.as_str(),
            )
        }),
        "version",
    );
    for (i, v) in vp.supported_versions.iter().enumerate() {
        cx.non_empty(
            &v.version,
            &format!("version_policy.supported_versions[{i}].version"),
            "a version",
        );
        for (field, value) in [("sunset_date", &v.sunset_date), ("released_at", &v.released_at)] {
            if let Some(d) = value
                && !is_date(d)
            {
                cx.err(
                    ErrorCode::Date,
                    format!("version_policy.supported_versions[{i}].{field}"),
                    format!("`{d}` is not a date; write YYYY-MM-DD"),
                );
            }
        }
        if let Some(g) = &v.migration_guide {
            cx.url(g, &format!("version_policy.supported_versions[{i}].migration_guide"));
        }
    }
    match vp.find(&vp.current_version) {
        None => {
            let listed: Vec<&str> = vp.supported_versions.iter().map(|v| v.version.as_str()).collect();
            cx.err(
                ErrorCode::CurrentVersionUnsupported,
                "version_policy.current_version",
                format!(
                    "current version `{}` is not in supported_versions ({}); add it there or pick a listed version",
                    vp.current_version,
                    listed.join(", ")
                ),
            )
        }
        Some(v) if v.status == VersionStatus::Sunset => cx.err(
            ErrorCode::CurrentVersionSunset,
            "version_policy.current_version",
            format!(
                "current version `{}` is sunset; pick a stable or beta version",
                vp.current_version
            ),
        ),
        _ => {}
    }
    let placements = [
        vp.version_header.is_some(),
        vp.version_query_param.is_some(),
        vp.version_in_path,
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if placements > 1 {
        cx.err(
            ErrorCode::VersionPlacement,
            "version_policy",
            "declare at most one of version_header, version_query_param and version_in_path",
        );
    }
    if let (Some(h), Some(rest)) = (&vp.version_header, spec.rest())
        && let Some(rh) = &rest.api_version_header
        && !h.eq_ignore_ascii_case(rh)
    {
        cx.err(
            ErrorCode::VersionPlacement,
            "version_policy.version_header",
            format!(
                "version header `{h}` differs from the REST transport's api_version_header `{rh}`; use the same header"
            ),
        );
    }
}
