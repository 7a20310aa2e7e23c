//! Stripe data types: the integration's config and secrets, the inputs and outputs of its actions, and
//! the payloads of its webhook events.
//!
//! Field names are Stripe's own. Inputs skip unset optional fields when serialized and reject unknown fields;
//! path parameters are ordinary fields named like the path placeholder (`customer` for
//! `/v1/customers/{customer}`), which the client moves from the body into the path. Outputs
//! keep every field they do not model in `extra`, so serializing a parsed object gives back what Stripe sent;
//! references Stripe may expand are [`Expandable`], enum values in responses are [`OpenEnum`].

mod account;
mod charge;
mod checkout;
mod common;
mod config;
mod customer;
mod dispute;
mod event;
mod invoice;
mod list;
mod payment_intent;
mod payment_link;
mod price;
mod product;
mod refund;
mod subscription;

pub use account::*;
pub use charge::*;
pub use checkout::*;
pub use common::*;
pub use config::*;
pub use customer::*;
pub use dispute::*;
pub use event::*;
pub use invoice::*;
pub use list::*;
pub use payment_intent::*;
pub use payment_link::*;
pub use price::*;
pub use product::*;
pub use refund::*;
pub use subscription::*;
