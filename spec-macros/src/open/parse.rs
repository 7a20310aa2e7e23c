//! Reading the struct and the `#[serde]` attributes the derive honours.

use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, GenericParam, Ident, LitStr, Type};

/// A named field of the struct.
pub(crate) struct Field<'a> {
    /// The field's identifier.
    pub ident: &'a Ident,
    /// Its type.
    pub ty: &'a Type,
    /// The member name it is read from (`rename`, else the identifier).
    pub name: String,
    /// `#[serde(default)]`: a missing member takes `Default::default()`.
    pub default: bool,
}

/// The struct as the derive sees it: its modelled fields and the one extra map.
pub(crate) struct OpenStruct<'a> {
    /// The modelled fields, in declaration order.
    pub fields: Vec<Field<'a>>,
    /// The `#[serde(flatten)]` field that keeps every other member.
    pub extra: &'a Ident,
    /// Its type (a map from `String`).
    pub extra_ty: &'a Type,
}

impl<'a> OpenStruct<'a> {
    /// Reads `input`, rejecting what the derive does not support with an error on the offending token.
    pub(crate) fn from_input(input: &'a DeriveInput) -> syn::Result<Self> {
        if let Some(attr) = input.attrs.iter().find(|a| a.path().is_ident("serde")) {
            return Err(syn::Error::new(
                attr.span(),
                "DeserializeOpen supports no container #[serde] attribute: members are matched by field name \
                 (or `rename`) and unknown ones go to the `#[serde(flatten)]` field",
            ));
        }
        if let Some(p) = input
            .generics
            .params
            .iter()
            .find(|p| !matches!(p, GenericParam::Type(_)))
        {
            return Err(syn::Error::new(
                p.span(),
                "DeserializeOpen supports type parameters only",
            ));
        }
        let named = match &input.data {
            Data::Struct(s) => match &s.fields {
                Fields::Named(named) => named,
                other => return Err(syn::Error::new(other.span(), "DeserializeOpen needs named fields")),
            },
            _ => {
                return Err(syn::Error::new(
                    input.ident.span(),
                    "DeserializeOpen derives for structs only",
                ));
            }
        };
        let mut fields = Vec::new();
        let mut extra: Option<(&Ident, &Type)> = None;
        for field in &named.named {
            let Some(ident) = field.ident.as_ref() else { continue };
            let mut flatten = false;
            let mut default = false;
            let mut name = ident.to_string().trim_start_matches("r#").to_string();
            for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
                attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("flatten") {
                        flatten = true;
                    } else if meta.path.is_ident("default") && !meta.input.peek(syn::Token![=]) {
                        default = true;
                    } else if meta.path.is_ident("rename") {
                        name = meta.value()?.parse::<LitStr>()?.value();
                    } else if meta.path.is_ident("skip_serializing_if") {
                        meta.value()?.parse::<LitStr>()?;
                    } else {
                        return Err(meta.error(
                            "DeserializeOpen supports the field attributes `default`, `rename`, `flatten` and \
                             `skip_serializing_if` only",
                        ));
                    }
                    Ok(())
                })?;
            }
            if flatten {
                if extra.is_some() {
                    return Err(syn::Error::new(ident.span(), "only one field can be #[serde(flatten)]"));
                }
                extra = Some((ident, &field.ty));
            } else {
                if fields.iter().any(|f: &Field<'_>| f.name == name) {
                    return Err(syn::Error::new(
                        ident.span(),
                        format!("two fields read the member `{name}`"),
                    ));
                }
                fields.push(Field {
                    ident,
                    ty: &field.ty,
                    name,
                    default,
                });
            }
        }
        let (extra, extra_ty) = extra.ok_or_else(|| {
            syn::Error::new(
                input.ident.span(),
                "DeserializeOpen needs one `#[serde(flatten)]` map field that keeps the members not modelled; \
                 without one, derive serde's Deserialize",
            )
        })?;
        Ok(Self {
            fields,
            extra,
            extra_ty,
        })
    }
}
