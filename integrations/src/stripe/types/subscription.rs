//! Subscriptions: `/v1/subscriptions`, and the payload of `customer.subscription.*` events.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_macros::DeserializeOpen;

use super::common::{
    AnyObject, CollectionMethod, Expandable, Extra, HasId, Metadata, OpenEnum, RangeQuery, RecurringParams, TaxBehavior,
};
use super::customer::Customer;
use super::invoice::Invoice;
use super::list::List;
use super::price::Price;

/// A customer's recurring purchase of one or more prices (`object: "subscription"`).
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct Subscription {
    /// Unique identifier for the object (`sub_…`).
    pub id: String,
    /// Always `subscription`.
    pub object: String,
    /// When the subscription is scheduled to be canceled (Unix seconds).
    pub cancel_at: Option<i64>,
    /// Whether the subscription is canceled at the end of the current period.
    pub cancel_at_period_end: bool,
    /// When the subscription was canceled (Unix seconds); the request time for a future cancellation.
    pub canceled_at: Option<i64>,
    /// How invoices of the subscription are collected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_method: Option<OpenEnum<CollectionMethod>>,
    /// Time at which the object was created (Unix seconds).
    pub created: i64,
    /// Three-letter ISO currency code, in lowercase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The customer who owns the subscription.
    pub customer: Expandable<Customer>,
    /// Number of days a customer has to pay invoices (`send_invoice` collection).
    pub days_until_due: Option<i64>,
    /// The default payment method of the subscription.
    pub default_payment_method: Option<Expandable<AnyObject>>,
    /// The subscription's description, meant to be displayable to the customer.
    pub description: Option<String>,
    /// When the subscription ended (Unix seconds), if it has.
    pub ended_at: Option<i64>,
    /// The subscription items (first page).
    pub items: List<SubscriptionItem>,
    /// The most recent invoice this subscription generated.
    pub latest_invoice: Option<Expandable<Invoice>>,
    /// Whether the object exists in live mode (`false` in test mode).
    pub livemode: bool,
    /// Key-value pairs attached to the object.
    #[serde(default)]
    pub metadata: Metadata,
    /// When the subscription started (Unix seconds); may differ from `created` for backdated subscriptions.
    pub start_date: i64,
    /// Status of the subscription.
    pub status: OpenEnum<SubscriptionStatus>,
    /// When the trial ends (Unix seconds).
    pub trial_end: Option<i64>,
    /// When the trial started (Unix seconds).
    pub trial_start: Option<i64>,
    /// Fields not modeled here (`cancellation_details`, `pause_collection`, and on older API versions
    /// `current_period_start`, `current_period_end`, `plan`, `quantity` …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Subscription {
    fn id(&self) -> &str {
        &self.id
    }
}

/// One price of a subscription, with its quantity (`object: "subscription_item"`).
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct SubscriptionItem {
    /// Unique identifier for the object (`si_…`).
    pub id: String,
    /// Always `subscription_item`.
    pub object: String,
    /// Time at which the object was created (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<i64>,
    /// End of the item's current billing period (Unix seconds; 2025-03-31.basil and later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_period_end: Option<i64>,
    /// Start of the item's current billing period (Unix seconds; 2025-03-31.basil and later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_period_start: Option<i64>,
    /// Key-value pairs attached to the object.
    #[serde(default)]
    pub metadata: Metadata,
    /// The price the customer is subscribed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Price>,
    /// The quantity of the price the customer is subscribed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    /// The subscription this item belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription: Option<String>,
    /// Fields not modeled here (`plan`, `tax_rates`, `discounts` …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for SubscriptionItem {
    fn id(&self) -> &str {
        &self.id
    }
}

/// Status of a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    /// In good standing.
    Active,
    /// Canceled; terminal.
    Canceled,
    /// The first payment has not succeeded yet (23 hours to pay).
    Incomplete,
    /// The first invoice was not paid within 23 hours; terminal.
    IncompleteExpired,
    /// Payment of the latest invoice failed or was not attempted.
    PastDue,
    /// The trial ended without a default payment method.
    Paused,
    /// In a trial period.
    Trialing,
    /// The latest invoice was not paid and retries are exhausted.
    Unpaid,
}

/// Status filter for listing subscriptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatusFilter {
    /// Active subscriptions.
    Active,
    /// Every subscription, canceled ones included (by default canceled ones are left out).
    All,
    /// Canceled subscriptions.
    Canceled,
    /// Canceled and incomplete-expired subscriptions.
    Ended,
    /// Incomplete subscriptions.
    Incomplete,
    /// Incomplete-expired subscriptions.
    IncompleteExpired,
    /// Past-due subscriptions.
    PastDue,
    /// Paused subscriptions.
    Paused,
    /// Subscriptions in a trial.
    Trialing,
    /// Unpaid subscriptions.
    Unpaid,
}

/// How a subscription handles a first payment that needs action or fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentBehavior {
    /// Create the subscription as `incomplete` when payment needs action or fails.
    AllowIncomplete,
    /// Create the subscription as `incomplete` and leave the first payment to the client.
    DefaultIncomplete,
    /// Fail the request when payment needs action or fails.
    ErrorIfIncomplete,
    /// Apply updates only once payment succeeds (updates only).
    PendingIfIncomplete,
}

/// How prorations are handled when billing changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProrationBehavior {
    /// Create prorations and invoice them immediately.
    AlwaysInvoice,
    /// Create prorations (the default).
    CreateProrations,
    /// No prorations.
    None,
}

/// When a trial ends: now, or at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum TrialEnd {
    /// End the trial immediately (`"now"`).
    Now(Now),
    /// End the trial at this time (Unix seconds).
    At(i64),
}

/// The literal `"now"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Now {
    /// `"now"`.
    #[serde(rename = "now")]
    Now,
}

/// A price created inline for one subscription item (`items[].price_data`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionItemPriceDataParams {
    /// Three-letter ISO currency code, in lowercase.
    pub currency: String,
    /// ID of the product the price belongs to.
    pub product: String,
    /// The recurring components of the price.
    pub recurring: RecurringParams,
    /// Whether the price includes tax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_behavior: Option<TaxBehavior>,
    /// Amount in the smallest currency unit, charged every interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_amount: Option<i64>,
    /// Same as `unit_amount`, as a decimal string with at most 12 decimal places.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_amount_decimal: Option<String>,
}

/// One item of a new subscription: a price and its quantity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionItemParams {
    /// Key-value pairs to attach to the item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// ID of the price; one of `price` or `price_data` is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    /// A price to create inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_data: Option<SubscriptionItemPriceDataParams>,
    /// Quantity of the price (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u64>,
    /// IDs of tax rates applied to this item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_rates: Option<Vec<String>>,
}

/// Why a customer canceled, recorded with the cancellation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CancellationFeedback {
    /// Customer service was less than expected.
    CustomerService,
    /// Quality was less than expected.
    LowQuality,
    /// Some features are missing.
    MissingFeatures,
    /// Other reason.
    Other,
    /// Switched to a different service.
    SwitchedService,
    /// Ease of use was less than expected.
    TooComplex,
    /// It's too expensive.
    TooExpensive,
    /// Not used enough.
    Unused,
}

/// Details about why a subscription was canceled.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CancellationDetailsParams {
    /// Additional comments from the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The customer's reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<CancellationFeedback>,
}

/// Parameters of `GET /v1/subscriptions`: lists subscriptions, newest first (canceled ones only with a
/// `status` filter).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionListParams {
    /// Only subscriptions with this collection method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_method: Option<CollectionMethod>,
    /// Only subscriptions created in this range (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<RangeQuery>,
    /// Only subscriptions of this customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
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
    /// Only subscriptions that contain this price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    /// Cursor: an object ID; returns the page after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starting_after: Option<String>,
    /// Only subscriptions with this status (`all` includes canceled ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<SubscriptionStatusFilter>,
    /// Only subscriptions belonging to this test clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_clock: Option<String>,
}

/// Parameters of `GET /v1/subscriptions/{subscription_exposed_id}`: retrieves a subscription.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionRetrieveParams {
    /// ID of the subscription (path parameter).
    pub subscription_exposed_id: String,
    /// Fields of the response to expand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expand: Option<Vec<String>>,
}

/// Parameters of `POST /v1/subscriptions`: subscribes a customer to one or more prices.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionCreateParams {
    /// ID of the customer to subscribe.
    pub customer: String,
    /// The prices to subscribe to, with quantities (up to 20).
    pub items: Vec<SubscriptionItemParams>,
    /// Start the subscription in the past (Unix seconds); the first invoice covers the backdated period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backdate_start_date: Option<i64>,
    /// A future time (Unix seconds) anchoring the billing cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_cycle_anchor: Option<i64>,
    /// Cancel the subscription at this time (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_at: Option<i64>,
    /// Cancel the subscription at the end of the current period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_at_period_end: Option<bool>,
    /// How invoices are collected (default `charge_automatically`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_method: Option<CollectionMethod>,
    /// Three-letter ISO currency code, in lowercase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Number of days a customer has to pay invoices (only with `collection_method: send_invoice`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_until_due: Option<u32>,
    /// ID of the default payment method; it must belong to the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_payment_method: Option<String>,
    /// IDs of tax rates applied to items without their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_tax_rates: Option<Vec<String>>,
    /// The subscription's description, meant to be displayable to the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Fields of the response to expand (`latest_invoice.payment_intent` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expand: Option<Vec<String>>,
    /// Key-value pairs to attach to the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// The customer is not in the checkout flow (for the first payment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub off_session: Option<bool>,
    /// How a first payment that needs action or fails is handled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_behavior: Option<PaymentBehavior>,
    /// How prorations are handled (with `backdate_start_date` or `billing_cycle_anchor`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proration_behavior: Option<ProrationBehavior>,
    /// When the trial ends: `now` or a time (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_end: Option<TrialEnd>,
    /// Apply the trial period of the plans, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_from_plan: Option<bool>,
    /// Number of trial days before the customer is charged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_period_days: Option<u32>,
}

/// Parameters of `DELETE /v1/subscriptions/{subscription_exposed_id}`: cancels a subscription immediately.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionCancelParams {
    /// ID of the subscription (path parameter).
    pub subscription_exposed_id: String,
    /// Why the customer canceled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancellation_details: Option<CancellationDetailsParams>,
    /// Fields of the response to expand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expand: Option<Vec<String>>,
    /// Invoice pending invoice items and metered usage immediately (default `false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_now: Option<bool>,
    /// Credit unused time with a proration invoice item (default `false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prorate: Option<bool>,
}
