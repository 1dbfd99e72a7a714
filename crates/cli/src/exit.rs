//! The exit codes of `idprov`: one per kind of failure a script may want to tell apart.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | any other failure: the API refused the request (400/409/422), transport, timeout, an answer that does not decode |
//! | 2 | invalid usage: a flag, parameter or body that does not fit (clap's own code), a missing or invalid environment variable |
//! | 3 | authentication or authorization failed (401, 403) |
//! | 4 | not found (404) |
//! | 5 | rate limited (429) after the client's retries |
//! | 6 | server error (5xx) after the client's retries |
//! | 7 | the job `--wait` waited for failed (the vendor's reason is on stderr) |

use idprov_runtime::ErrorKind;

use crate::CallError;

/// Success.
pub const OK: u8 = 0;
/// Any other failure.
pub const OTHER: u8 = 1;
/// Invalid usage: flags, parameters, body, environment (clap exits with 2 too).
pub const USAGE: u8 = 2;
/// Authentication or authorization failed (401, 403).
pub const AUTH: u8 = 3;
/// Not found (404).
pub const NOT_FOUND: u8 = 4;
/// Rate limited (429).
pub const RATE_LIMITED: u8 = 5;
/// Server error (5xx).
pub const SERVER: u8 = 6;
/// The awaited job failed.
pub const JOB_FAILED: u8 = 7;

/// The table above, for `--help`.
pub const TABLE: &str = "\
Exit codes:
  0  success
  1  any other failure (the API refused the request: 400/409/422; transport; timeout; undecodable answer)
  2  invalid usage: a flag, parameter or body that does not fit, a missing or invalid environment variable
  3  authentication or authorization failed (401, 403)
  4  not found (404)
  5  rate limited (429), after the client's retries
  6  server error (5xx), after the client's retries
  7  the job --wait waited for failed (the vendor's reason is on stderr)";

/// The exit code for `error`.
pub fn code(error: &CallError) -> u8 {
    match error {
        CallError::Invalid { .. } | CallError::Config(_) => USAGE,
        CallError::Api(e) => match e.kind() {
            ErrorKind::InvalidRequest => USAGE,
            ErrorKind::Auth | ErrorKind::Forbidden => AUTH,
            ErrorKind::NotFound => NOT_FOUND,
            ErrorKind::RateLimited => RATE_LIMITED,
            ErrorKind::Server => SERVER,
            ErrorKind::JobFailed => JOB_FAILED,
            _ => OTHER,
        },
    }
}
