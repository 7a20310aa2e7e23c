//! The declaration as parsed: a tree of values that keeps every token's span.

use proc_macro2::Span;
use syn::{Ident, LitBool, LitFloat, LitInt, LitStr, Type};

/// The whole `define_integration!` input.
pub(crate) struct Decl {
    /// Doc comment lines on the declaration.
    pub docs: Vec<String>,
    /// Provider name (`stripe`).
    pub name: Ident,
    /// The body.
    pub body: Obj,
}

/// `{ key: value, … }`.
pub(crate) struct Obj {
    pub span: Span,
    pub entries: Vec<Entry>,
}

/// `key: value`; the key is a word or, for maps such as headers, a string.
pub(crate) struct Entry {
    pub key: Key,
    pub value: Node,
}

/// An object key.
pub(crate) struct Key {
    /// The key as written (without quotes).
    pub name: String,
    /// Where it was written.
    pub span: Span,
    /// The key as an identifier, when it was written as one.
    pub ident: Option<Ident>,
}

/// An array element with its doc comment.
pub(crate) struct Item {
    pub docs: Vec<String>,
    /// Whether the doc comment is the item's `description` (its model struct has one).
    pub describes: bool,
    pub node: Node,
}

/// A value.
pub(crate) enum Node {
    Str(LitStr),
    Int(LitInt),
    Float(LitFloat),
    Bool(LitBool),
    /// A bare word: an enum value (`payments`, `GET`, `hmac_sha256`).
    Word(Ident),
    /// A Rust type, where the model has a `TypeSchema` (`CustomerListParams`, `List<Customer>`), with an
    /// optional example (`StripeConfig = { … }`).
    Typed {
        ty: Box<Type>,
        example: Option<Obj>,
    },
    /// `[ … ]`.
    Array {
        span: Span,
        items: Vec<Item>,
    },
    /// `{ … }`.
    Object(Obj),
    /// `word { … }`: a tagged object (a transport, an auth method, an action).
    Tagged {
        tag: Ident,
        /// The member the word fills: the union's tag (`type`), or an action's `method_name`.
        field: String,
        body: Obj,
    },
    /// `"customer.created" => Customer`.
    Event {
        name: LitStr,
        payload: Box<Type>,
    },
}

impl Node {
    /// The span an error about this value points at.
    pub fn span(&self) -> Span {
        match self {
            Node::Str(l) => l.span(),
            Node::Int(l) => l.span(),
            Node::Float(l) => l.span(),
            Node::Bool(l) => l.span,
            Node::Word(i) => i.span(),
            Node::Typed { ty: t, .. } => syn::spanned::Spanned::span(&**t),
            Node::Array { span, .. } => *span,
            Node::Object(o) => o.span,
            Node::Tagged { tag, .. } => tag.span(),
            Node::Event { name, .. } => name.span(),
        }
    }
}
