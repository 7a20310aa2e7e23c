//! Auto-paging list actions as a `Stream` of items, following the spec's pagination style.

use std::collections::VecDeque;

use futures_util::{Stream, StreamExt as _};
use reqwest::header::{HeaderMap, LINK};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use url::Url;

use super::encode::{Prepared, prepare};
use super::error::ClientError;
use super::redact::scrub;
use super::rest_client::RestClient;
use spec_core::{Action, DEFAULT_ITEMS_FIELD, Pagination, PaginationStyle};

impl RestClient {
    /// Every item of a paginated action, fetching pages as the stream is polled.
    ///
    /// Follows the REST transport's `pagination`: `starting_after` (the last item's `id` goes in
    /// `cursor_param` while `has_more_field` is true), `cursor` (the value at `next_cursor_pointer` goes
    /// in `cursor_param` until it is empty) or `link_header` (the `rel="next"` URL of the `Link` header,
    /// same origin only). Items are read from the action's `items_field`, else the pagination's
    /// `items_field` (default `data`; a top-level array also works). The page size is whatever the input asks for (`limit`). The stream ends after the first
    /// error.
    pub fn paginate<T>(
        &self,
        action: &'static Action,
        input: &impl Serialize,
    ) -> impl Stream<Item = Result<T, ClientError>> + Send + 'static
    where
        T: DeserializeOwned + Send + 'static,
    {
        let state = match self.pager(action, input) {
            Ok(pager) => State {
                pager: Some(pager),
                error: None,
                buffer: VecDeque::new(),
            },
            Err(e) => State {
                pager: None,
                error: Some(e),
                buffer: VecDeque::new(),
            },
        };
        let redactor = self.inner.redactor.clone();
        let items = futures_util::stream::unfold(state, |mut st| async move {
            loop {
                if let Some(e) = st.error.take() {
                    st.stop();
                    return Some((Err(e), st));
                }
                if let Some(item) = st.buffer.pop_front() {
                    let pager = st.pager.as_ref()?;
                    return match serde_json::from_value::<T>(item) {
                        Ok(t) => Some((Ok(t), st)),
                        Err(e) => {
                            let err = ClientError::Decode {
                                action: pager.action.id.clone(),
                                status: 200,
                                request_id: pager.last_request_id.clone(),
                                attempts: 1,
                                message: format!("a list item does not match the item type: {e}"),
                            };
                            st.stop();
                            Some((Err(err), st))
                        }
                    };
                }
                let pager = st.pager.as_mut()?;
                if let Some(e) = pager.pending_error.take() {
                    st.stop();
                    return Some((Err(e), st));
                }
                if matches!(pager.next, Next::Done) {
                    return None;
                }
                match pager.fetch().await {
                    Ok(items) => st.buffer.extend(items),
                    Err(e) => st.error = Some(e),
                }
            }
        });
        items.map(move |item| item.map_err(|e| scrub(&redactor, e)))
    }

    fn pager(&self, action: &'static Action, input: &impl Serialize) -> Result<Pager, ClientError> {
        let unsupported = |message: &str| ClientError::Unsupported {
            action: action.id.clone(),
            message: message.into(),
        };
        let pagination = self
            .inner
            .rest
            .pagination
            .as_ref()
            .ok_or_else(|| unsupported("the REST transport declares no pagination"))?;
        if !action.paginated {
            return Err(unsupported("the action is not declared paginated"));
        }
        let params = match serde_json::to_value(input) {
            Ok(Value::Object(m)) => m,
            Ok(Value::Null) => Map::new(),
            Ok(_) => return Err(unsupported("the input must be a JSON object")),
            Err(e) => {
                return Err(ClientError::Encode {
                    action: action.id.clone(),
                    message: format!("cannot serialize the input: {e}"),
                });
            }
        };
        Ok(Pager {
            client: self.clone(),
            action,
            pagination,
            params,
            next: Next::First,
            last_request_id: None,
            pending_error: None,
        })
    }
}

struct State {
    pager: Option<Pager>,
    error: Option<ClientError>,
    buffer: VecDeque<Value>,
}

impl State {
    fn stop(&mut self) {
        self.pager = None;
        self.buffer.clear();
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Next {
    First,
    Cursor(String),
    Url(Url),
    Done,
}

struct Pager {
    client: RestClient,
    action: &'static Action,
    pagination: &'static Pagination,
    params: Map<String, Value>,
    next: Next,
    last_request_id: Option<String>,
    /// Why the page after the last one fetched cannot be reached; reported after that page's items.
    pending_error: Option<ClientError>,
}

impl Pager {
    fn error(&self, message: impl Into<String>) -> ClientError {
        ClientError::Pagination {
            action: self.action.id.clone(),
            message: message.into(),
        }
    }

    fn cursor_param(&self) -> &str {
        self.pagination.cursor_param()
    }

    /// Fetches the next page, returns its items and works out where the page after it is.
    async fn fetch(&mut self) -> Result<Vec<Value>, ClientError> {
        let inner = &self.client.inner;
        let prepared = match &self.next {
            Next::Done => return Ok(Vec::new()),
            Next::First => prepare(
                &inner.base_url,
                self.action,
                inner.rest.body,
                Value::Object(self.params.clone()),
                None,
            )?,
            Next::Cursor(cursor) => {
                let mut params = self.params.clone();
                params.insert(self.cursor_param().to_string(), Value::String(cursor.clone()));
                prepare(
                    &inner.base_url,
                    self.action,
                    inner.rest.body,
                    Value::Object(params),
                    None,
                )?
            }
            Next::Url(url) => Prepared {
                method: reqwest::Method::GET,
                url: url.clone(),
                body: None,
                idempotency_key: None,
            },
        };
        let raw = inner.execute(self.action, &prepared, &inner.options).await?;
        self.last_request_id = raw.request_id.clone();
        let body: Value = raw.decode(self.action, &inner.redactor)?;
        let items = self.items(&body)?;
        let next = match self.pagination.style {
            PaginationStyle::StartingAfter => self.after_last_item(&body, &items),
            PaginationStyle::Cursor => self.next_cursor(&body),
            PaginationStyle::LinkHeader => self.next_link(&raw.headers, &prepared.url),
        };
        self.next = match next {
            Ok(next) if next != Next::Done && next == self.next => {
                self.pending_error = Some(self.error("the provider returned the same page position twice"));
                Next::Done
            }
            Ok(next) => next,
            Err(e) => {
                self.pending_error = Some(e);
                Next::Done
            }
        };
        Ok(items)
    }

    /// The declared response field holding the items: the action's own `items_field`, else the transport's.
    fn items_field(&self) -> Option<&str> {
        self.pagination.declared_items_field(self.action)
    }

    fn items(&self, body: &Value) -> Result<Vec<Value>, ClientError> {
        let field = self.items_field();
        let found = match field {
            Some(f) if f.starts_with('/') => body.pointer(f),
            Some(f) => body.get(f),
            None if body.is_array() => Some(body),
            None => body.get(DEFAULT_ITEMS_FIELD),
        };
        match found {
            Some(Value::Array(items)) => Ok(items.clone()),
            _ => Err(self.error(format!(
                "the response has no item array at `{}`",
                field.unwrap_or(DEFAULT_ITEMS_FIELD)
            ))),
        }
    }

    fn has_more(&self, body: &Value) -> Option<bool> {
        let field = self.pagination.has_more_field.as_deref()?;
        body.get(field).and_then(Value::as_bool)
    }

    fn after_last_item(&self, body: &Value, items: &[Value]) -> Result<Next, ClientError> {
        let has_more = body.get(self.pagination.has_more_field()).and_then(Value::as_bool);
        if has_more != Some(true) {
            return Ok(Next::Done);
        }
        let Some(last) = items.last() else {
            return Ok(Next::Done);
        };
        match last.get("id") {
            Some(Value::String(id)) => Ok(Next::Cursor(id.clone())),
            Some(Value::Number(n)) => Ok(Next::Cursor(n.to_string())),
            _ => Err(self.error("more pages exist but the last item has no `id`")),
        }
    }

    fn next_cursor(&self, body: &Value) -> Result<Next, ClientError> {
        if self.has_more(body) == Some(false) {
            return Ok(Next::Done);
        }
        let found = match self.pagination.next_cursor_pointer.as_deref() {
            Some(p) if p.starts_with('/') => body.pointer(p),
            Some(p) => body.get(p),
            None => body.get("next_cursor"),
        };
        Ok(match found {
            Some(Value::String(c)) if !c.is_empty() => Next::Cursor(c.clone()),
            Some(Value::Number(n)) => Next::Cursor(n.to_string()),
            _ => Next::Done,
        })
    }

    fn next_link(&self, headers: &HeaderMap, current: &Url) -> Result<Next, ClientError> {
        let Some(target) = next_link_target(headers) else {
            return Ok(Next::Done);
        };
        let url = current
            .join(&target)
            .map_err(|e| self.error(format!("the next link is not a URL: {e}")))?;
        if url.origin() != self.client.inner.base_url.origin() {
            return Err(self.error(format!(
                "the next link points to another origin ({}); not following it with this connection's credentials",
                url.origin().ascii_serialization()
            )));
        }
        Ok(Next::Url(url))
    }
}

/// The target of the first `rel="next"` link of RFC 8288 `Link` headers.
fn next_link_target(headers: &HeaderMap) -> Option<String> {
    for value in headers.get_all(LINK) {
        let Ok(text) = value.to_str() else { continue };
        let mut rest = text;
        while let Some(open) = rest.find('<') {
            let Some(len) = rest[open + 1..].find('>') else { break };
            let target = &rest[open + 1..open + 1 + len];
            let after = &rest[open + 2 + len..];
            let end = after.find('<').unwrap_or(after.len());
            let is_next = after[..end].split(';').any(|param| {
                param
                    .trim()
                    .trim_end_matches(',')
                    .split_once('=')
                    .is_some_and(|(k, v)| {
                        k.trim().eq_ignore_ascii_case("rel")
                            && v.trim()
                                .trim_matches('"')
                                .split_ascii_whitespace()
                                .any(|r| r.eq_ignore_ascii_case("next"))
                    })
            });
            if is_next {
                return Some(target.to_string());
            }
            rest = &after[end..];
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    #[test]
    fn finds_the_next_link_among_others() {
        let mut h = HeaderMap::new();
        h.append(
            LINK,
            HeaderValue::from_static(
                r#"<https://api.example.test/items?page=1>; rel="prev", <https://api.example.test/items?page=3>; rel="next", <https://api.example.test/items?page=9>; rel="last""#,
            ),
        );
        assert_eq!(
            next_link_target(&h).as_deref(),
            Some("https://api.example.test/items?page=3")
        );
        let mut h = HeaderMap::new();
        h.append(
            LINK,
            HeaderValue::from_static(r#"</items?page=2>; rel="next prefetch""#),
        );
        assert_eq!(next_link_target(&h).as_deref(), Some("/items?page=2"));
        let mut h = HeaderMap::new();
        h.append(LINK, HeaderValue::from_static(r#"<https://a.test/x>; rel="prev""#));
        assert_eq!(next_link_target(&h), None);
    }
}
