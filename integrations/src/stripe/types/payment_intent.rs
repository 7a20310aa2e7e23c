//! PaymentIntents: `/v1/payment_intents`, and the payload of `payment_intent.*` events.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_macros::DeserializeOpen;

use super::charge::Charge;
use super::common::{
    AnyObject, CaptureMethod, Expandable, Extra, HasId, Metadata, OpenEnum, RangeQuery, SetupFutureUsage,
    ShippingParams,
};
use super::customer::Customer;

/// A payment from a customer, tracked from creation through checkout (`object: "payment_intent"`).
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct PaymentIntent {
    /// Unique identifier for the object (`pi_…`).
    pub id: String,
    /// Always `payment_intent`.
    pub object: String,
    /// Amount intended to be collected, in the smallest currency unit.
    pub amount: i64,
    /// Amount that can be captured (for `capture_method: manual`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_capturable: Option<i64>,
    /// Amount that this PaymentIntent collected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_received: Option<i64>,
    /// Time at which the PaymentIntent was canceled (Unix seconds).
    pub canceled_at: Option<i64>,
    /// Why the PaymentIntent was canceled.
    pub cancellation_reason: Option<OpenEnum<PaymentIntentCancellationReason>>,
    /// How the funds are captured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture_method: Option<OpenEnum<CaptureMethod>>,
    /// Client secret, used client-side to complete the payment; do not log or store it.
    pub client_secret: Option<String>,
    /// Time at which the object was created (Unix seconds).
    pub created: i64,
    /// Three-letter ISO currency code, in lowercase.
    pub currency: String,
    /// The customer this PaymentIntent belongs to.
    pub customer: Option<Expandable<Customer>>,
    /// An arbitrary string attached to the object.
    pub description: Option<String>,
    /// The payment error of the last failed attempt.
    pub last_payment_error: Option<PaymentError>,
    /// The latest charge created by this PaymentIntent.
    pub latest_charge: Option<Expandable<Charge>>,
    /// Whether the object exists in live mode (`false` in test mode).
    pub livemode: bool,
    /// Key-value pairs attached to the object.
    #[serde(default)]
    pub metadata: Metadata,
    /// Actions the customer must take to complete the payment (`redirect_to_url`, `use_stripe_sdk` …).
    pub next_action: Option<serde_json::Value>,
    /// The payment method used in this PaymentIntent.
    pub payment_method: Option<Expandable<AnyObject>>,
    /// The payment method types this PaymentIntent can use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method_types: Option<Vec<String>>,
    /// Email address the receipt is sent to.
    pub receipt_email: Option<String>,
    /// Whether the payment method is saved for future payments.
    pub setup_future_usage: Option<OpenEnum<SetupFutureUsage>>,
    /// Status of the PaymentIntent.
    pub status: OpenEnum<PaymentIntentStatus>,
    /// Fields not modeled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for PaymentIntent {
    fn id(&self) -> &str {
        &self.id
    }
}

/// Status of a PaymentIntent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentIntentStatus {
    /// Canceled; no further attempt can be made.
    Canceled,
    /// The payment is being processed.
    Processing,
    /// The customer must take an action (3D Secure …).
    RequiresAction,
    /// Authorized; the funds must be captured.
    RequiresCapture,
    /// Ready to be confirmed.
    RequiresConfirmation,
    /// A payment method must be attached (also after a failed attempt).
    RequiresPaymentMethod,
    /// The payment succeeded.
    Succeeded,
}

/// Why a PaymentIntent was canceled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentIntentCancellationReason {
    /// Abandoned by the customer.
    Abandoned,
    /// Canceled automatically by Stripe.
    Automatic,
    /// A duplicate payment.
    Duplicate,
    /// The authorization expired.
    Expired,
    /// Its invoice failed.
    FailedInvoice,
    /// Suspected fraud.
    Fraudulent,
    /// At the customer's request.
    RequestedByCustomer,
    /// Its invoice was voided.
    VoidInvoice,
}

/// The error of a failed payment attempt.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct PaymentError {
    /// The type of error (`card_error`, `invalid_request_error`, `api_error`, `idempotency_error`).
    pub r#type: String,
    /// A short string identifying the error (`card_declined` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// For card errors, the decline code from the issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decline_code: Option<String>,
    /// A human-readable message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The parameter the error relates to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    /// Fields not modeled here (`payment_method`, `doc_url` …).
    #[serde(flatten)]
    pub extra: Extra,
}

/// Whether confirmation happens automatically or requires a server-side confirm call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConfirmationMethod {
    /// Confirmed with a publishable key, client-side.
    Automatic,
    /// Confirmed with a secret key, server-side.
    Manual,
}

/// Settings to use the payment methods enabled in the Dashboard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AutomaticPaymentMethodsParams {
    /// Whether automatic payment methods are enabled.
    pub enabled: bool,
    /// Whether redirect-based payment methods are allowed (`always`, `never`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_redirects: Option<AllowRedirects>,
}

/// Whether redirect-based payment methods are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AllowRedirects {
    /// Allowed (the default).
    Always,
    /// Only payment methods that need no redirect.
    Never,
}

/// Parameters of `GET /v1/payment_intents`: lists PaymentIntents, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentIntentListParams {
    /// Only PaymentIntents created in this range (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<RangeQuery>,
    /// Only PaymentIntents of this customer.
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
    /// Cursor: an object ID; returns the page after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starting_after: Option<String>,
}

/// Parameters of `GET /v1/payment_intents/{intent}`: retrieves a PaymentIntent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentIntentRetrieveParams {
    /// ID of the PaymentIntent (path parameter).
    pub intent: String,
    /// The client secret, required when retrieving with a publishable key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// Fields of the response to expand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expand: Option<Vec<String>>,
}

/// Parameters of `POST /v1/payment_intents`: creates a PaymentIntent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentIntentCreateParams {
    /// Amount intended to be collected, in the smallest currency unit (e.g. 100 cents for $1.00).
    pub amount: i64,
    /// Three-letter ISO currency code, in lowercase.
    pub currency: String,
    /// Fee in the smallest currency unit transferred to the platform's account (Connect).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_fee_amount: Option<i64>,
    /// Use the payment methods enabled in the Dashboard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automatic_payment_methods: Option<AutomaticPaymentMethodsParams>,
    /// How the funds are captured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture_method: Option<CaptureMethod>,
    /// Confirm the PaymentIntent immediately.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirm: Option<bool>,
    /// Whether confirmation happens client-side (`automatic`) or server-side (`manual`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_method: Option<ConfirmationMethod>,
    /// ID of the customer this PaymentIntent belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// An arbitrary string attached to the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Fields of the response to expand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expand: Option<Vec<String>>,
    /// Key-value pairs to attach to the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// The customer is not in the checkout flow (only with `confirm: true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub off_session: Option<bool>,
    /// ID of the account on whose behalf the payment is made (Connect).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_behalf_of: Option<String>,
    /// ID of the payment method to attach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<String>,
    /// ID of the payment method configuration to use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method_configuration: Option<String>,
    /// Email address to send the receipt to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_email: Option<String>,
    /// URL to redirect the customer back to after authentication (with `confirm: true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
    /// Save the payment method for future payments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup_future_usage: Option<SetupFutureUsage>,
    /// Shipping information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<ShippingParams>,
    /// Statement descriptor for non-card charges (at most 22 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement_descriptor: Option<String>,
    /// Suffix appended to the account's statement descriptor for card charges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement_descriptor_suffix: Option<String>,
    /// A string identifying the resulting payment as part of a group of transfers (Connect).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_group: Option<String>,
}

/// Parameters of `POST /v1/payment_intents/{intent}/confirm`: confirms that the customer intends to pay.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentIntentConfirmParams {
    /// ID of the PaymentIntent (path parameter).
    pub intent: String,
    /// How the funds are captured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture_method: Option<CaptureMethod>,
    /// ID of a ConfirmationToken carrying the payment method details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_token: Option<String>,
    /// Fail instead of moving to `requires_action` when the payment needs authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_on_requires_action: Option<bool>,
    /// Fields of the response to expand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expand: Option<Vec<String>>,
    /// ID of the mandate to use for this payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandate: Option<String>,
    /// The customer is not in the checkout flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub off_session: Option<bool>,
    /// ID of the payment method to use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<String>,
    /// Email address to send the receipt to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_email: Option<String>,
    /// URL to redirect the customer back to after authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
    /// Save the payment method for future payments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup_future_usage: Option<SetupFutureUsage>,
    /// Shipping information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<ShippingParams>,
}
