//! The runtime a generated client carries, and what its generated calls ask of it (idprov-codegen writes
//! the calls; see its postprocess module):
//!
//! - [`Runtime::pre`]: adds the headers the spec requires with a default, and authorizes the request (an
//!   OAuth2 token is fetched here, so its failure is a clear auth error).
//! - [`Runtime::exec`] ([`crate::attempts`]): sends the request, retrying per [`crate::retry`],
//!   re-authorizing every new attempt and refreshing an OAuth2 token once after a 401; records a tracing
//!   span; an answer that is not a documented success becomes the vendor's [`Error`].
//! - [`crate::decode`] reads a documented success into its type.
//!
//! Every failure is an [`Error`] from the start, tagged with the vendor and the operation.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use crate::answer::Answer;
use crate::auth::Auth;
use crate::operation::{ApiInfo, OperationMeta};
use crate::retry::RetryPolicy;
use crate::vendor::VendorProfile;
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
    /// The largest success body read (`ClientConfig::max_response_body`).
    pub(crate) max_response_body: usize,
    /// Whether requests go through a `reqwest::Client` the user brought, whose own timeout the runtime
    /// does not know: every attempt then carries `request_timeout` itself.
    pub(crate) custom_http: bool,
    /// Per operation (same order as `api.operations`), the headers `pre` fills, parsed once.
    fill_headers: Vec<Vec<(HeaderName, HeaderValue)>>,
}

impl Runtime {
    /// Fails when the operation table names a header that is not a valid header name or value.
    pub(crate) fn new(
        api: &ApiInfo,
        auth: Auth,
        retry: RetryPolicy,
        request_timeout: Duration,
        max_response_body: usize,
        custom_http: bool,
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
                max_response_body,
                custom_http,
                fill_headers,
            }),
        })
    }

    /// The vendor this runtime serves.
    pub fn vendor(&self) -> &'static VendorProfile {
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

    /// Prepares and authorizes `request` for `operation_id`, before its first attempt.
    pub async fn pre(
        &self,
        request: &mut reqwest::Request,
        operation_id: &'static str,
    ) -> Result<(), Error> {
        if let Some((index, _)) = self.meta(operation_id) {
            self.fill_headers(index, request.headers_mut());
        }
        // `apply` fetches an OAuth2 token when none is cached, so its failure is the same clear auth error.
        // A fetch counts against the call's deadline: when one took time, `exec` starts the clock from here.
        let started = self
            .shared
            .auth
            .refreshes_after_401()
            .then(std::time::Instant::now);
        if let Err(e) = self.shared.auth.apply(request).await {
            let mut err = self.tag(e, operation_id);
            err.inner.acted = Some(false);
            return Err(self.scrub(err));
        }
        // The time a fetch took is taken off the call's budget, which travels to `exec` as the request's
        // timeout (generated code sets none; `exec` reads it as what is left of the deadline).
        if let Some(started) = started {
            let spent = started.elapsed();
            if spent >= Duration::from_millis(1) {
                let left = self
                    .shared
                    .retry
                    .deadline
                    .saturating_sub(spent)
                    .max(Duration::from_millis(1));
                *request.timeout_mut() = Some(left);
            }
        }
        Ok(())
    }

    /// Puts the spec's default headers of the operation at `index` on a request that does not set them.
    pub(crate) fn fill_headers(&self, index: usize, headers: &mut reqwest::header::HeaderMap) {
        for (name, value) in self.shared.fill_headers.get(index).into_iter().flatten() {
            if !headers.contains_key(name) {
                headers.insert(name.clone(), value.clone());
            }
        }
    }

    /// Whether the operation at `index` has default headers from the spec.
    pub(crate) fn has_fill_headers(&self, index: usize) -> bool {
        self.shared
            .fill_headers
            .get(index)
            .is_some_and(|headers| !headers.is_empty())
    }

    /// A call of `operation_id` refused before anything was sent (a missing or invalid parameter).
    pub fn refused(&self, operation_id: &'static str, message: impl std::fmt::Display) -> Error {
        let mut err = self.tag(
            Error::new(
                ErrorKind::InvalidRequest,
                format!("request not sent: {message}"),
            ),
            operation_id,
        );
        err.inner.acted = Some(false);
        err
    }

    /// The request of `operation_id` could not be built (reqwest refused a URL or header).
    pub fn build_error(&self, operation_id: &'static str, e: reqwest::Error) -> Error {
        self.refused(operation_id, crate::convert::transport_message(&e))
            .with_source(e)
    }

    /// An answer whose status the generated code has no arm for (the runtime turns every status the spec
    /// does not document as a success into the vendor's error first, so this is a spec/table mismatch).
    pub fn unexpected_response(&self, answer: Answer<'_>, operation_id: &'static str) -> Error {
        let response = answer.response;
        let status = response.status().as_u16();
        self.answer_error(
            Error::new(
                ErrorKind::from_status(status),
                format!("undocumented answer status {status}"),
            ),
            status,
            response.headers(),
            operation_id,
        )
    }

    /// An error about a success answer the generated code could not use (cut off, too large, not of the
    /// documented shape): the server acted, the error says so, and nothing it echoed of a secret shows.
    pub(crate) fn answer_error(
        &self,
        err: Error,
        status: u16,
        headers: &reqwest::header::HeaderMap,
        operation_id: &str,
    ) -> Error {
        let mut err = self.with_context(err, status, headers, operation_id);
        err.inner.acted = Some(true);
        self.scrub(err)
    }

    /// `err` with every secret the client holds scrubbed from what it shows.
    pub(crate) fn scrub(&self, err: Error) -> Error {
        err.redact(&self.shared.auth.secrets())
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
            err.with_vendor(self.vendor().name)
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
