//! Charges, and the payload of `charge.*` events.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_macros::DeserializeOpen;

use super::common::{AnyObject, Expandable, Extra, HasId, Metadata, OpenEnum};
use super::customer::Customer;
use super::payment_intent::PaymentIntent;

/// An attempt to move money into the Stripe balance (`object: "charge"`).
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct Charge {
    /// Unique identifier for the object (`ch_…` or `py_…`).
    pub id: String,
    /// Always `charge`.
    pub object: String,
    /// Amount intended to be collected, in the smallest currency unit.
    pub amount: i64,
    /// Amount captured (can be less than `amount` for partial captures).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_captured: Option<i64>,
    /// Amount refunded (can be less than `amount` for partial refunds).
    pub amount_refunded: i64,
    /// The balance transaction describing the impact of this charge on the account balance.
    pub balance_transaction: Option<Expandable<AnyObject>>,
    /// Whether the charge was captured.
    pub captured: bool,
    /// Time at which the object was created (Unix seconds).
    pub created: i64,
    /// Three-letter ISO currency code, in lowercase.
    pub currency: String,
    /// The customer this charge belongs to.
    pub customer: Option<Expandable<Customer>>,
    /// An arbitrary string attached to the object.
    pub description: Option<String>,
    /// Whether the charge has been disputed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disputed: Option<bool>,
    /// Error code explaining the reason for the charge failure.
    pub failure_code: Option<String>,
    /// Message to the user explaining the reason for the charge failure.
    pub failure_message: Option<String>,
    /// Whether the object exists in live mode (`false` in test mode).
    pub livemode: bool,
    /// Key-value pairs attached to the object.
    #[serde(default)]
    pub metadata: Metadata,
    /// Whether the charge succeeded, or was authorized for later capture.
    pub paid: bool,
    /// The PaymentIntent associated with this charge.
    pub payment_intent: Option<Expandable<PaymentIntent>>,
    /// ID of the payment method used in this charge.
    pub payment_method: Option<String>,
    /// Email address the receipt was sent to.
    pub receipt_email: Option<String>,
    /// The transaction number that appears on email receipts.
    pub receipt_number: Option<String>,
    /// URL of a webpage with the receipt of this charge.
    pub receipt_url: Option<String>,
    /// Whether the charge has been fully refunded.
    pub refunded: bool,
    /// Status of the payment.
    pub status: OpenEnum<ChargeStatus>,
    /// Fields not modeled here (`billing_details`, `outcome`, `payment_method_details` …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Charge {
    fn id(&self) -> &str {
        &self.id
    }
}

/// Status of a charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChargeStatus {
    /// The charge failed.
    Failed,
    /// The charge is pending.
    Pending,
    /// The charge succeeded.
    Succeeded,
}
