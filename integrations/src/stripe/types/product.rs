//! Products: `/v1/products`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_macros::DeserializeOpen;

use super::common::{Expandable, Extra, HasId, Metadata, OpenEnum, RecurringParams, TaxBehavior};
use super::price::Price;

/// A good or service offered to customers (`object: "product"`).
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct Product {
    /// Unique identifier for the object (`prod_…` or a chosen ID).
    pub id: String,
    /// Always `product`.
    pub object: String,
    /// Whether the product is available for purchase.
    pub active: bool,
    /// Time at which the object was created (Unix seconds).
    pub created: i64,
    /// The default price of the product.
    pub default_price: Option<Expandable<Price>>,
    /// The product's description, meant to be displayable to the customer.
    pub description: Option<String>,
    /// Up to 8 image URLs for the product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<Vec<String>>,
    /// Whether the object exists in live mode (`false` in test mode).
    pub livemode: bool,
    /// Key-value pairs attached to the object.
    #[serde(default)]
    pub metadata: Metadata,
    /// The product's name, meant to be displayable to the customer.
    pub name: String,
    /// Whether the product is shipped (a physical good).
    pub shippable: Option<bool>,
    /// Statement descriptor for the product's charges.
    pub statement_descriptor: Option<String>,
    /// `good` or `service`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<OpenEnum<ProductType>>,
    /// A label for units of the product, shown on receipts and invoices.
    pub unit_label: Option<String>,
    /// Time at which the object was last updated (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<i64>,
    /// A URL of a publicly-accessible webpage for the product.
    pub url: Option<String>,
    /// Fields not modeled here (`marketing_features`, `package_dimensions`, `tax_code` …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Product {
    fn id(&self) -> &str {
        &self.id
    }
}

/// The type of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProductType {
    /// A physical or digital good.
    Good,
    /// A service (used by subscriptions and plans).
    Service,
}

/// A price created together with a product (`default_price_data`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DefaultPriceDataParams {
    /// Three-letter ISO currency code, in lowercase.
    pub currency: String,
    /// Key-value pairs to attach to the price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// The recurring components of the price; omit for a one-time price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring: Option<RecurringParams>,
    /// Whether the price includes tax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_behavior: Option<TaxBehavior>,
    /// Unit amount in the smallest currency unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_amount: Option<i64>,
    /// Same as `unit_amount`, as a decimal string with at most 12 decimal places.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_amount_decimal: Option<String>,
}

/// A marketing feature shown on pricing tables.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarketingFeatureParams {
    /// The feature's name (at most 80 characters).
    pub name: String,
}

/// Parameters of `POST /v1/products`: creates a product.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductCreateParams {
    /// The product's name, meant to be displayable to the customer.
    pub name: String,
    /// Whether the product is available for purchase (default `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// A price to create and set as the product's default price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_price_data: Option<DefaultPriceDataParams>,
    /// The product's description, meant to be displayable to the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Fields of the response to expand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expand: Option<Vec<String>>,
    /// An identifier for the product; generated when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Up to 8 image URLs for the product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<Vec<String>>,
    /// Up to 15 marketing features shown on pricing tables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketing_features: Option<Vec<MarketingFeatureParams>>,
    /// Key-value pairs to attach to the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// Whether the product is shipped (a physical good).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shippable: Option<bool>,
    /// Statement descriptor for the product's charges (at most 22 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement_descriptor: Option<String>,
    /// A tax code ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_code: Option<String>,
    /// `good` or `service` (default `service`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<ProductType>,
    /// A label for units of the product, shown on receipts and invoices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_label: Option<String>,
    /// A URL of a publicly-accessible webpage for the product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}
