//! Payment Links: `/v1/payment_links`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_macros::DeserializeOpen;

use super::checkout::{BillingAddressCollection, CustomerCreation, PhoneNumberCollectionParams, SubmitType};
use super::common::{
    AdjustableQuantityParams, CaptureMethod, Extra, HasId, Metadata, PriceDataParams, SetupFutureUsage,
};

/// A shareable URL to a hosted payment page, reusable by many customers (`object: "payment_link"`).
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct PaymentLink {
    /// Unique identifier for the object (`plink_…`).
    pub id: String,
    /// Always `payment_link`.
    pub object: String,
    /// Whether the link accepts payments; inactive links show `inactive_message`.
    pub active: bool,
    /// Whether user-redeemable promotion codes are enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_promotion_codes: Option<bool>,
    /// Three-letter ISO currency code, in lowercase.
    pub currency: String,
    /// The message shown when the link is inactive.
    pub inactive_message: Option<String>,
    /// Whether the object exists in live mode (`false` in test mode).
    pub livemode: bool,
    /// Key-value pairs attached to the object.
    #[serde(default)]
    pub metadata: Metadata,
    /// The payment method types customers can use; `null` lets Stripe choose from the Dashboard settings.
    pub payment_method_types: Option<Vec<String>>,
    /// The public URL customers open to pay.
    pub url: String,
    /// Fields not modeled here (`after_completion`, `line_items` when expanded, `subscription_data` …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for PaymentLink {
    fn id(&self) -> &str {
        &self.id
    }
}

/// What happens after a purchase through a payment link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AfterCompletionType {
    /// Show a confirmation page hosted by Stripe.
    HostedConfirmation,
    /// Redirect the customer to a URL.
    Redirect,
}

/// The confirmation page hosted by Stripe.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HostedConfirmationParams {
    /// A custom message shown on the confirmation page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_message: Option<String>,
}

/// Where the customer is redirected after a purchase.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RedirectParams {
    /// The URL; `{CHECKOUT_SESSION_ID}` is replaced by the Checkout Session ID.
    pub url: String,
}

/// Behavior after a purchase through a payment link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AfterCompletionParams {
    /// `hosted_confirmation` or `redirect`.
    pub r#type: AfterCompletionType,
    /// Settings of the hosted confirmation page (with `type: hosted_confirmation`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hosted_confirmation: Option<HostedConfirmationParams>,
    /// Settings of the redirect (required with `type: redirect`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect: Option<RedirectParams>,
}

/// One line item of a payment link: a price (existing or inline) and a quantity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentLinkLineItemParams {
    /// Quantity of the line item.
    pub quantity: u64,
    /// Whether the customer can adjust the quantity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjustable_quantity: Option<AdjustableQuantityParams>,
    /// ID of the price; one of `price` or `price_data` is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    /// A price to create inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_data: Option<PriceDataParams>,
}

/// Settings of the PaymentIntents created through a payment link (one-time payments).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentLinkPaymentIntentDataParams {
    /// How the funds are captured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture_method: Option<CaptureMethod>,
    /// An arbitrary string attached to each PaymentIntent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Key-value pairs to attach to each PaymentIntent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// Save the payment method for future payments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup_future_usage: Option<SetupFutureUsage>,
    /// Statement descriptor for non-card charges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement_descriptor: Option<String>,
    /// Suffix appended to the account's statement descriptor for card charges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement_descriptor_suffix: Option<String>,
    /// A string identifying the payments as part of a group of transfers (Connect).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_group: Option<String>,
}

/// Settings of the subscriptions created through a payment link (recurring prices).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentLinkSubscriptionDataParams {
    /// The subscription's description, meant to be displayable to the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Key-value pairs to attach to each subscription.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// Number of trial days (at least 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_period_days: Option<u32>,
}

/// Parameters of `POST /v1/payment_links`: creates a payment link.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentLinkCreateParams {
    /// The items the customer buys (up to 20).
    pub line_items: Vec<PaymentLinkLineItemParams>,
    /// Behavior after a purchase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_completion: Option<AfterCompletionParams>,
    /// Enable user-redeemable promotion codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_promotion_codes: Option<bool>,
    /// Fee in the smallest currency unit transferred to the platform's account (Connect, one-time prices).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_fee_amount: Option<i64>,
    /// Percentage of subscription invoices transferred to the platform's account (Connect, recurring prices).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_fee_percent: Option<f64>,
    /// Whether Checkout collects the customer's billing address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_address_collection: Option<BillingAddressCollection>,
    /// Three-letter ISO currency code, in lowercase (must match the prices').
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Whether a customer is created (one-time payments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_creation: Option<CustomerCreation>,
    /// Fields of the response to expand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expand: Option<Vec<String>>,
    /// The message shown when the link is inactive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive_message: Option<String>,
    /// Key-value pairs to attach to the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// ID of the account on whose behalf the payments are made (Connect).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_behalf_of: Option<String>,
    /// Settings of the PaymentIntents (one-time prices).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_intent_data: Option<PaymentLinkPaymentIntentDataParams>,
    /// The payment method types customers can use; omit to use the Dashboard settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method_types: Option<Vec<String>>,
    /// Whether the customer's phone number is collected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number_collection: Option<PhoneNumberCollectionParams>,
    /// The label of the submit button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submit_type: Option<SubmitType>,
    /// Settings of the subscriptions (recurring prices).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_data: Option<PaymentLinkSubscriptionDataParams>,
}
