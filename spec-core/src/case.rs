//! Case conversion of the names a spec holds (provider ids, method names, event types), used by the macro,
//! the emitters and the scaffolding: words are the runs of ASCII letters and digits between any other
//! characters (`_`, `-`, `.`, spaces).
//!
//! ```
//! use spec_core::case::{camel_case, pascal_case};
//!
//! assert_eq!(pascal_case("customer.subscription.trial_will_end"), "CustomerSubscriptionTrialWillEnd");
//! assert_eq!(pascal_case("google-calendar"), "GoogleCalendar");
//! assert_eq!(camel_case("customer_list_all"), "customerListAll");
//! ```

fn words(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// Every word capitalized and joined: `trial_will_end` → `TrialWillEnd`.
pub fn pascal_case(name: &str) -> String {
    words(name).map(capitalized).collect()
}

/// The first word lower-cased, every later word capitalized: `customer_list` → `customerList`.
pub fn camel_case(name: &str) -> String {
    let mut out = String::new();
    for (i, w) in words(name).enumerate() {
        if i == 0 {
            out.push_str(&w.to_ascii_lowercase());
        } else {
            out.push_str(&capitalized(w));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_split_on_every_separator() {
        assert_eq!(pascal_case("a-b_c.d e"), "ABCDE");
        assert_eq!(pascal_case("__"), "");
        assert_eq!(camel_case("Payment_intent"), "paymentIntent");
        assert_eq!(camel_case("v2_api"), "v2Api");
        assert_eq!(pascal_case("oAuth_token"), "OAuthToken");
    }
}
