//! `idprov-sandbox`: the five APIs on loopback until stopped. Prints one JSON line with every vendor's base
//! URL and credentials, then serves (arguments and run loop: [`idprov_sandbox::cli`]).

use std::process::ExitCode;

use clap::Parser;

/// Serves Seam, AVEVA CONNECT, SailPoint NERM, SailPoint ISC and Huawei Cloud IAM Identity Center on
/// loopback, stateful and authenticating like the vendors, and prints their base URLs and credentials as
/// one JSON line.
#[derive(Parser, Debug)]
#[command(name = "idprov-sandbox", version)]
struct Cli {
    #[command(flatten)]
    args: idprov_sandbox::cli::Args,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    idprov_sandbox::cli::run("idprov-sandbox", Cli::parse().args).await
}
