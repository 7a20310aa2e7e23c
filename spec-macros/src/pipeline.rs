//! The whole macro on `proc_macro2` tokens: parse → JSON + spans → check → expand.

use proc_macro2::TokenStream;

use crate::{check, expand, ir, to_json};

/// Expands a `define_integration!` body, or returns the compile errors (plus stub items).
pub(crate) fn define_integration(input: TokenStream) -> TokenStream {
    let decl = match syn::parse2::<ir::Decl>(input) {
        Ok(d) => d,
        Err(e) => return e.to_compile_error(),
    };
    let mut spans = to_json::Spans::default();
    let json = to_json::decl(&decl, &mut spans);
    let parts = expand::Parts::gather(&decl);
    match check::check(&json, &spans) {
        Ok(spec) => match serde_json::to_string(&spec) {
            Ok(s) => expand::expand(&parts, &s),
            Err(e) => syn::Error::new(decl.name.span(), e.to_string()).to_compile_error(),
        },
        Err(errors) => {
            let errs = errors
                .into_iter()
                .map(|e| syn::Error::new(e.span, e.message).to_compile_error())
                .collect();
            expand::expand_with_errors(&parts, errs)
        }
    }
}
