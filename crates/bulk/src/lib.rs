//! idprov-bulk: bulk provisioning runs that survive a crash.
//!
//! A run takes one call a line from a JSON Lines file ([`input`]), runs the calls with N workers
//! ([`runner`]), at most R requests per second over all of them ([`limiter`]), with one rate-limited answer
//! pausing every worker until the time it names ([`gate`]), shows a progress bar ([`progress`]), and writes
//! one result line per input line ([`outcome`]). Every line is recorded in a journal, fsync'd, before its
//! request goes out and again before it counts as done ([`journal`]); `--resume` reads the journal, skips
//! what is done, sends again what is idempotent, and looks up the rest ([`lookups`]) or reports it as
//! "unknown — check" ([`session`]).
//!
//! The engine is generic over a [`Caller`] (one operation of one API): the `idprov` command line has one
//! for every operation; [`DirectCaller`] calls the three creates that have lookups with the typed clients.
//!
//! ```no_run
//! use std::sync::Arc;
//! use idprov_bulk::{Api, DirectCaller, FilesOptions, Lookups, Operation, RunOptions, bulk_retry_policy};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let config = idprov_seam::ClientConfig::new(idprov_seam::Credentials::ApiKey("seam_…".into()))
//!     .retry(bulk_retry_policy()); // every 429 reaches the runner, which pauses every worker
//! let seam = idprov_seam::Client::with_config(config)?;
//! let operation = Operation::find(Api::Seam, "launch_enrollment_automation")?;
//! let caller = DirectCaller::new(operation, Lookups { seam: Some(seam), ..Lookups::default() })?;
//! let mut options = FilesOptions::new("launches.jsonl", "seam", operation.id);
//! options.run = RunOptions { concurrency: 16, rate: Some(50.0), id_pointer: operation.id_pointer().map(Into::into), ..RunOptions::default() };
//! let report = idprov_bulk::run_files(Arc::new(caller), &options).await?;
//! eprintln!("{}", report.summary);
//! # Ok(()) }
//! ```

pub mod caller;
pub mod direct;
pub mod gate;
pub mod input;
pub mod journal;
pub mod limiter;
pub mod lookups;
pub mod operations;
pub mod outcome;
pub mod progress;
pub mod runner;
pub mod session;

pub use caller::{Caller, Failure, Lookup, LookupContext, Outcome};
pub use direct::DirectCaller;
pub use input::{Entry, Line};
pub use lookups::Lookups;
pub use operations::{Api, Operation};
pub use outcome::{LineResult, ResultLine, Summary};
pub use runner::{RunOptions, RunReport, bulk_retry_policy, run_lines};
pub use session::{BulkError, FilesOptions, Report, run_files};
