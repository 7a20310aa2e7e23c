//! Building blocks shared by every Stripe object: metadata, expandable references, open enums,
//! range filters and addresses.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_macros::DeserializeOpen;

/// Set of key-value pairs attached to an object (up to 50 keys, values up to 500 characters).
pub type Metadata = BTreeMap<String, String>;

/// Fields of a Stripe object that this crate does not model; kept so that nothing the API
/// returns is lost when the object is serialized again.
pub type Extra = spec_runtime::open::Extra;

/// Objects that carry a Stripe identifier.
pub trait HasId {
    /// Unique identifier for the object (`cus_…`, `pi_…`).
    fn id(&self) -> &str;
}

/// A reference Stripe returns either as an ID or, when requested with `expand[]`, as the full object.
///
/// A deleted object expanded in place arrives as a stub (`{"id", "object", "deleted": true}`) and is kept
/// as [`Expandable::Deleted`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "Expandable{T}")]
pub enum Expandable<T> {
    /// The object's ID.
    Id(String),
    /// The expanded object.
    Object(Box<T>),
    /// The stub of a deleted object.
    Deleted(DeletedObject),
}

impl<T: HasId> Expandable<T> {
    /// The referenced object's ID, whichever form it arrived in.
    pub fn id(&self) -> &str {
        match self {
            Expandable::Id(id) => id,
            Expandable::Object(o) => o.id(),
            Expandable::Deleted(d) => &d.id,
        }
    }
}

impl<T> Expandable<T> {
    /// The expanded object, if the reference was expanded.
    pub fn as_object(&self) -> Option<&T> {
        match self {
            Expandable::Object(o) => Some(o),
            _ => None,
        }
    }

    /// Whether the reference points to a deleted object.
    pub fn is_deleted(&self) -> bool {
        matches!(self, Expandable::Deleted(_))
    }
}

/// The stub Stripe returns in place of a deleted object.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct DeletedObject {
    /// Unique identifier for the object.
    pub id: String,
    /// String representing the object's type.
    pub object: String,
    /// Always `true` for a deleted object.
    pub deleted: bool,
    /// Fields not modeled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for DeletedObject {
    fn id(&self) -> &str {
        &self.id
    }
}

/// A Stripe object of a type this crate does not model (a payment method, a balance transaction …),
/// as found in expanded references.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct AnyObject {
    /// Unique identifier for the object.
    pub id: String,
    /// String representing the object's type (`payment_method`, `balance_transaction` …).
    pub object: String,
    /// Every other field of the object.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for AnyObject {
    fn id(&self) -> &str {
        &self.id
    }
}

/// An enum value in a response: one of the values known when this crate was written, or any other string
/// Stripe may add later (Stripe's enums are open: new values can appear even on old API versions).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "Open{E}")]
pub enum OpenEnum<E> {
    /// A known value.
    Known(E),
    /// A value added after this crate was written, kept verbatim.
    Unknown(String),
}

impl<E> OpenEnum<E> {
    /// The known value, if it is one.
    pub fn known(&self) -> Option<&E> {
        match self {
            OpenEnum::Known(e) => Some(e),
            OpenEnum::Unknown(_) => None,
        }
    }
}

impl<E> From<E> for OpenEnum<E> {
    fn from(value: E) -> Self {
        OpenEnum::Known(value)
    }
}

impl<E: PartialEq> PartialEq<E> for OpenEnum<E> {
    fn eq(&self, other: &E) -> bool {
        self.known() == Some(other)
    }
}

/// A filter on a timestamp or amount: an exact value, or bounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RangeQuery {
    /// Exactly this value.
    Exact(i64),
    /// Between bounds.
    Range(Range),
}

/// Bounds of a [`RangeQuery`]; any combination may be set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// Minimum value to filter by (exclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gt: Option<i64>,
    /// Minimum value to filter by (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gte: Option<i64>,
    /// Maximum value to filter by (exclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lt: Option<i64>,
    /// Maximum value to filter by (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lte: Option<i64>,
}

/// A postal address, as returned by Stripe.
#[derive(Debug, Clone, Default, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct Address {
    /// City, district, suburb, town, or village.
    pub city: Option<String>,
    /// Two-letter country code (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    /// Address line 1 (street, PO Box, or company name).
    pub line1: Option<String>,
    /// Address line 2 (apartment, suite, unit, or building).
    pub line2: Option<String>,
    /// ZIP or postal code.
    pub postal_code: Option<String>,
    /// State, county, province, or region.
    pub state: Option<String>,
    /// Fields not modeled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Shipping information, as returned by Stripe.
#[derive(Debug, Clone, Default, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct Shipping {
    /// Shipping address.
    pub address: Option<Address>,
    /// Recipient name.
    pub name: Option<String>,
    /// Recipient phone (including extension).
    pub phone: Option<String>,
    /// Fields not modeled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A postal address sent to Stripe.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressParams {
    /// City, district, suburb, town, or village.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Two-letter country code (ISO 3166-1 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Address line 1 (street, PO Box, or company name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line1: Option<String>,
    /// Address line 2 (apartment, suite, unit, or building).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    /// ZIP or postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// State, county, province, or region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// Shipping information sent to Stripe.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShippingParams {
    /// Shipping address.
    pub address: AddressParams,
    /// Recipient name.
    pub name: String,
    /// Recipient phone (including extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// How a payment is captured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaptureMethod {
    /// Stripe captures the funds when the customer authorizes the payment.
    Automatic,
    /// Stripe captures the funds asynchronously after authorization (the default).
    AutomaticAsync,
    /// Place a hold on the funds and capture them later.
    Manual,
}

/// Whether a payment method is saved for future payments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SetupFutureUsage {
    /// Future payments may happen while the customer is not in the checkout flow.
    OffSession,
    /// Future payments happen only while the customer is in the checkout flow.
    OnSession,
}

/// How an invoice or subscription is collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CollectionMethod {
    /// Stripe charges the default payment method.
    ChargeAutomatically,
    /// Stripe emails the customer an invoice with payment instructions.
    SendInvoice,
}

/// Whether a price includes tax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaxBehavior {
    /// Tax is added on top of the price.
    Exclusive,
    /// The price includes tax.
    Inclusive,
    /// Not specified yet; required to be set before tax can be calculated.
    Unspecified,
}

/// The frequency at which a recurring price bills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecurringInterval {
    /// Daily.
    Day,
    /// Weekly.
    Week,
    /// Monthly.
    Month,
    /// Yearly.
    Year,
}

/// Recurring components of a price created inline (`price_data`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecurringParams {
    /// Billing frequency.
    pub interval: RecurringInterval,
    /// Number of intervals between billings (`interval: month, interval_count: 3` bills every 3 months).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_count: Option<u32>,
}

/// A product created inline with a price (`price_data.product_data`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductDataParams {
    /// The product's name, meant to be displayable to the customer.
    pub name: String,
    /// The product's description, meant to be displayable to the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Up to 8 image URLs for the product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<Vec<String>>,
    /// Key-value pairs attached to the product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// A tax code ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_code: Option<String>,
    /// A label for units of the product, shown on receipts and invoices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_label: Option<String>,
}

/// A price created inline for one line item (`line_items[].price_data`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceDataParams {
    /// Three-letter ISO currency code, in lowercase.
    pub currency: String,
    /// The ID of the product this price belongs to; one of `product` or `product_data` is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// Data used to create a new product inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_data: Option<ProductDataParams>,
    /// The recurring components of the price; omit for a one-time price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring: Option<RecurringParams>,
    /// Whether the price includes tax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_behavior: Option<TaxBehavior>,
    /// Amount in the smallest currency unit (cents) to charge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_amount: Option<i64>,
    /// Same as `unit_amount`, as a decimal string with at most 12 decimal places.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_amount_decimal: Option<String>,
}

/// Whether the customer can adjust the quantity of a line item during checkout.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustableQuantityParams {
    /// Whether the quantity can be adjusted.
    pub enabled: bool,
    /// Maximum quantity the customer can purchase (default 99).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<u32>,
    /// Minimum quantity the customer must purchase (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<u32>,
}
