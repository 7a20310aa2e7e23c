//! The whole macro on `proc_macro2` tokens: parse → JSON + spans → check → expand from the model.

use proc_macro2::TokenStream;
use syn::parse::{ParseStream, Parser};

use crate::schema::ModelSchema;
use crate::{check, expand, parse, side, to_json};

/// Expands a `define_integration!` body, or returns the compile errors (plus stub items).
pub(crate) fn define_integration(input: TokenStream) -> TokenStream {
    let model = ModelSchema::new();
    let decl = match (|input: ParseStream| parse::decl(input, &model)).parse2(input) {
        Ok(d) => d,
        Err(e) => return e.to_compile_error(),
    };
    let mut spans = to_json::Spans::default();
    let json = to_json::decl(&decl, &mut spans);
    let tokens = side::Tokens::gather(&decl);
    match check::check(&json, &spans, &model) {
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
