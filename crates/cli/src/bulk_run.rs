//! `idprov <api> <operation> --from FILE.jsonl`: a bulk run of one operation through idprov-bulk, with a
//! [`CliCaller`] over [`crate::invoke`] (every operation of every API) and idprov-bulk's lookups.
//!
//! The clients of a bulk run are built like the single call's (the vendor's environment variables and
//! the `--base-url`/tenant/region flags), with one difference: they do not retry
//! ([`idprov_bulk::bulk_retry_policy`]), because the runner does. A 429 then reaches the runner at once
//! and pauses every worker until its `Retry-After`, instead of one client sleeping on it while the other
//! workers keep sending into the same limit.
//!
//! On stdout: the run's summary as one JSON document (counts, the results and journal paths); on stderr,
//! the progress bar (on a terminal) and the summary in words. Exit 0 when every line succeeded, 1 when
//! any failed or is unknown, 2 for unusable input or flags (or a journal in the way without `--resume`).

use std::process::ExitCode;
use std::sync::Arc;

use futures::future::BoxFuture;
use idprov_bulk::{
    BulkError, Caller, Failure, FilesOptions, Line, Lookup, LookupContext, Lookups, Operation,
    Outcome, RunOptions, bulk_retry_policy,
};
use idprov_runtime::ErrorKind;
use idprov_runtime::env::process_env;

use crate::args::{Call, PROGRAM};
use crate::bulk_args::BulkFlags;
use crate::{Api, CallError, Clients, Params, Settings, exit};

/// Calls one operation through [`crate::invoke`]: a line's `params` over the command line's parameter
/// flags, the line's `body`.
#[derive(Debug, Clone)]
pub struct CliCaller {
    clients: Clients,
    api: Api,
    operation: Operation,
    defaults: Params,
    lookups: Lookups,
}

impl CliCaller {
    /// A caller of `operation` (of `api`) with `clients`; `defaults` are parameters every line gets
    /// unless it sets them.
    pub fn new(clients: Clients, api: Api, operation: Operation, defaults: Params) -> Self {
        let lookups = Lookups {
            seam: clients.seam.clone(),
            aveva: clients.aveva_connect.clone(),
            huawei: clients.huaweicloud_identitycenter.clone(),
        };
        Self {
            clients,
            api,
            operation,
            defaults,
            lookups,
        }
    }

    fn params(&self, line: &Line) -> Params {
        let mut params = self.defaults.clone();
        params.extend(line.params.iter().map(|(k, v)| (k.clone(), v.clone())));
        params
    }
}

impl Caller for CliCaller {
    fn call<'a>(
        &'a self,
        line: &'a Line,
    ) -> impl Future<Output = Result<Outcome, Failure>> + Send + 'a {
        // Boxed: `invoke` dispatches over every operation of the API, a large future.
        Box::pin(async move {
            let params = self.params(line);
            match crate::invoke(
                &self.clients,
                self.api,
                self.operation.id,
                &params,
                line.body().cloned(),
            )
            .await
            {
                Ok(answer) => Ok(Outcome::new(answer)),
                Err(CallError::Api(e) | CallError::Config(e)) => Err(Failure::from(&e)),
                Err(e) => Err(Failure::new(
                    ErrorKind::InvalidRequest,
                    format!("line {}: {e}", line.number),
                )
                .with_safety(false, false)),
            }
        })
    }

    fn idempotent(&self) -> bool {
        self.operation.idempotent()
    }

    fn lookup<'a>(&'a self, line: &'a Line, context: &'a LookupContext) -> BoxFuture<'a, Lookup> {
        Box::pin(async move {
            let line = Line::new(line.number, self.params(line), line.body().cloned());
            self.lookups.lookup(self.operation, &line, context).await
        })
    }
}

/// `api`'s client built from the environment and `settings` as [`Clients::add`] builds it, but with
/// [`bulk_retry_policy`].
pub fn bulk_clients(api: Api, settings: &Settings) -> Result<Clients, CallError> {
    let get = &process_env;
    let base_url = settings.base_url_for(api, get)?;
    let variable = api.base_url_variable();
    let lookup = |name: &str| match (&base_url, name == variable) {
        (Some(url), true) => Some(url.clone()),
        _ => get(name),
    };
    let retry = bulk_retry_policy();
    let mut clients = Clients::default();
    macro_rules! build {
        ($krate:ident, $field:ident) => {{
            let config = $krate::env::from_env(&lookup).map_err(CallError::Config)?;
            clients.$field =
                Some($krate::Client::with_config(config.retry(retry)).map_err(CallError::Config)?);
        }};
    }
    match api {
        Api::Seam => build!(idprov_seam, seam),
        Api::AvevaConnect => build!(idprov_aveva_connect, aveva_connect),
        Api::SailpointNerm => build!(idprov_sailpoint_nerm, sailpoint_nerm),
        Api::SailpointIsc => build!(idprov_sailpoint_isc, sailpoint_isc),
        Api::HuaweicloudIdentitycenter => build!(
            idprov_huaweicloud_identitycenter,
            huaweicloud_identitycenter
        ),
    }
    Ok(clients)
}

/// Runs the bulk `call` on a multi-thread runtime (the workers' CPU work spreads over the cores) and
/// returns the exit code.
pub fn main(call: Call, flags: BulkFlags) -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt.block_on(run(call, flags)),
        Err(e) => {
            eprintln!("{PROGRAM}: error: cannot start the async runtime: {e}");
            ExitCode::from(exit::OTHER)
        }
    }
}

fn usage(message: &str) -> ExitCode {
    eprintln!("{PROGRAM}: error: {message}");
    ExitCode::from(exit::USAGE)
}

/// Runs the bulk `call` and reports it.
pub async fn run(call: Call, flags: BulkFlags) -> ExitCode {
    if call.body.is_some() {
        return usage(
            "with --from each line gives its own body: drop --body, --body-file and the body member flags",
        );
    }
    let operation = match idprov_bulk::Api::parse(call.api.name())
        .and_then(|api| Operation::find(api, call.command.operation_id))
    {
        Ok(op) => op,
        Err(e) => return usage(&e),
    };
    let clients = match bulk_clients(call.api, &call.settings) {
        Ok(c) => c,
        Err(e) => {
            eprint!("{}", crate::output::error_report(&e));
            return ExitCode::from(exit::code(&e));
        }
    };
    let caller = CliCaller::new(clients, call.api, operation, call.params.clone());
    let mut options = FilesOptions::new(&flags.from, call.api.name(), operation.id);
    options.results = flags.results.clone();
    options.resume = flags.resume;
    options.run = RunOptions {
        concurrency: flags.concurrency,
        rate: flags.rate,
        id_pointer: operation.id_pointer().map(str::to_string),
        ..RunOptions::default()
    };
    match idprov_bulk::run_files(Arc::new(caller), &options).await {
        Ok(report) => {
            let document = serde_json::json!({
                "summary": report.summary,
                "results": report.results_path,
                "journal": report.journal_path,
            });
            println!("{document}");
            eprintln!(
                "{PROGRAM}: {}; results in {}",
                report.summary,
                report.results_path.display()
            );
            if report.summary.succeeded() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(exit::OTHER)
            }
        }
        Err(e) => {
            eprintln!("{PROGRAM}: error: {e}");
            match e {
                BulkError::Input(..)
                | BulkError::JournalExists(_)
                | BulkError::JournalMismatch(..) => ExitCode::from(exit::USAGE),
                BulkError::Run(idprov_bulk::runner::RunError::Options(_)) => {
                    ExitCode::from(exit::USAGE)
                }
                _ => ExitCode::from(exit::OTHER),
            }
        }
    }
}
