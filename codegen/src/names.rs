//! Turning spec names into identifiers of the target formats.

/// A type identifier (`List<Customer>` → `ListCustomer`, `List_for_Customer` → `ListForCustomer`): ASCII
/// letters and digits, starting with an uppercase letter.
pub(crate) fn type_ident(name: &str) -> String {
    let mut out = String::new();
    for part in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    match out.chars().next() {
        None => "Anonymous".to_string(),
        Some(c) if c.is_ascii_digit() => format!("T{out}"),
        Some(_) => out,
    }
}

/// `customer_list` → `customerList`.
pub(crate) fn camel(name: &str) -> String {
    spec_core::case::camel_case(name)
}

/// `stripe` → `Stripe`, `google_calendar` → `GoogleCalendar`.
pub(crate) fn pascal(name: &str) -> String {
    let p = spec_core::case::pascal_case(name);
    if p.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        p
    } else {
        format!("P{p}")
    }
}

/// An MCP tool name for an action id: characters outside `[A-Za-z0-9_-]` become `_`, at most 64 long
/// (the names every MCP client accepts).
pub(crate) fn tool_name(action_id: &str) -> String {
    action_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect()
}

/// A TypeScript property key: the name itself when it is an identifier, else a string literal.
pub(crate) fn ts_key(name: &str) -> String {
    let mut chars = name.chars();
    let ident = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if ident { name.to_string() } else { js_string(name) }
}

/// A JavaScript string literal (JSON string syntax, which JavaScript accepts).
pub(crate) fn js_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// Words of an action id after the provider: `stripe.customer.list` → `Customer list`.
pub(crate) fn humanize_action(id: &str) -> String {
    let rest = id.split_once('.').map_or(id, |(_, r)| r);
    let words = rest.replace(['.', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert_eq!(type_ident("List<Customer>"), "ListCustomer");
        assert_eq!(type_ident("List_for_Customer"), "ListForCustomer");
        assert_eq!(type_ident("2fa"), "T2fa");
        assert_eq!(type_ident("<>"), "Anonymous");
        assert_eq!(camel("customer_list"), "customerList");
        assert_eq!(pascal("google_calendar"), "GoogleCalendar");
        assert_eq!(tool_name("stripe.customer.list"), "stripe_customer_list");
        assert_eq!(tool_name(&"a".repeat(80)).len(), 64);
        assert_eq!(ts_key("starting_after"), "starting_after");
        assert_eq!(ts_key("data-id"), "\"data-id\"");
        assert_eq!(humanize_action("stripe.payment_intent.list"), "Payment intent list");
    }
}
