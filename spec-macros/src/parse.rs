//! Tokens → IR. The grammar is object-literal syntax, read alongside the model's schema: a key whose model field
//! is a `TypeSchema` (`input`, `config`, …) takes a Rust type, optionally `= { example }`; an array item
//! `"type" => Payload` is an event type.

use serde_json::Value;
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{Attribute, Ident, Lit, LitStr, Token, Type, braced, bracketed, token};

use crate::ir::{Decl, Entry, Item, Key, Node, Obj};
use crate::schema::{ModelSchema, properties};

/// The member a list item's doc comment fills, where its model struct has one.
pub(crate) const DESCRIPTION: &str = "description";
/// What the word of `word { … }` fills in a list of structs (actions): the client method's name. In a list of
/// tagged unions it is the union's tag (`type`).
const METHOD_NAME: &str = "method_name";
/// The tag member when the list's schema is unknown.
const TAG: &str = "type";

fn docs(attrs: &[Attribute]) -> syn::Result<Vec<String>> {
    let mut out = Vec::new();
    for a in attrs {
        if !a.path().is_ident("doc") {
            return Err(syn::Error::new_spanned(a, "only doc comments are allowed here"));
        }
        if let syn::Meta::NameValue(nv) = &a.meta
            && let syn::Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) = &nv.value
        {
            out.push(s.value().trim().to_string());
        }
    }
    Ok(out)
}

/// Parses a whole `define_integration!` input.
pub(crate) fn decl(input: ParseStream, model: &ModelSchema) -> syn::Result<Decl> {
    let attrs = input.call(Attribute::parse_outer)?;
    let docs = docs(&attrs)?;
    let name: Ident = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected the provider name, as in `stripe { meta: { … }, … }`",
        )
    })?;
    let body = Parser { model }.obj(input, Some(model.root()))?;
    if !input.is_empty() {
        return Err(input.error("unexpected tokens after the declaration"));
    }
    Ok(Decl { docs, name, body })
}

/// The parser, with the schema of the model it reads into.
struct Parser<'m> {
    model: &'m ModelSchema,
}

impl Parser<'_> {
    /// `{ key: value, … }`, where `schema` (when known) describes the object.
    fn obj(&self, input: ParseStream, schema: Option<&Value>) -> syn::Result<Obj> {
        let content;
        let brace = braced!(content in input);
        let mut entries = Vec::new();
        while !content.is_empty() {
            let attrs = content.call(Attribute::parse_outer)?;
            docs(&attrs)?;
            let key = if content.peek(LitStr) {
                let s: LitStr = content.parse()?;
                Key {
                    name: s.value(),
                    span: s.span(),
                    ident: None,
                }
            } else {
                let i = Ident::parse_any(&content)
                    .map_err(|e| syn::Error::new(e.span(), "expected a key such as `meta:`"))?;
                Key {
                    name: i.to_string(),
                    span: i.span(),
                    ident: Some(i),
                }
            };
            content.parse::<Token![:]>()?;
            let field = schema.and_then(|s| self.model.property(s, &key.name));
            let value = self.value(&content, field, TAG)?;
            entries.push(Entry { key, value });
            if content.is_empty() {
                break;
            }
            content
                .parse::<Token![,]>()
                .map_err(|e| syn::Error::new(e.span(), "expected `,` between entries"))?;
        }
        Ok(Obj {
            span: brace.span.join(),
            entries,
        })
    }

    /// A value, where `schema` (when known) describes it; the word of `word { … }` fills `tag_field`.
    fn value(&self, input: ParseStream, schema: Option<&Value>, tag_field: &str) -> syn::Result<Node> {
        if schema.is_some_and(|s| self.model.is_type_schema(s)) {
            let ty: Type = input.parse()?;
            let example = if input.peek(Token![=]) {
                input.parse::<Token![=]>()?;
                Some(self.obj(input, None)?)
            } else {
                None
            };
            return Ok(Node::Typed {
                ty: Box::new(ty),
                example,
            });
        }
        if input.peek(token::Bracket) {
            let items_schema = schema.and_then(|s| self.model.items(s));
            let item_struct = items_schema.and_then(|s| self.model.object(s));
            let describes = item_struct
                .and_then(properties)
                .is_some_and(|p| p.contains_key(DESCRIPTION));
            let tag_field = items_schema.map_or(TAG, |s| self.model.tag_key(s).unwrap_or(METHOD_NAME));
            let content;
            let bracket = bracketed!(content in input);
            let mut items = Vec::new();
            while !content.is_empty() {
                let attrs = content.call(Attribute::parse_outer)?;
                let d = docs(&attrs)?;
                let node = if content.peek(LitStr) && content.peek2(Token![=>]) {
                    let name = content.parse()?;
                    content.parse::<Token![=>]>()?;
                    Node::Event {
                        name,
                        payload: Box::new(content.parse()?),
                    }
                } else {
                    self.value(&content, items_schema, tag_field)?
                };
                items.push(Item {
                    docs: d,
                    describes,
                    node,
                });
                if content.is_empty() {
                    break;
                }
                content
                    .parse::<Token![,]>()
                    .map_err(|e| syn::Error::new(e.span(), "expected `,` between items"))?;
            }
            return Ok(Node::Array {
                span: bracket.span.join(),
                items,
            });
        }
        let object = schema.and_then(|s| self.model.object(s));
        if input.peek(token::Brace) {
            return Ok(Node::Object(self.obj(input, object)?));
        }
        if input.peek(Lit) {
            return Ok(match input.parse::<Lit>()? {
                Lit::Str(s) => Node::Str(s),
                Lit::Int(i) => Node::Int(i),
                Lit::Float(f) => Node::Float(f),
                Lit::Bool(b) => Node::Bool(b),
                other => return Err(syn::Error::new_spanned(other, "expected a string, number or boolean")),
            });
        }
        if input.peek(Ident::peek_any) {
            let word = Ident::parse_any(input)?;
            if input.peek(token::Brace) {
                let body = self.obj(input, object)?;
                return Ok(Node::Tagged {
                    tag: word,
                    field: tag_field.to_string(),
                    body,
                });
            }
            return Ok(Node::Word(word));
        }
        Err(input.error("expected a value: a string, number, boolean, word, `[ … ]` or `{ … }`"))
    }
}
