//! Tokens → IR. The grammar is object-literal syntax; a few keys take Rust types (`input`, `output`, `item`,
//! `config`, `secrets`) and `events.types` takes `"type" => Payload` pairs.

use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, Lit, LitStr, Token, Type, braced, bracketed, token};

use crate::ir::{Decl, Entry, Item, Key, Node, Obj};

/// Keys whose value is a Rust type.
const TYPE_KEYS: &[&str] = &["input", "output", "item"];
/// Keys whose value is a Rust type with an optional `= { example }`.
const TYPED_KEYS: &[&str] = &["config", "secrets"];

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

impl Parse for Decl {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let docs = docs(&attrs)?;
        let name: Ident = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the provider name, as in `stripe { meta: { … }, … }`",
            )
        })?;
        let body = parse_obj(input, &[])?;
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the declaration"));
        }
        Ok(Decl { docs, name, body })
    }
}

fn parse_obj(input: ParseStream, path: &[String]) -> syn::Result<Obj> {
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
            let i =
                Ident::parse_any(&content).map_err(|e| syn::Error::new(e.span(), "expected a key such as `meta:`"))?;
            Key {
                name: i.to_string(),
                span: i.span(),
                ident: Some(i),
            }
        };
        content.parse::<Token![:]>()?;
        let k = key.name.clone();
        let value = parse_value(&content, &k, path)?;
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

fn parse_value(input: ParseStream, key: &str, path: &[String]) -> syn::Result<Node> {
    if TYPE_KEYS.contains(&key) && path.last().is_some_and(|p| p == "actions") {
        return Ok(Node::Type(Box::new(input.parse::<Type>()?)));
    }
    if TYPED_KEYS.contains(&key) && path.is_empty() {
        let ty: Type = input.parse()?;
        let example = if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            Some(parse_obj(input, &[key.to_string(), "example".into()])?)
        } else {
            None
        };
        return Ok(Node::Typed {
            ty: Box::new(ty),
            example,
        });
    }
    let mut child = path.to_vec();
    if !key.is_empty() {
        child.push(key.to_string());
    }
    if input.peek(token::Bracket) {
        let content;
        let bracket = bracketed!(content in input);
        let mut items = Vec::new();
        while !content.is_empty() {
            let attrs = content.call(Attribute::parse_outer)?;
            let d = docs(&attrs)?;
            let node = if key == "types" && path.last().is_some_and(|p| p == "events") {
                let name = content.parse()?;
                content.parse::<Token![=>]>()?;
                Node::Event {
                    name,
                    payload: Box::new(content.parse()?),
                }
            } else {
                parse_value(&content, "", &child)?
            };
            items.push(Item { docs: d, node });
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
    if input.peek(token::Brace) {
        return Ok(Node::Object(parse_obj(input, &child)?));
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
            let body = parse_obj(input, &child)?;
            return Ok(Node::Tagged { tag: word, body });
        }
        return Ok(Node::Word(word));
    }
    Err(input.error("expected a value: a string, number, boolean, word, `[ … ]` or `{ … }`"))
}
