//! Customers: `/v1/customers`, and the payload of `customer.*` events.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_macros::DeserializeOpen;

use super::common::{
    Address, AddressParams, AnyObject, Expandable, Extra, HasId, Metadata, RangeQuery, Shipping, ShippingParams,
};

/// A customer of the Stripe account (`object: "customer"`).
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct Customer {
    /// Unique identifier for the object (`cus_…`).
    pub id: String,
    /// Always `customer`.
    pub object: String,
    /// The customer's address.
    pub address: Option<Address>,
    /// Balance in the smallest currency unit, applied to the next invoice; negative is a credit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<i64>,
    /// Time at which the object was created (Unix seconds).
    pub created: i64,
    /// Three-letter ISO code of the currency the customer can be charged in for recurring billing.
    pub currency: Option<String>,
    /// ID of the default payment source for the customer.
    pub default_source: Option<Expandable<AnyObject>>,
    /// Present and `true` on a deleted customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<bool>,
    /// Whether the customer's latest invoice is past due.
    pub delinquent: Option<bool>,
    /// An arbitrary string attached to the object.
    pub description: Option<String>,
    /// The customer's email address.
    pub email: Option<String>,
    /// Prefix of the customer's invoice numbers.
    pub invoice_prefix: Option<String>,
    /// Whether the object exists in live mode (`false` in test mode).
    pub livemode: bool,
    /// Key-value pairs attached to the object.
    #[serde(default)]
    pub metadata: Metadata,
    /// The customer's full name or business name.
    pub name: Option<String>,
    /// The customer's phone number.
    pub phone: Option<String>,
    /// The customer's preferred locales (languages), ordered by preference.
    pub preferred_locales: Option<Vec<String>>,
    /// Mailing and shipping address for the customer.
    pub shipping: Option<Shipping>,
    /// Fields not modeled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Customer {
    fn id(&self) -> &str {
        &self.id
    }
}

/// The customer's tax exemption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaxExempt {
    /// Exempt from tax.
    Exempt,
    /// Not exempt.
    None,
    /// Reverse charge: invoices and receipts carry the text "Reverse charge".
    Reverse,
}

/// Default invoice settings of a customer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerInvoiceSettingsParams {
    /// ID of a payment method attached to the customer, used as default for subscriptions and invoices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_payment_method: Option<String>,
    /// Default footer displayed on invoices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer: Option<String>,
}

/// Parameters of `GET /v1/customers`: lists customers, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerListParams {
    /// Only customers created in this range (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<RangeQuery>,
    /// Case-sensitive filter on the customer's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Cursor: an object ID; returns the page before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ending_before: Option<String>,
    /// Fields of the response to expand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expand: Option<Vec<String>>,
    /// Number of objects to return, 1 to 100 (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 100))]
    pub limit: Option<u32>,
    /// Cursor: an object ID; returns the page after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starting_after: Option<String>,
    /// Only customers belonging to this test clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_clock: Option<String>,
}

/// Parameters of `GET /v1/customers/{customer}`: retrieves a customer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerRetrieveParams {
    /// ID of the customer (path parameter).
    pub customer: String,
    /// Fields of the response to expand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expand: Option<Vec<String>>,
}

/// Parameters of `POST /v1/customers`: creates a customer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerCreateParams {
    /// The customer's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<AddressParams>,
    /// Starting balance in the smallest currency unit; negative is a credit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<i64>,
    /// An arbitrary string attached to the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The customer's email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Fields of the response to expand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expand: Option<Vec<String>>,
    /// Prefix for the customer's invoice numbers (3 to 12 uppercase letters or numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_prefix: Option<String>,
    /// Default invoice settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_settings: Option<CustomerInvoiceSettingsParams>,
    /// Key-value pairs to attach to the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// The customer's full name or business name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The sequence number of the customer's next invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_invoice_sequence: Option<i64>,
    /// ID of a payment method to attach to the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<String>,
    /// The customer's phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The customer's preferred locales (languages), ordered by preference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_locales: Option<Vec<String>>,
    /// Shipping information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<ShippingParams>,
    /// The customer's tax exemption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_exempt: Option<TaxExempt>,
    /// ID of the test clock to attach to the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_clock: Option<String>,
}

/// Parameters of `POST /v1/customers/{customer}`: updates a customer; omitted fields are left unchanged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerUpdateParams {
    /// ID of the customer (path parameter).
    pub customer: String,
    /// The customer's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<AddressParams>,
    /// Balance in the smallest currency unit; negative is a credit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<i64>,
    /// ID of a source attached to the customer, made the default source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_source: Option<String>,
    /// An arbitrary string attached to the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The customer's email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Fields of the response to expand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expand: Option<Vec<String>>,
    /// Prefix for the customer's invoice numbers (3 to 12 uppercase letters or numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_prefix: Option<String>,
    /// Default invoice settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_settings: Option<CustomerInvoiceSettingsParams>,
    /// Key-value pairs to attach to the object; merged with existing keys (an empty value unsets a key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// The customer's full name or business name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The sequence number of the customer's next invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_invoice_sequence: Option<i64>,
    /// The customer's phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The customer's preferred locales (languages), ordered by preference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_locales: Option<Vec<String>>,
    /// Shipping information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<ShippingParams>,
    /// The customer's tax exemption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_exempt: Option<TaxExempt>,
}
