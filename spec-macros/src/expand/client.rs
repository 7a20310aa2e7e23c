//! The typed client: one method per action, auto-paging streams for paged actions.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Type;

use super::Plan;

/// The item type of a paged output without a declared `item`: `T` of `List<T>` / `Vec<T>`, else untyped JSON.
fn page_item(output: &Type) -> TokenStream {
    if let Type::Path(tp) = output
        && let Some(last) = tp.path.segments.last()
        && let syn::PathArguments::AngleBracketed(args) = &last.arguments
        && args.args.len() == 1
        && let Some(syn::GenericArgument::Type(item)) = args.args.first()
    {
        return quote!(#item);
    }
    quote!(::spec_core::__private::serde_json::Value)
}

/// The typed client: one method per action, auto-paging streams for paged actions.
pub(super) fn client(p: &Plan<'_>) -> TokenStream {
    let provider = p.name.to_string();
    let mut methods = TokenStream::new();
    for a in &p.actions {
        let (ty, method, input, output, id) = (&a.ty, a.method, a.input, a.output, &a.model.id);
        let doc = if a.docs.is_empty() {
            format!("Calls `{id}`.")
        } else {
            a.docs.join(" ")
        };
        methods.extend(quote! {
            #[doc = #doc]
            #[doc = ""]
            #[doc = "Returns a request: set an idempotency key if you like, then `.send().await` (or `.await` it)."]
            pub fn #method(&self, input: &#input) -> ::spec_runtime::client::ActionRequest<'_, #output> {
                self.rest.call::<actions::#ty>(input)
            }
        });
        if a.model.paginated {
            let all = format_ident!("{}_all", a.method);
            let item = a.item.map_or_else(|| page_item(output), |t| quote!(#t));
            let doc = format!("Every item of `{id}`, fetched page by page as the stream is read.");
            methods.extend(quote! {
                #[doc = #doc]
                pub fn #all(
                    &self,
                    input: &#input,
                ) -> impl ::spec_runtime::__private::futures_util::Stream<
                    Item = ::std::result::Result<#item, ::spec_runtime::client::ClientError>,
                > + Send + 'static {
                    self.rest.paginate::<#item>(
                        <actions::#ty as ::spec_core::ActionDescriptor>::action(),
                        input,
                    )
                }
            });
        }
    }
    let doc = format!(
        "Typed client of the `{provider}` integration: one method per action, retries, rate limits and \
         idempotency keys handled by `spec_runtime::client::RestClient`."
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            rest: ::spec_runtime::client::RestClient,
        }

        impl Client {
            /// A client builder loaded with this integration's spec. Give it a credential (or
            /// `.connection(&secrets, &config, auth)`), optionally a base URL or API version, then build.
            pub fn builder() -> ::spec_runtime::client::ClientBuilder {
                ::spec_runtime::client::RestClient::builder(spec())
            }

            /// Wraps a built [`RestClient`](::spec_runtime::client::RestClient) of this integration.
            pub fn new(rest: ::spec_runtime::client::RestClient) -> Self {
                Self { rest }
            }

            /// The untyped client underneath, for `invoke`, `health_check` and paging by action id.
            pub fn rest(&self) -> &::spec_runtime::client::RestClient {
                &self.rest
            }

            /// Calls an action by id with JSON input validated against its schema (for workflow engines).
            pub async fn invoke(
                &self,
                action_id: &str,
                input: ::spec_core::__private::serde_json::Value,
            ) -> ::std::result::Result<::spec_core::__private::serde_json::Value, ::spec_runtime::client::ClientError> {
                self.rest.invoke(action_id, input).await
            }

            /// Runs the spec's health check.
            pub async fn health_check(
                &self,
            ) -> ::std::result::Result<::spec_runtime::client::Health, ::spec_runtime::client::ClientError> {
                self.rest.health_check().await
            }

            #methods
        }
    }
}
