//! `#[derive(DeserializeOpen)]`: `Deserialize` for a struct that keeps unmodelled members in a
//! `#[serde(flatten)]` map, without serde's buffering of the whole object (runtime: `spec_runtime::open`).

mod expand;
mod parse;

use proc_macro2::TokenStream;

/// Expands the derive, or the compile errors that place each problem on its token.
pub(crate) fn derive(input: TokenStream) -> TokenStream {
    match syn::parse2(input).and_then(|input| parse::OpenStruct::from_input(&input).map(|s| expand::expand(&input, &s)))
    {
        Ok(tokens) => tokens,
        Err(e) => e.to_compile_error(),
    }
}
