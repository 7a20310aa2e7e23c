//! `define_integration!`: declare an integration once, get a validated spec and thin typed code.
//!
//! The macro parses the declaration into an IR that keeps spans ([`ir`]), turns it into the spec-core
//! model's JSON form ([`to_json`]), deserializes and validates it with spec-core's one validator
//! ([`check`]), places each error on the offending token, and expands ([`expand`]). See the
//! `integrations` crate for a complete declaration.

mod check;
mod expand;
mod ir;
mod parse;
mod to_json;

use proc_macro::TokenStream;

/// Declares an integration. See the crate documentation and `integrations::stripe` for the syntax.
#[proc_macro]
pub fn define_integration(input: TokenStream) -> TokenStream {
    let decl = match syn::parse::<ir::Decl>(input) {
        Ok(d) => d,
        Err(e) => return e.to_compile_error().into(),
    };
    let mut spans = to_json::Spans::default();
    let json = to_json::decl(&decl, &mut spans);
    let parts = expand::Parts::gather(&decl);
    match check::check(&json, &spans) {
        Ok(spec) => match serde_json::to_string(&spec) {
            Ok(s) => expand::expand(&parts, &s).into(),
            Err(e) => syn::Error::new(decl.name.span(), e.to_string())
                .to_compile_error()
                .into(),
        },
        Err(errors) => {
            let errs = errors
                .into_iter()
                .map(|e| syn::Error::new(e.span, e.message).to_compile_error())
                .collect();
            expand::expand_with_errors(&parts, errs).into()
        }
    }
}
