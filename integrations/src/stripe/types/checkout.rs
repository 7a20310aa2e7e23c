//! Checkout Sessions: `/v1/checkout/sessions`, and the payload of `checkout.session.*` events.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_macros::DeserializeOpen;

use super::common::{
    Address, AdjustableQuantityParams, CaptureMethod, Expandable, Extra, HasId, Metadata, OpenEnum, PriceDataParams,
    SetupFutureUsage,
};
use super::customer::Customer;
use super::invoice::Invoice;
use super::payment_intent::PaymentIntent;
use super::payment_link::PaymentLink;
use super::subscription::Subscription;

/// A customer's session as they pay through Checkout (`object: "checkout.session"`).
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct CheckoutSession {
    /// Unique identifier for the object (`cs_…`).
    pub id: String,
    /// Always `checkout.session`.
    pub object: String,
    /// Total of all items before discounts or taxes are applied.
    pub amount_subtotal: Option<i64>,
    /// Total of all items after discounts and taxes are applied.
    pub amount_total: Option<i64>,
    /// Where the customer is sent if they decide to cancel payment.
    pub cancel_url: Option<String>,
    /// A unique string to reference the session, e.g. a cart ID.
    pub client_reference_id: Option<String>,
    /// Time at which the object was created (Unix seconds).
    pub created: i64,
    /// Three-letter ISO currency code, in lowercase.
    pub currency: Option<String>,
    /// The customer of the session (created during the session when none was given).
    pub customer: Option<Expandable<Customer>>,
    /// The customer details collected during the session.
    pub customer_details: Option<CheckoutCustomerDetails>,
    /// The email given when the session was created.
    pub customer_email: Option<String>,
    /// When the session expires (Unix seconds).
    pub expires_at: i64,
    /// The invoice created by the session, if any.
    pub invoice: Option<Expandable<Invoice>>,
    /// Whether the object exists in live mode (`false` in test mode).
    pub livemode: bool,
    /// Key-value pairs attached to the object.
    pub metadata: Option<Metadata>,
    /// `payment`, `setup` or `subscription`.
    pub mode: OpenEnum<CheckoutMode>,
    /// The PaymentIntent of a `payment` session.
    pub payment_intent: Option<Expandable<PaymentIntent>>,
    /// The payment link the session was created from, if any.
    pub payment_link: Option<Expandable<PaymentLink>>,
    /// The payment method types the customer can use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method_types: Option<Vec<String>>,
    /// Whether the payment is done: `paid`, `unpaid` or `no_payment_required`.
    pub payment_status: OpenEnum<CheckoutPaymentStatus>,
    /// `open`, `complete` or `expired`.
    pub status: Option<OpenEnum<CheckoutStatus>>,
    /// The subscription of a `subscription` session.
    pub subscription: Option<Expandable<Subscription>>,
    /// Where the customer is sent after a successful payment.
    pub success_url: Option<String>,
    /// The URL of the hosted Checkout page; `null` once the session is complete or expired.
    pub url: Option<String>,
    /// Fields not modeled here (`line_items` when expanded, `total_details`, `shipping_cost` …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for CheckoutSession {
    fn id(&self) -> &str {
        &self.id
    }
}

/// The customer details collected during a Checkout Session.
#[derive(Debug, Clone, Default, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct CheckoutCustomerDetails {
    /// The customer's address.
    pub address: Option<Address>,
    /// The customer's email.
    pub email: Option<String>,
    /// The customer's name.
    pub name: Option<String>,
    /// The customer's phone number.
    pub phone: Option<String>,
    /// Fields not modeled here (`tax_exempt`, `tax_ids` …).
    #[serde(flatten)]
    pub extra: Extra,
}

/// The mode of a Checkout Session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckoutMode {
    /// Accept one-time payments.
    Payment,
    /// Save payment details to charge later.
    Setup,
    /// Start subscriptions with recurring prices.
    Subscription,
}

/// Whether the payment of a Checkout Session is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckoutPaymentStatus {
    /// No payment is needed (setup mode, free trial …).
    NoPaymentRequired,
    /// The payment funds are available.
    Paid,
    /// The payment funds are not yet available.
    Unpaid,
}

/// Status of a Checkout Session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckoutStatus {
    /// Completed; payment processing may still be in progress.
    Complete,
    /// Expired; no further processing occurs.
    Expired,
    /// Still in progress.
    Open,
}

/// Whether Checkout collects the customer's billing address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BillingAddressCollection {
    /// Only when needed (the default).
    Auto,
    /// Always.
    Required,
}

/// Whether Checkout creates a customer for a `payment` session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CustomerCreation {
    /// Always create a customer.
    Always,
    /// Create one only when needed (the default).
    IfRequired,
}

/// The label of the submit button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubmitType {
    /// Chosen by Stripe.
    Auto,
    /// "Book".
    Book,
    /// "Donate".
    Donate,
    /// "Pay".
    Pay,
    /// "Subscribe".
    Subscribe,
}

/// One line item of a new Checkout Session: a price (existing or inline) and a quantity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutLineItemParams {
    /// Whether the customer can adjust the quantity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjustable_quantity: Option<AdjustableQuantityParams>,
    /// Key-value pairs to attach to the line item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// ID of the price; one of `price` or `price_data` is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    /// A price to create inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_data: Option<PriceDataParams>,
    /// Quantity of the line item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u64>,
    /// IDs of tax rates applied to this line item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_rates: Option<Vec<String>>,
}

/// Settings of the PaymentIntent a `payment` session creates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutPaymentIntentDataParams {
    /// How the funds are captured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture_method: Option<CaptureMethod>,
    /// An arbitrary string attached to the PaymentIntent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Key-value pairs to attach to the PaymentIntent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// Email address to send the receipt to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_email: Option<String>,
    /// Save the payment method for future payments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup_future_usage: Option<SetupFutureUsage>,
    /// Statement descriptor for non-card charges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement_descriptor: Option<String>,
    /// Suffix appended to the account's statement descriptor for card charges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement_descriptor_suffix: Option<String>,
}

/// Settings of the subscription a `subscription` session creates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutSubscriptionDataParams {
    /// IDs of tax rates applied to items without their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_tax_rates: Option<Vec<String>>,
    /// The subscription's description, meant to be displayable to the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Key-value pairs to attach to the subscription.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// When the trial ends (Unix seconds, at least 48 hours ahead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_end: Option<i64>,
    /// Number of trial days (at least 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_period_days: Option<u32>,
}

/// Whether Checkout collects the customer's phone number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PhoneNumberCollectionParams {
    /// Whether phone number collection is enabled.
    pub enabled: bool,
}

/// Parameters of `POST /v1/checkout/sessions`: creates a Checkout Session.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutSessionCreateParams {
    /// Enable user-redeemable promotion codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_promotion_codes: Option<bool>,
    /// Whether Checkout collects the customer's billing address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_address_collection: Option<BillingAddressCollection>,
    /// Where the customer is sent if they decide to cancel payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_url: Option<String>,
    /// A unique string to reference the session, e.g. a cart ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_reference_id: Option<String>,
    /// Three-letter ISO currency code, in lowercase (required with `price_data` in `setup` mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// ID of an existing customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// Whether a customer is created in `payment` mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_creation: Option<CustomerCreation>,
    /// Prefills the customer's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_email: Option<String>,
    /// Fields of the response to expand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expand: Option<Vec<String>>,
    /// When the session expires (Unix seconds, 30 minutes to 24 hours ahead; default 24 hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    /// The items the customer is purchasing (required in `payment` and `subscription` mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_items: Option<Vec<CheckoutLineItemParams>>,
    /// The IETF language tag of the locale Checkout is displayed in (`auto`, `en`, `fr` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Key-value pairs to attach to the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// `payment`, `setup` or `subscription`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<CheckoutMode>,
    /// Settings of the PaymentIntent (`payment` mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_intent_data: Option<CheckoutPaymentIntentDataParams>,
    /// Whether Checkout collects the customer's phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number_collection: Option<PhoneNumberCollectionParams>,
    /// The label of the submit button (`payment` mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submit_type: Option<SubmitType>,
    /// Settings of the subscription (`subscription` mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_data: Option<CheckoutSubscriptionDataParams>,
    /// Where the customer is sent after a successful payment; `{CHECKOUT_SESSION_ID}` is replaced by the ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_url: Option<String>,
}
