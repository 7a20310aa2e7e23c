//! The small test spec: a mini Stripe (customer list/get/create/delete, form bodies, api-key + OAuth 2 +
//! webhook-signing auth, a version policy, two events) read from `mini_stripe.json`, with its schemas
//! produced by schemars from the types below.

#![allow(dead_code)]

use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, schema_for};
use serde::{Deserialize, Serialize};
use spec_core::{IntegrationSpec, Secret, TypeSchema};

/// Connection configuration.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct StripeConfig {
    /// Connected account id, sent as `Stripe-Account`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Region or data-residency hint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// Connection secrets.
#[derive(Deserialize, JsonSchema)]
pub struct StripeSecrets {
    /// Secret API key (`sk_live_…` or `sk_test_…`).
    pub api_key: Secret,
    /// Webhook endpoint signing secret (`whsec_…`).
    pub webhook_secret: Secret,
}

/// A range filter on a timestamp.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct RangeQuery {
    /// Greater than.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gt: Option<i64>,
    /// Less than or equal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lte: Option<i64>,
}

/// Filters for listing customers.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct CustomerListParams {
    /// Exact email match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Page size, 1 to 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 100))]
    pub limit: Option<u8>,
    /// Cursor: the last id of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starting_after: Option<String>,
    /// Creation time filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<RangeQuery>,
}

/// Identifies one customer.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct CustomerGetParams {
    /// Customer id (`cus_…`).
    pub id: String,
}

/// A postal address.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct Address {
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Two-letter country code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Address line 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line1: Option<String>,
}

/// Tax status.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TaxExempt {
    None,
    Exempt,
    Reverse,
}

/// Where invoices are sent.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceDelivery {
    /// Emailed to the customer.
    Email,
    /// Left for the customer to fetch.
    Manual,
}

/// Fields of a new customer.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct CustomerCreate {
    /// Email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Full name or business name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Free-form key-value pairs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
    /// Billing address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Preferred languages, most preferred first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preferred_locales: Vec<String>,
    /// Tax status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_exempt: Option<TaxExempt>,
    /// Invoice delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_delivery: Option<InvoiceDelivery>,
}

/// A Stripe customer.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct Customer {
    /// Unique identifier.
    pub id: String,
    /// Always `customer`.
    pub object: String,
    /// Creation time, Unix seconds.
    pub created: i64,
    /// Whether the object exists in live mode.
    pub livemode: bool,
    /// Email address.
    #[serde(default)]
    pub email: Option<String>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Key-value pairs.
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    /// Billing address.
    #[serde(default)]
    pub address: Option<Address>,
    /// Balance in the smallest currency unit.
    #[serde(default)]
    pub balance: i64,
    /// Tax status.
    #[serde(default)]
    pub tax_exempt: Option<TaxExempt>,
    /// Fields this mini model does not name.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// The result of deleting a customer.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct DeletedCustomer {
    /// The deleted id.
    pub id: String,
    /// Always `customer`.
    pub object: String,
    /// Always true.
    pub deleted: bool,
}

/// One page of a list.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct List<T> {
    /// Always `list`.
    pub object: String,
    /// The items.
    pub data: Vec<T>,
    /// Whether more pages exist.
    pub has_more: bool,
    /// The list's URL.
    pub url: String,
}

fn schema_of(type_name: &str) -> Schema {
    match type_name {
        "StripeConfig" => schema_for!(StripeConfig),
        "StripeSecrets" => schema_for!(StripeSecrets),
        "CustomerListParams" => schema_for!(CustomerListParams),
        "CustomerGetParams" => schema_for!(CustomerGetParams),
        "CustomerCreate" => schema_for!(CustomerCreate),
        "Customer" => schema_for!(Customer),
        "DeletedCustomer" => schema_for!(DeletedCustomer),
        "List<Customer>" => schema_for!(List<Customer>),
        other => panic!("no test type named {other}"),
    }
}

fn fill(ts: &mut TypeSchema) {
    ts.schema = serde_json::to_value(schema_of(&ts.type_name)).unwrap();
}

/// The mini Stripe spec with schemas filled in; validated.
pub fn mini_stripe() -> IntegrationSpec {
    let mut spec: IntegrationSpec = serde_json::from_str(include_str!("mini_stripe.json")).unwrap();
    fill(&mut spec.config);
    fill(&mut spec.secrets);
    for a in &mut spec.actions {
        fill(&mut a.input);
        fill(&mut a.output);
    }
    if let Some(ev) = &mut spec.events {
        for t in &mut ev.types {
            fill(&mut t.payload);
        }
    }
    if let Err(errs) = spec_core::validate(&spec) {
        panic!("the test spec is invalid: {errs:#?}");
    }
    spec
}

/// The mini Stripe spec with a loopback base URL (for localstripe).
pub fn mini_stripe_at(base_url: &str) -> IntegrationSpec {
    let mut spec = mini_stripe();
    for t in &mut spec.transports {
        if let spec_core::Transport::Rest(r) = t {
            r.base_url = base_url.to_string();
        }
    }
    spec
}

/// The shared schemas the generator is given besides the integrations: the spec format itself.
pub fn shared() -> Vec<codegen::NamedSchema> {
    vec![codegen::NamedSchema::spec_format().unwrap()]
}

/// A `'static` copy of a spec.
pub fn leak(spec: IntegrationSpec) -> &'static IntegrationSpec {
    Box::leak(Box::new(spec))
}
