//! The `idprov` program: parse the arguments, build the one client the call needs, call, print.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use futures::StreamExt;
use serde_json::Value;

use crate::args::{self, ArgsError, Call, Invocation, PROGRAM};
use crate::output::{self, Format};
use crate::{CallError, Clients, exit};

/// Runs the program with `argv` (program name first) on a single-threaded tokio runtime, and returns its
/// exit code (see [`exit`]).
pub fn main_with<I, T>(argv: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let invocation = match args::parse(argv) {
        Ok(i) => i,
        Err(ArgsError::Clap(e)) => {
            // --help and --version print on stdout and exit 0; usage errors print on stderr and exit 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(exit::USAGE));
        }
        Err(ArgsError::Invalid(e)) => return fail(&e),
    };
    match invocation {
        Invocation::Completions(shell) => {
            let mut cmd = args::command();
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut cmd, PROGRAM, &mut out);
            ExitCode::SUCCESS
        }
        Invocation::Sandbox(sandbox_args) => match runtime() {
            Ok(rt) => rt.block_on(idprov_sandbox::cli::run("idprov sandbox", sandbox_args)),
            Err(code) => code,
        },
        Invocation::Call(call) if call.bulk.is_some() => match call.bulk.clone() {
            Some(flags) => crate::bulk_run::main(*call, flags),
            None => ExitCode::from(exit::OTHER),
        },
        Invocation::Call(call) => match runtime() {
            Ok(rt) => rt.block_on(run_call(*call)),
            Err(code) => code,
        },
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            eprintln!("{PROGRAM}: error: cannot start the async runtime: {e}");
            ExitCode::from(exit::OTHER)
        })
}

/// Prints `error`'s report on stderr and returns its exit code.
fn fail(error: &CallError) -> ExitCode {
    eprint!("{}", output::error_report(error));
    ExitCode::from(exit::code(error))
}

/// Writes `text` on stdout; a closed stdout (`| head`) ends the program quietly.
fn print(text: &str) -> Result<(), ExitCode> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|_| ExitCode::from(exit::OTHER))
}

fn show(value: &Value, format: Format) -> Result<(), ExitCode> {
    match format {
        Format::Json => print(&output::document(value)),
        Format::Table => print(&output::table(&output::rows(value))),
    }
}

/// Runs one call as `call` describes it: builds its API's client from the environment and flags, calls
/// (every page with `--all`, then the job's end with `--wait`) and prints the answer.
pub async fn run_call(call: Call) -> ExitCode {
    let clients = match Clients::from_env(&[call.api], &call.settings) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let operation = call.command.operation_id;
    if let Some(page_size) = call.all {
        let mut items =
            match crate::paging::stream(&clients, call.api, operation, &call.params, page_size) {
                Ok(s) => s,
                Err(e) => return fail(&e),
            };
        let mut collected = Vec::new();
        while let Some(item) = items.next().await {
            match item {
                Ok(v) if call.output == Format::Table => collected.push(v),
                Ok(v) => {
                    if let Err(code) = print(&output::line(&v)) {
                        return code;
                    }
                }
                Err(e) => return fail(&e),
            }
        }
        if call.output == Format::Table {
            let rows: Vec<&Value> = collected.iter().collect();
            if let Err(code) = print(&output::table(&rows)) {
                return code;
            }
        }
        return ExitCode::SUCCESS;
    }
    let answer = match crate::call(
        &clients,
        call.api,
        operation,
        &call.params,
        call.body.clone(),
    )
    .await
    {
        Ok(a) => a,
        Err(e) => return fail(&e),
    };
    let shown = match call.wait {
        Some(polling) => {
            let spinner = spinner(call.api, operation);
            let waited = crate::waiting::wait(
                &clients,
                call.api,
                operation,
                &call.params,
                &answer.body,
                polling,
            )
            .await;
            if let Some(s) = spinner {
                s.finish_and_clear();
            }
            match waited {
                Ok(v) => v,
                Err(e) => return fail(&e),
            }
        }
        None => output::answer_value(&answer),
    };
    match show(&shown, call.output) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

/// A spinner on stderr while waiting, only when stderr is a terminal (scripts see nothing but the result).
fn spinner(api: crate::Api, operation: &str) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let job = crate::waiting::job(api, operation).unwrap_or("job");
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    bar.set_style(indicatif::ProgressStyle::default_spinner());
    bar.set_message(format!("waiting for the {job} to finish"));
    bar.enable_steady_tick(Duration::from_millis(120));
    Some(bar)
}
