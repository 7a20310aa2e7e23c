//! Rules of the `oauth2` auth method's provider facts: revocation, scope implications, the deauthorized
//! event and the default token lifetime.

use std::collections::HashSet;

use super::{Cx, ErrorCode};
use crate::model::{AuthMethod, Coverage, IntegrationSpec, OAuth2Auth, RevocationStyle};

pub(super) fn check(spec: &IntegrationSpec, cx: &mut Cx) {
    for (i, method) in spec.supported_auth_methods.iter().enumerate() {
        if let AuthMethod::OAuth2(o) = method {
            let path = format!("supported_auth_methods[{i}]");
            fields(o, &path, cx);
            revocation(o, &path, cx);
            scope_implications(o, &path, cx);
            deauthorized_event(spec, o, &path, cx);
            if o.default_token_lifetime == Some(0) {
                cx.err(
                    ErrorCode::OAuthTokenLifetime,
                    format!("{path}.default_token_lifetime"),
                    "default_token_lifetime must be at least 1 second (write the provider's documented lifetime, \
                     such as `3600`, or leave it out when tokens carry `expires_in`)",
                );
            }
        }
    }
}

fn fields(o: &OAuth2Auth, path: &str, cx: &mut Cx) {
    if let Some(f) = &o.account_id_field {
        cx.non_empty(f, &format!("{path}.account_id_field"), "the account id field");
    }
    if let Some(f) = &o.livemode_field {
        cx.non_empty(f, &format!("{path}.livemode_field"), "the livemode field");
    }
}

fn revocation(o: &OAuth2Auth, path: &str, cx: &mut Cx) {
    let Some(r) = &o.revocation else { return };
    let rpath = format!("{path}.revocation");
    if o.revocation_url.is_none() {
        cx.err(
            ErrorCode::OAuthRevocation,
            &rpath,
            "a `revocation` needs the endpoint it is sent to; add `revocation_url` to the oauth2 method",
        );
    }
    if r.style != RevocationStyle::AccountDeauthorize {
        if r.account_param.is_some() {
            cx.err(
                ErrorCode::OAuthRevocation,
                format!("{rpath}.account_param"),
                "`account_param` only applies to `style: account_deauthorize`; remove it or change the style",
            );
        }
        return;
    }
    match r.account_param.as_deref() {
        None => cx.err(
            ErrorCode::OAuthRevocation,
            format!("{rpath}.style"),
            "an `account_deauthorize` revocation needs `account_param`, the form field carrying the account id \
             (such as `user_id`)",
        ),
        Some(p) if p.trim().is_empty() => cx.err(
            ErrorCode::OAuthRevocation,
            format!("{rpath}.account_param"),
            "`account_param` must name a form field",
        ),
        Some(_) => {}
    }
    if o.account_id_field.is_none() {
        cx.err(
            ErrorCode::OAuthRevocation,
            format!("{rpath}.style"),
            "an `account_deauthorize` revocation sends the connected account id, so the method needs \
             `account_id_field` (the token-response field holding it)",
        );
    }
}

fn scope_implications(o: &OAuth2Auth, path: &str, cx: &mut Cx) {
    let mut seen = HashSet::new();
    for (j, imp) in o.scope_implications.iter().enumerate() {
        let ipath = format!("{path}.scope_implications[{j}]");
        if imp.scope.trim().is_empty() {
            cx.err(
                ErrorCode::OAuthScopeImplication,
                format!("{ipath}.scope"),
                "a scope implication must name its scope",
            );
        } else if !seen.insert(imp.scope.as_str()) {
            cx.err(
                ErrorCode::OAuthScopeImplication,
                format!("{ipath}.scope"),
                format!("scope `{}` already has an implication; merge them into one", imp.scope),
            );
        }
        match &imp.covers {
            Coverage::All => {}
            Coverage::Suffix(s) if s.is_empty() => cx.err(
                ErrorCode::OAuthScopeImplication,
                format!("{ipath}.covers.suffix"),
                "an empty suffix covers every permission; write `covers: all` instead",
            ),
            Coverage::Only(list) if list.is_empty() => cx.err(
                ErrorCode::OAuthScopeImplication,
                format!("{ipath}.covers.only"),
                "`only` must list at least one permission",
            ),
            Coverage::Only(list) => {
                for (k, p) in list.iter().enumerate() {
                    if p.trim().is_empty() {
                        cx.err(
                            ErrorCode::OAuthScopeImplication,
                            format!("{ipath}.covers.only[{k}]"),
                            "a permission must not be empty",
                        );
                    }
                }
            }
            Coverage::Suffix(_) => {}
        }
    }
}

fn deauthorized_event(spec: &IntegrationSpec, o: &OAuth2Auth, path: &str, cx: &mut Cx) {
    let Some(event) = o.deauthorized_event.as_deref() else {
        return;
    };
    let epath = format!("{path}.deauthorized_event");
    if event.trim().is_empty() {
        cx.err(
            ErrorCode::OAuthDeauthorizedEvent,
            epath,
            "the deauthorized event must name an event type",
        );
        return;
    }
    let Some(events) = &spec.events else { return };
    if events.types.iter().any(|t| t.event_type == event) {
        return;
    }
    let hint = match event.strip_prefix(events.prefix.as_str()) {
        Some(unprefixed) if events.types.iter().any(|t| t.event_type == unprefixed) => {
            format!(
                "write the upstream type `{unprefixed}`, without the `{}` prefix",
                events.prefix
            )
        }
        _ => format!("declare it in `events.types` (as `\"{event}\" => Payload`) or fix the name"),
    };
    cx.err(
        ErrorCode::OAuthDeauthorizedEvent,
        epath,
        format!("deauthorized event `{event}` is not a declared event type; {hint}"),
    );
}
