//! The whole macro on `proc_macro2` tokens: parse → JSON + spans → check → expand from the model.

use proc_macro2::TokenStream;
use syn::parse::{ParseStream, Parser};

use crate::schema::ModelSchema;
use crate::{check, expand, parse, side, to_json};

/// Expands a `define_integration!` body, or returns the compile errors (plus stub items).
pub(crate) fn define_integration(input: TokenStream) -> TokenStream {
    let model = ModelSchema::get();
    let decl = match (|input: ParseStream| parse::decl(input, model)).parse2(input) {
        Ok(d) => d,
        Err(e) => return e.to_compile_error(),
    };
    let mut spans = to_json::Spans::default();
    let json = to_json::decl(&decl, &mut spans);
    let tokens = side::Tokens::gather(&decl);
    match check::check(&json, &spans, model) {
        Ok(spec) => expand::expand(&spec, &tokens),
        Err(failure) => {
            let errors = failure
                .errors
                .into_iter()
                .map(|e| syn::Error::new(e.span, e.message).to_compile_error())
                .collect();
            expand::expand_with_errors(&failure.partial, &tokens, errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::define_integration;

    /// A valid declaration with `extra` spliced into its body and `auth` as its auth methods.
    fn declaration(auth: &str, extra: &str) -> String {
        format!(
            r#"demo {{
                meta: {{ key: "custom.demo", version: "0.1.0", category: custom, title: "Demo", domain: "custom",
                        stability: idea }},
                supported_modes: [managed],
                transports: [rest {{ base_url: "http://127.0.0.1:9999", body: json }}],
                preferred_transport: rest,
                supported_auth_methods: [{auth}],
                config: DemoConfig,
                secrets: DemoSecrets,
                actions: [
                    /// Gets an item.
                    item_get {{ id: "demo.item.get", method: GET, path: "/items/{{id}}", input: GetParams,
                                output: Item }},
                ],
                {extra}
            }}"#
        )
    }

    /// The messages of the `compile_error!`s of an expansion, and the expansion.
    fn expand(src: &str) -> (Vec<String>, String) {
        let out = define_integration(src.parse().unwrap()).to_string();
        let messages = out
            .split("compile_error ! {")
            .skip(1)
            .map(|s| {
                s.split(" }")
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .trim_matches('"')
                    .to_string()
            })
            .collect();
        (messages, out)
    }

    #[test]
    fn a_valid_declaration_expands_without_errors() {
        let (errors, out) = expand(&declaration("bearer {}", ""));
        assert!(errors.is_empty(), "{errors:?}");
        assert!(out.contains("pub fn item_get"));
        assert!(out.contains("\"demo.item.get\""));
    }

    #[test]
    fn every_unknown_key_and_value_is_reported_with_the_names_of_the_model() {
        let (errors, _) = expand(&declaration(
            "webhook_signing { algorithm: hmac_sha265, signature_header: \"x-sig\", colour: 1 }",
            r#"constraints: { rate_limit: { rpm: 1, rpn: 2 }, quota: {} },
               events: { prefix: "demo.", envelope: { id: { body: "/id" }, type: [{ body: "/type" }],
                                                      created: { bdy: "/t" } }, types: [] },"#,
        ));
        let expect = [
            "`supported_auth_methods[0].algorithm`: unknown variant `hmac_sha265`, expected one of `hmac_sha256`, \
             `hmac_sha1`, `hmac_sha512`, `ed25519`",
            "`supported_auth_methods[0].colour`: unknown field `colour`, expected one of `algorithm`, \
             `id_header`, `signature_header`, `timestamp_header`, `tolerance`",
            "`constraints.rate_limit.rpn`: unknown field `rpn`, expected `rph` or `rpm`",
            "`constraints.quota`: unknown field `quota`, expected `quotas` or `rate_limit`",
        ];
        for e in expect {
            assert!(errors.iter().any(|m| m == e), "missing {e:?} in {errors:#?}");
        }
        // A union no branch of fits is left to serde, whose message is shown as it is.
        assert!(
            errors
                .iter()
                .any(|m| m.starts_with("`events.envelope.created`: unknown variant `bdy`")),
            "{errors:#?}"
        );
    }

    #[test]
    fn tags_and_enum_values_accept_both_spellings() {
        let (errors, _) = expand(&declaration(
            r#"webhook_signing { algorithm: "hmac-sha256", signature_header: "x-sig" },
               api_key { header_name: "k" }, "#,
            "",
        ));
        // Both spellings are accepted; the only complaint left is the validator's (no webhook transport).
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(errors[0].contains("(E_WEBHOOK_SIGNING_MISMATCH"), "{errors:#?}");
    }

    #[test]
    fn an_unknown_tag_lists_the_declared_names() {
        let (errors, _) = expand(&declaration("token {}", ""));
        assert_eq!(
            errors,
            [
                "unknown `token`; expected one of api_key, oauth2, bearer, basic, header, webhook_signing, \
              service_account"
            ]
        );
    }

    #[test]
    fn stubs_keep_the_actions_that_built() {
        let (errors, out) = expand(&declaration("bearer {}", "docs_url: 5,"));
        assert_eq!(errors, ["`docs_url`: invalid type: integer `5`, expected a string"]);
        assert!(out.contains("pub fn item_get"), "the action's client method is stubbed");
        assert!(out.contains("unimplemented"));
    }
}
