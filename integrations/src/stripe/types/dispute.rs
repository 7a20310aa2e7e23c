//! Disputes, and the payload of `charge.dispute.*` events.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_macros::DeserializeOpen;

use super::charge::Charge;
use super::common::{Expandable, Extra, HasId, Metadata, OpenEnum};
use super::payment_intent::PaymentIntent;

/// A customer's challenge of a charge with their card issuer (`object: "dispute"`).
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct Dispute {
    /// Unique identifier for the object (`dp_…`).
    pub id: String,
    /// Always `dispute`.
    pub object: String,
    /// Disputed amount, in the smallest currency unit.
    pub amount: i64,
    /// The disputed charge.
    pub charge: Expandable<Charge>,
    /// Time at which the object was created (Unix seconds).
    pub created: i64,
    /// Three-letter ISO currency code, in lowercase.
    pub currency: String,
    /// Whether the charge can be refunded while the dispute is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_charge_refundable: Option<bool>,
    /// Whether the object exists in live mode (`false` in test mode).
    pub livemode: bool,
    /// Key-value pairs attached to the object.
    #[serde(default)]
    pub metadata: Metadata,
    /// The disputed PaymentIntent.
    pub payment_intent: Option<Expandable<PaymentIntent>>,
    /// Reason given by the cardholder (`fraudulent`, `product_not_received`, `duplicate` …).
    pub reason: String,
    /// Status of the dispute.
    pub status: OpenEnum<DisputeStatus>,
    /// Fields not modeled here (`evidence`, `evidence_details`, `balance_transactions` …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Dispute {
    fn id(&self) -> &str {
        &self.id
    }
}

/// Status of a dispute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisputeStatus {
    /// An appeal needs a response.
    AppealNeedsResponse,
    /// An appeal is under review.
    AppealUnderReview,
    /// The dispute was lost.
    Lost,
    /// Evidence must be submitted.
    NeedsResponse,
    /// The dispute was prevented.
    Prevented,
    /// Evidence was submitted and is under review.
    UnderReview,
    /// An inquiry closed without becoming a dispute.
    WarningClosed,
    /// An inquiry (warning) needs a response.
    WarningNeedsResponse,
    /// Evidence for an inquiry is under review.
    WarningUnderReview,
    /// The dispute was won.
    Won,
}
