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
mod pipeline;
mod to_json;

use proc_macro::TokenStream;

/// Declares an integration. See the crate documentation and `integrations::stripe` for the syntax.
#[proc_macro]
pub fn define_integration(input: TokenStream) -> TokenStream {
    pipeline::define_integration(input.into()).into()
}
