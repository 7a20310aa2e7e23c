//! Prices: `/v1/prices`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_macros::DeserializeOpen;

use super::common::{Expandable, Extra, HasId, Metadata, OpenEnum, RecurringInterval, TaxBehavior};
use super::product::Product;

/// The unit cost, currency and (optional) billing cycle of a product (`object: "price"`).
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct Price {
    /// Unique identifier for the object (`price_…`).
    pub id: String,
    /// Always `price`.
    pub object: String,
    /// Whether the price can be used for new purchases.
    pub active: bool,
    /// How to compute the price per period: `per_unit` or `tiered`.
    pub billing_scheme: OpenEnum<BillingScheme>,
    /// Time at which the object was created (Unix seconds).
    pub created: i64,
    /// Three-letter ISO currency code, in lowercase.
    pub currency: String,
    /// Whether the object exists in live mode (`false` in test mode).
    pub livemode: bool,
    /// A lookup key used to retrieve prices dynamically.
    pub lookup_key: Option<String>,
    /// Key-value pairs attached to the object.
    #[serde(default)]
    pub metadata: Metadata,
    /// A brief description of the price, hidden from customers.
    pub nickname: Option<String>,
    /// The product this price belongs to.
    pub product: Expandable<Product>,
    /// The recurring components of the price; `null` for a one-time price.
    pub recurring: Option<PriceRecurring>,
    /// Whether the price includes tax.
    pub tax_behavior: Option<OpenEnum<TaxBehavior>>,
    /// How tiers are applied, when `billing_scheme` is `tiered`.
    pub tiers_mode: Option<OpenEnum<TiersMode>>,
    /// `one_time` or `recurring`.
    pub r#type: OpenEnum<PriceType>,
    /// Unit amount in the smallest currency unit, when `billing_scheme` is `per_unit`.
    pub unit_amount: Option<i64>,
    /// Same as `unit_amount`, as a decimal string.
    pub unit_amount_decimal: Option<String>,
    /// Fields not modeled here (`custom_unit_amount`, `transform_quantity`, `currency_options` …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Price {
    fn id(&self) -> &str {
        &self.id
    }
}

/// The recurring components of a price.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct PriceRecurring {
    /// Billing frequency.
    pub interval: OpenEnum<RecurringInterval>,
    /// Number of intervals between billings.
    pub interval_count: i64,
    /// Default number of trial days when subscribing a customer to this price.
    pub trial_period_days: Option<i64>,
    /// `licensed` (billed per quantity) or `metered` (billed per reported usage).
    pub usage_type: OpenEnum<UsageType>,
    /// Fields not modeled here (`meter` …).
    #[serde(flatten)]
    pub extra: Extra,
}

/// How to compute the price per period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BillingScheme {
    /// A fixed amount per unit or seat.
    PerUnit,
    /// Unit pricing from the `tiers`.
    Tiered,
}

/// How tiers are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TiersMode {
    /// Each unit is priced by the tier it falls in.
    Graduated,
    /// All units are priced by the tier the total quantity reaches.
    Volume,
}

/// Whether a price is charged once or on a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PriceType {
    /// Charged once.
    OneTime,
    /// Charged every period.
    Recurring,
}

/// How the quantity of a recurring price is determined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UsageType {
    /// Billed for the subscribed quantity (the default).
    Licensed,
    /// Billed for the usage reported during the period.
    Metered,
}

/// Recurring components of a new price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceRecurringParams {
    /// Billing frequency.
    pub interval: RecurringInterval,
    /// Number of intervals between billings (at most one year: 1 year, 12 months or 52 weeks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_count: Option<u32>,
    /// ID of the billing meter that tracks usage of a metered price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meter: Option<String>,
    /// Default number of trial days when subscribing a customer to this price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_period_days: Option<u32>,
    /// `licensed` (default) or `metered`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_type: Option<UsageType>,
}

/// A product created together with a new price (`product_data`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceProductDataParams {
    /// The product's name, meant to be displayable to the customer.
    pub name: String,
    /// Whether the product is available for purchase (default `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// An identifier for the product; generated when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Key-value pairs to attach to the product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// Statement descriptor for the product's charges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement_descriptor: Option<String>,
    /// A tax code ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_code: Option<String>,
    /// A label for units of the product, shown on receipts and invoices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_label: Option<String>,
}

/// One pricing tier of a tiered price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceTierParams {
    /// The upper bound of the tier: a quantity, or `inf` for the last tier.
    pub up_to: TierUpTo,
    /// Flat amount for the whole tier, in the smallest currency unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flat_amount: Option<i64>,
    /// Same as `flat_amount`, as a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flat_amount_decimal: Option<String>,
    /// Amount per unit in the tier, in the smallest currency unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_amount: Option<i64>,
    /// Same as `unit_amount`, as a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_amount_decimal: Option<String>,
}

/// The upper bound of a pricing tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum TierUpTo {
    /// Up to this quantity (inclusive).
    Quantity(u64),
    /// No upper bound (`"inf"`); only for the last tier.
    Inf(Infinity),
}

/// The literal `"inf"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Infinity {
    /// `"inf"`.
    #[serde(rename = "inf")]
    Inf,
}

/// Parameters of `POST /v1/prices`: creates a price for an existing or new product.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceCreateParams {
    /// Three-letter ISO currency code, in lowercase.
    pub currency: String,
    /// Whether the price can be used for new purchases (default `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// `per_unit` (default) or `tiered`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_scheme: Option<BillingScheme>,
    /// Fields of the response to expand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expand: Option<Vec<String>>,
    /// A lookup key used to retrieve prices dynamically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup_key: Option<String>,
    /// Key-value pairs to attach to the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// A brief description of the price, hidden from customers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// ID of the product the price belongs to; one of `product` or `product_data` is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// A product to create together with the price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_data: Option<PriceProductDataParams>,
    /// The recurring components of the price; omit for a one-time price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring: Option<PriceRecurringParams>,
    /// Whether the price includes tax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_behavior: Option<TaxBehavior>,
    /// Pricing tiers (required with `billing_scheme: tiered`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiers: Option<Vec<PriceTierParams>>,
    /// How tiers are applied (required with `billing_scheme: tiered`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiers_mode: Option<TiersMode>,
    /// Move the `lookup_key` from the price currently holding it to this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_lookup_key: Option<bool>,
    /// Unit amount in the smallest currency unit; one of `unit_amount`, `unit_amount_decimal` or
    /// `custom_unit_amount` is required unless `billing_scheme` is `tiered`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_amount: Option<i64>,
    /// Same as `unit_amount`, as a decimal string with at most 12 decimal places.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_amount_decimal: Option<String>,
}
