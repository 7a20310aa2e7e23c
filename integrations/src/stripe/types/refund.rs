//! Refunds: `/v1/refunds`, and the payload of `refund.*` events.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_macros::DeserializeOpen;

use super::charge::Charge;
use super::common::{AnyObject, Expandable, Extra, HasId, Metadata, OpenEnum};
use super::payment_intent::PaymentIntent;

/// A refund of a previously created charge (`object: "refund"`).
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct Refund {
    /// Unique identifier for the object (`re_…`).
    pub id: String,
    /// Always `refund`.
    pub object: String,
    /// Amount refunded, in the smallest currency unit.
    pub amount: i64,
    /// The balance transaction describing the impact on the account balance.
    pub balance_transaction: Option<Expandable<AnyObject>>,
    /// The charge that was refunded.
    pub charge: Option<Expandable<Charge>>,
    /// Time at which the object was created (Unix seconds).
    pub created: i64,
    /// Three-letter ISO currency code, in lowercase.
    pub currency: String,
    /// An arbitrary string attached to the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Why the refund failed (`lost_or_stolen_card`, `expired_or_canceled_card` …), when `status` is `failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
    /// Key-value pairs attached to the object.
    pub metadata: Option<Metadata>,
    /// The PaymentIntent that was refunded.
    pub payment_intent: Option<Expandable<PaymentIntent>>,
    /// Reason for the refund; Stripe sets `expired_uncaptured_charge` itself (kept as an unknown value).
    pub reason: Option<OpenEnum<RefundReason>>,
    /// The transaction number that appears on email receipts for this refund.
    pub receipt_number: Option<String>,
    /// Status of the refund.
    pub status: Option<OpenEnum<RefundStatus>>,
    /// Fields not modeled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Refund {
    fn id(&self) -> &str {
        &self.id
    }
}

/// Reason for a refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefundReason {
    /// A duplicate payment.
    Duplicate,
    /// A fraudulent payment; also adds the card and email to the block lists.
    Fraudulent,
    /// At the customer's request.
    RequestedByCustomer,
}

/// Status of a refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefundStatus {
    /// Not yet processed.
    Pending,
    /// The customer must take an action.
    RequiresAction,
    /// The refund succeeded.
    Succeeded,
    /// The refund failed.
    Failed,
    /// The refund was canceled.
    Canceled,
}

/// Parameters of `POST /v1/refunds`: refunds a charge or PaymentIntent, fully or partly.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundCreateParams {
    /// Amount to refund, in the smallest currency unit; defaults to the whole remaining amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    /// ID of the charge to refund (give `charge` or `payment_intent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charge: Option<String>,
    /// Fields of the response to expand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expand: Option<Vec<String>>,
    /// Email address to send instructions to, for refunds needing the customer's action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions_email: Option<String>,
    /// Key-value pairs to attach to the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// ID of the PaymentIntent to refund (give `charge` or `payment_intent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_intent: Option<String>,
    /// Reason for the refund.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<RefundReason>,
    /// Refund the application fee too (Connect).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_application_fee: Option<bool>,
    /// Reverse the transfer (Connect destination charges).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverse_transfer: Option<bool>,
}
