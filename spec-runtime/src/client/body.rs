//! Reading a response body incrementally, up to the client's size limit.

/// The default response size limit: 16 MiB.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 16 * 1024 * 1024;

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// It is larger than the limit (declared by `Content-Length`, or seen while reading).
    TooLarge,
    /// The connection failed while reading.
    Transport(reqwest::Error),
}

/// Reads `response`'s body chunk by chunk, stopping as soon as it exceeds `limit` bytes (at once when its
/// `Content-Length` does), so an oversized response is never held whole.
pub(crate) async fn read_limited(response: &mut reqwest::Response, limit: u64) -> Result<Vec<u8>, BodyError> {
    let declared = response.content_length();
    if declared.is_some_and(|n| n > limit) {
        return Err(BodyError::TooLarge);
    }
    // Reserve what the response declares (at most 1 MiB up front); grow as chunks arrive.
    let reserve = declared.unwrap_or(0).min(1 << 20);
    let mut body = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        let len = u64::try_from(body.len().saturating_add(chunk.len())).unwrap_or(u64::MAX);
        if len > limit {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
