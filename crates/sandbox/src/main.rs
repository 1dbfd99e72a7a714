//! `idprov-sandbox`: the five APIs on loopback until stopped. Prints one JSON line with every vendor's base
//! URL and credentials, then serves.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use idprov_sandbox::{Sandbox, Seed};

/// Serves Seam, AVEVA CONNECT, SailPoint NERM, SailPoint ISC and Huawei Cloud IAM Identity Center on
/// loopback, stateful and authenticating like the vendors, and prints their base URLs and credentials as
/// one JSON line.
#[derive(Parser, Debug)]
#[command(name = "idprov-sandbox", version)]
struct Args {
    /// The first port: Seam listens on it, AVEVA on the next, then NERM, ISC and Huawei (0: free ports).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The address to listen on. Anything but loopback exposes the sandbox's credentials to the network.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// A seed file (YAML, or JSON when it ends in .json) with the initial state, credentials and faults.
    #[arg(long)]
    seed: Option<PathBuf>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let seed = match args.seed.as_deref().map(Seed::from_file).transpose() {
        Ok(seed) => seed.unwrap_or_default(),
        Err(e) => {
            eprintln!("idprov-sandbox: {e}");
            return ExitCode::from(2);
        }
    };
    let sandbox = match Sandbox::builder()
        .seed(seed)
        .bind(args.bind)
        .port(args.port)
        .start()
        .await
    {
        Ok(sb) => sb,
        Err(e) => {
            eprintln!("idprov-sandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    if !args.bind.is_loopback() {
        eprintln!(
            "idprov-sandbox: listening on {}, not loopback: anyone who can reach it can read its credentials",
            args.bind
        );
    }
    println!("{}", sandbox.info());
    match tokio::signal::ctrl_c().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("idprov-sandbox: cannot wait for Ctrl-C: {e}");
            ExitCode::FAILURE
        }
    }
}
