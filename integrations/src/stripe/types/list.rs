//! Stripe's list envelope, returned by every list endpoint and by nested lists (`lines`, `items`).

use schemars::JsonSchema;
use serde::Serialize;
use spec_macros::DeserializeOpen;

use super::common::Extra;

/// One page of a list of objects, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
#[schemars(rename = "List{T}")]
pub struct List<T> {
    /// Always `list`.
    pub object: String,
    /// The objects of this page.
    pub data: Vec<T>,
    /// Whether there are more objects after this page (fetch them with `starting_after`).
    pub has_more: bool,
    /// The URL where this list can be accessed.
    pub url: String,
    /// Fields not modeled here (`total_count` on some lists).
    #[serde(flatten)]
    pub extra: Extra,
}

impl<T> List<T> {
    /// The cursor for the next page (`starting_after`): the last object's ID, when there are more.
    pub fn next_cursor(&self) -> Option<&str>
    where
        T: super::common::HasId,
    {
        if self.has_more {
            self.data.last().map(|o| o.id())
        } else {
            None
        }
    }
}
