//! The HTTP client `oauth2` sends its requests through: the connector's reqwest client, a bounded response
//! body, and an optional `Authorization` for client authentication styles `oauth2` does not know.

use std::future::Future;
use std::pin::Pin;

use oauth2::{AsyncHttpClient, HttpRequest, HttpResponse};
use reqwest::header::{AUTHORIZATION, HeaderValue};

/// Why a request to the token or revocation endpoint produced no usable 200 response.
#[derive(Debug, thiserror::Error)]
pub(crate) enum HttpFailure {
    /// The request did not complete (connection, timeout, TLS), or could not be built.
    #[error("{0}")]
    Transport(String),
    /// The response body passed the limit.
    #[error("the response is larger than {0} bytes")]
    TooLarge(usize),
    /// A status other than 200, with the body read (bounded) for the OAuth error it may carry.
    #[error("HTTP {status}")]
    Answered {
        /// HTTP status.
        status: u16,
        /// Response body.
        body: Vec<u8>,
    },
}

/// A reqwest client as an [`AsyncHttpClient`] for one request.
pub(crate) struct Http<'a> {
    pub client: &'a reqwest::Client,
    /// Replaces the request's `Authorization` (for `secret_as_basic_user`), marked sensitive.
    pub authorization: Option<HeaderValue>,
    /// The largest response body read.
    pub limit: usize,
}

impl Http<'_> {
    /// Sends `request`; a 200 response comes back whole (body at most `limit` bytes), anything else
    /// as [`HttpFailure::Answered`].
    pub(crate) async fn send(&self, request: HttpRequest) -> Result<HttpResponse, HttpFailure> {
        let mut request =
            reqwest::Request::try_from(request).map_err(|e| HttpFailure::Transport(e.without_url().to_string()))?;
        if let Some(value) = &self.authorization {
            request.headers_mut().insert(AUTHORIZATION, value.clone());
        }
        let mut response = self
            .client
            .execute(request)
            .await
            .map_err(|e| HttpFailure::Transport(e.without_url().to_string()))?;
        let status = response.status();
        let limit = self.limit;
        if response
            .content_length()
            .is_some_and(|n| n > u64::try_from(limit).unwrap_or(u64::MAX))
        {
            return Err(HttpFailure::TooLarge(limit));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| HttpFailure::Transport(e.without_url().to_string()))?
        {
            if body.len().saturating_add(chunk.len()) > limit {
                return Err(HttpFailure::TooLarge(limit));
            }
            body.extend_from_slice(&chunk);
        }
        if status != reqwest::StatusCode::OK {
            return Err(HttpFailure::Answered {
                status: status.as_u16(),
                body,
            });
        }
        let mut builder = http::Response::builder().status(status);
        for (name, value) in response.headers() {
            builder = builder.header(name, value);
        }
        builder.body(body).map_err(|e| HttpFailure::Transport(e.to_string()))
    }
}

impl<'c> AsyncHttpClient<'c> for Http<'_> {
    type Error = HttpFailure;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, HttpFailure>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(self.send(request))
    }
}
