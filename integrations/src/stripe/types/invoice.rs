//! Invoices: `/v1/invoices`, and the payload of `invoice.*` events.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_macros::DeserializeOpen;

use super::common::{CollectionMethod, Expandable, Extra, HasId, Metadata, OpenEnum, RangeQuery};
use super::customer::Customer;
use super::list::List;

/// A statement of amounts owed by a customer (`object: "invoice"`).
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct Invoice {
    /// Unique identifier for the object (`in_…`); empty for an upcoming invoice, which has none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Always `invoice`.
    pub object: String,
    /// Final amount due at this time, in the smallest currency unit.
    pub amount_due: i64,
    /// The amount that was paid.
    pub amount_paid: i64,
    /// The difference between `amount_due` and `amount_paid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_remaining: Option<i64>,
    /// Number of payment attempts made for this invoice.
    pub attempt_count: i64,
    /// Whether an attempt has been made to pay the invoice.
    pub attempted: bool,
    /// Whether Stripe performs automatic collection (finalization, payment, reminders).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_advance: Option<bool>,
    /// Why the invoice was created (`manual`, `subscription_create`, `subscription_cycle` …).
    pub billing_reason: Option<OpenEnum<InvoiceBillingReason>>,
    /// How the invoice is collected.
    pub collection_method: OpenEnum<CollectionMethod>,
    /// Time at which the object was created (Unix seconds).
    pub created: i64,
    /// Three-letter ISO currency code, in lowercase.
    pub currency: String,
    /// The customer who will be billed.
    pub customer: Option<Expandable<Customer>>,
    /// The customer's email, as of finalization.
    pub customer_email: Option<String>,
    /// The customer's name, as of finalization.
    pub customer_name: Option<String>,
    /// An arbitrary string attached to the object (the memo on the invoice PDF).
    pub description: Option<String>,
    /// When the invoice is due (Unix seconds), for `send_invoice` collection.
    pub due_date: Option<i64>,
    /// The individual line items of the invoice (first page).
    pub lines: List<InvoiceLineItem>,
    /// Whether the object exists in live mode (`false` in test mode).
    pub livemode: bool,
    /// Key-value pairs attached to the object.
    pub metadata: Option<Metadata>,
    /// When the next payment attempt is made (Unix seconds).
    pub next_payment_attempt: Option<i64>,
    /// A unique, identifying string shown to the customer; set at finalization.
    pub number: Option<String>,
    /// End of the usage period the invoice covers (Unix seconds).
    pub period_end: i64,
    /// Start of the usage period the invoice covers (Unix seconds).
    pub period_start: i64,
    /// The invoice's status.
    pub status: Option<OpenEnum<InvoiceStatus>>,
    /// Total of all items before discounts and taxes.
    pub subtotal: i64,
    /// Total after discounts and taxes.
    pub total: i64,
    /// When the `invoice.created` webhooks were successfully delivered (Unix seconds).
    pub webhooks_delivered_at: Option<i64>,
    /// Fields not modeled here (`hosted_invoice_url`, `invoice_pdf`, `parent`, `status_transitions`, and on
    /// older API versions `subscription`, `charge`, `payment_intent`, `paid` …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Invoice {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Invoice {
    /// URL of the hosted invoice page, once the invoice is finalized. Kept in `extra`: upcoming invoices
    /// have no such field while drafts have it as `null`.
    pub fn hosted_invoice_url(&self) -> Option<&str> {
        self.extra.get("hosted_invoice_url").and_then(serde_json::Value::as_str)
    }

    /// URL of the invoice PDF, once the invoice is finalized (kept in `extra`, like `hosted_invoice_url`).
    pub fn invoice_pdf(&self) -> Option<&str> {
        self.extra.get("invoice_pdf").and_then(serde_json::Value::as_str)
    }

    /// ID of the subscription this invoice was created for, on any API version: `parent.subscription_details`
    /// (2025-03-31.basil and later) or the top-level `subscription` (earlier versions).
    pub fn subscription_id(&self) -> Option<&str> {
        let from_parent = self
            .extra
            .get("parent")
            .and_then(|p| p.get("subscription_details"))
            .and_then(|d| d.get("subscription"));
        let reference = from_parent.or_else(|| self.extra.get("subscription"))?;
        reference
            .as_str()
            .or_else(|| reference.get("id").and_then(serde_json::Value::as_str))
    }
}

/// A line of an invoice (`object: "line_item"`).
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct InvoiceLineItem {
    /// Unique identifier for the object (`il_…`).
    pub id: String,
    /// Always `line_item`.
    pub object: String,
    /// The amount, in the smallest currency unit.
    pub amount: i64,
    /// Three-letter ISO currency code, in lowercase.
    pub currency: String,
    /// An arbitrary string attached to the object.
    pub description: Option<String>,
    /// Whether the object exists in live mode (`false` in test mode).
    pub livemode: bool,
    /// Key-value pairs attached to the object.
    #[serde(default)]
    pub metadata: Metadata,
    /// The period this line covers.
    pub period: Period,
    /// The quantity of the subscription or invoice item.
    pub quantity: Option<i64>,
    /// Fields not modeled here (`pricing`/`price`, `parent` …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for InvoiceLineItem {
    fn id(&self) -> &str {
        &self.id
    }
}

/// A time span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Period {
    /// End of the period (Unix seconds).
    pub end: i64,
    /// Start of the period (Unix seconds).
    pub start: i64,
}

/// Status of an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    /// Editable; not yet finalized.
    Draft,
    /// Finalized and awaiting payment.
    Open,
    /// Paid.
    Paid,
    /// Unlikely to be paid; treated as bad debt.
    Uncollectible,
    /// Canceled.
    Void,
}

/// Why an invoice was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceBillingReason {
    /// Pending invoice items were invoiced automatically.
    AutomaticPendingInvoiceItemInvoice,
    /// Created manually.
    Manual,
    /// Created when a quote was accepted.
    QuoteAccept,
    /// Created by a subscription (legacy value).
    Subscription,
    /// A new subscription was created.
    SubscriptionCreate,
    /// A subscription advanced into a new period.
    SubscriptionCycle,
    /// A subscription reached a billing threshold.
    SubscriptionThreshold,
    /// A subscription was updated.
    SubscriptionUpdate,
    /// An upcoming invoice preview.
    Upcoming,
}

/// Whether pending invoice items are included in a new invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PendingInvoiceItemsBehavior {
    /// Leave pending invoice items out (the default).
    Exclude,
    /// Include all pending invoice items.
    Include,
}

/// A custom field shown on an invoice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceCustomFieldParams {
    /// The field's name (at most 40 characters).
    pub name: String,
    /// The field's value (at most 140 characters).
    pub value: String,
}

/// Parameters of `GET /v1/invoices`: lists invoices, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceListParams {
    /// Only invoices with this collection method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_method: Option<CollectionMethod>,
    /// Only invoices created in this range (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<RangeQuery>,
    /// Only invoices of this customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// Only invoices due in this range (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<RangeQuery>,
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
    /// Only invoices with this status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<InvoiceStatus>,
    /// Only invoices of this subscription.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription: Option<String>,
}

/// Parameters of `GET /v1/invoices/{invoice}`: retrieves an invoice.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceRetrieveParams {
    /// ID of the invoice (path parameter).
    pub invoice: String,
    /// Fields of the response to expand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expand: Option<Vec<String>>,
}

/// Parameters of `POST /v1/invoices`: creates a draft invoice for a customer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceCreateParams {
    /// Fee in the smallest currency unit transferred to the platform's account (Connect).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_fee_amount: Option<i64>,
    /// Whether Stripe performs automatic collection (finalization, payment, reminders).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_advance: Option<bool>,
    /// How the invoice is collected (default `charge_automatically`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_method: Option<CollectionMethod>,
    /// Three-letter ISO currency code, in lowercase (defaults to the customer's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Up to 4 custom fields shown on the invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_fields: Option<Vec<InvoiceCustomFieldParams>>,
    /// ID of the customer to bill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// Number of days until the invoice is due (only with `collection_method: send_invoice`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_until_due: Option<u32>,
    /// ID of the default payment method for the invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_payment_method: Option<String>,
    /// IDs of tax rates applied to lines without their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_tax_rates: Option<Vec<String>>,
    /// An arbitrary string attached to the object (the memo on the invoice PDF).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// When the invoice is due (Unix seconds; only with `collection_method: send_invoice`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<i64>,
    /// Fields of the response to expand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expand: Option<Vec<String>>,
    /// Footer displayed on the invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer: Option<String>,
    /// Key-value pairs to attach to the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// ID of the account on whose behalf the invoice is issued (Connect).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_behalf_of: Option<String>,
    /// Whether pending invoice items are included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_invoice_items_behavior: Option<PendingInvoiceItemsBehavior>,
    /// Statement descriptor for the charge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement_descriptor: Option<String>,
    /// ID of the subscription to invoice pending items of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription: Option<String>,
}
