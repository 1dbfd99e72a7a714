//! The runtime a generated client carries: what its `pre` and `exec` hooks do (progenitor's default `post`
//! is kept; success bodies are read by [`crate::decode`]).
//!
//! - `pre`: checks documented integer query bounds, adds the headers the spec requires with a default,
//!   and authorizes the request (an OAuth2 token is fetched here, so its failure is a clear auth error).
//! - `exec` ([`crate::attempts`]): sends the request, retrying per [`crate::retry`], re-authorizing every
//!   new attempt and refreshing an OAuth2 token once after a 401; records a tracing span; keeps the body of
//!   an answer that is not a documented success, so the error conversion can read the vendor's words
//!   synchronously.
//!
//! A documented success goes back to the generated code untouched; [`crate::decode`] reads it.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};

use crate::auth::Auth;
use crate::operation::{ApiInfo, OperationMeta};
use crate::retry::RetryPolicy;
use crate::vendor::Vendor;
use crate::{Error, ErrorKind};

/// The runtime state a generated client carries as its inner value. Cloning shares it (and the token cache).
#[derive(Clone, Debug)]
pub struct Runtime {
    pub(crate) shared: Arc<Shared>,
}

#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) api: ApiInfo,
    pub(crate) auth: Auth,
    pub(crate) retry: RetryPolicy,
    pub(crate) request_timeout: Duration,
    /// Per operation (same order as `api.operations`), the headers `pre` fills, parsed once.
    fill_headers: Vec<Vec<(HeaderName, HeaderValue)>>,
}

/// What `exec` attaches to an answer it hands back, so errors can be read without awaiting.
#[derive(Debug, Clone)]
pub(crate) struct AnswerContext {
    pub(crate) vendor: Vendor,
    pub(crate) operation_id: &'static str,
    pub(crate) body: Bytes,
}

impl Runtime {
    /// Fails when the operation table names a header that is not a valid header name or value.
    pub(crate) fn new(
        api: &ApiInfo,
        auth: Auth,
        retry: RetryPolicy,
        request_timeout: Duration,
    ) -> Result<Self, Error> {
        let fill_headers = api
            .operations
            .iter()
            .map(|op| {
                op.fill_headers
                    .iter()
                    .map(|(name, value)| parse_fill_header(op.operation_id, name, value))
                    .collect::<Result<Vec<_>, Error>>()
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Self {
            shared: Arc::new(Shared {
                api: *api,
                auth,
                retry,
                request_timeout,
                fill_headers,
            }),
        })
    }

    /// The vendor this runtime serves.
    pub fn vendor(&self) -> Vendor {
        self.shared.api.vendor
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.shared.retry
    }

    /// The table entry of `operation_id` and its position in the table.
    pub(crate) fn meta(&self, operation_id: &str) -> Option<(usize, &'static OperationMeta)> {
        self.shared.api.position(operation_id)
    }

    /// The `pre` hook: prepares and authorizes `request` for `operation_id`.
    pub async fn pre(
        &self,
        request: &mut reqwest::Request,
        operation_id: &'static str,
    ) -> Result<(), Error> {
        if let Some((index, meta)) = self.meta(operation_id) {
            meta.check_query_bounds(request.url()).map_err(|msg| {
                self.tag(
                    Error::new(
                        ErrorKind::InvalidRequest,
                        format!("request not sent: {msg}"),
                    ),
                    operation_id,
                )
            })?;
            let headers = request.headers_mut();
            for (name, value) in self.shared.fill_headers.get(index).into_iter().flatten() {
                if !headers.contains_key(name) {
                    headers.insert(name.clone(), value.clone());
                }
            }
        }
        // `apply` fetches an OAuth2 token when none is cached, so its failure is the same clear auth error.
        self.shared
            .auth
            .apply(request)
            .await
            .map_err(|e| self.tag(e, operation_id))?;
        Ok(())
    }

    /// Adds what the runtime knows of an answer to an error about it: vendor, operation, status and the
    /// vendor's request id from the headers.
    pub(crate) fn with_context(
        &self,
        err: Error,
        status: u16,
        headers: &reqwest::header::HeaderMap,
        operation_id: &str,
    ) -> Error {
        let mut err = self.tag(err, operation_id).with_status(status);
        if err.inner.request_id.is_none() {
            err.inner.request_id = self.vendor().header_request_id(headers);
        }
        err
    }

    /// Adds vendor and operation to an error made by the runtime.
    pub(crate) fn tag(&self, err: Error, operation_id: &str) -> Error {
        let err = if err.inner.vendor.is_none() {
            err.with_vendor(self.vendor())
        } else {
            err
        };
        if err.inner.operation_id.is_none() {
            err.with_operation(operation_id)
        } else {
            err
        }
    }
}

fn parse_fill_header(
    operation_id: &str,
    name: &str,
    value: &'static str,
) -> Result<(HeaderName, HeaderValue), Error> {
    let invalid = |what: &str| {
        Error::new(
            ErrorKind::InvalidRequest,
            format!(
                "operation {operation_id}: the spec's default header {name:?} has an invalid {what}"
            ),
        )
    };
    let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid("name"))?;
    let value = HeaderValue::from_str(value).map_err(|_| invalid("value"))?;
    Ok((name, value))
}
