//! Handing accepted events to the application.

use std::future::Future;

use tokio::sync::mpsc;

use crate::event::CanonicalEvent;

use super::resolver::ConnectionId;

/// An accepted event and the connection it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// The connection the event's account resolved to.
    pub connection: ConnectionId,
    /// The event.
    pub event: CanonicalEvent,
}

/// The application could not take the event; the delivery is answered 503 so the provider retries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SinkError {
    /// The receiving side is gone.
    #[error("the event consumer is closed")]
    Closed,
    /// The consumer failed.
    #[error("the event consumer failed: {0}")]
    Failed(String),
}

/// Receives accepted events. Implemented for tokio mpsc senders and [`CallbackSink`].
pub trait EventSink: Send + Sync + 'static {
    /// Takes one event.
    fn deliver(&self, delivery: Delivery) -> impl Future<Output = Result<(), SinkError>> + Send;
}

impl EventSink for mpsc::Sender<Delivery> {
    async fn deliver(&self, delivery: Delivery) -> Result<(), SinkError> {
        self.send(delivery).await.map_err(|_| SinkError::Closed)
    }
}

impl EventSink for mpsc::UnboundedSender<Delivery> {
    async fn deliver(&self, delivery: Delivery) -> Result<(), SinkError> {
        self.send(delivery).map_err(|_| SinkError::Closed)
    }
}

/// An async callback as a sink: `CallbackSink(|d: Delivery| async move { …; Ok(()) })`.
#[derive(Debug, Clone)]
pub struct CallbackSink<F>(pub F);

impl<F, Fut> EventSink for CallbackSink<F>
where
    F: Fn(Delivery) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), SinkError>> + Send,
{
    fn deliver(&self, delivery: Delivery) -> impl Future<Output = Result<(), SinkError>> + Send {
        (self.0)(delivery)
    }
}
