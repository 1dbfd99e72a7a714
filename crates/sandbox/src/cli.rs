//! The `idprov-sandbox` program's arguments and run loop, in the library so that another binary (`idprov
//! sandbox`) offers the same flags and behaviour without repeating them.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::{Sandbox, Seed};

/// Serves Seam, AVEVA CONNECT, SailPoint NERM, SailPoint ISC and Huawei Cloud IAM Identity Center on
/// loopback, stateful and authenticating like the vendors, and prints their base URLs and credentials as
/// one JSON line.
#[derive(clap::Args, Debug, Clone, PartialEq, Eq)]
pub struct Args {
    /// The first port: Seam listens on it, AVEVA on the next, then NERM, ISC and Huawei (0: free ports).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// The address to listen on. Anything but loopback exposes the sandbox's credentials to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// A seed file (YAML, or JSON when it ends in .json) with the initial state, credentials and faults.
    #[arg(long)]
    pub seed: Option<PathBuf>,
}

/// Starts the sandbox as `args` say, prints its info line on stdout, and serves until Ctrl-C. `program`
/// names the program in messages on stderr. Exit code 2 for a seed that cannot be read, 1 when a port
/// cannot be bound.
pub async fn run(program: &str, args: Args) -> ExitCode {
    let seed = match args.seed.as_deref().map(Seed::from_file).transpose() {
        Ok(seed) => seed.unwrap_or_default(),
        Err(e) => {
            eprintln!("{program}: {e}");
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
            eprintln!("{program}: {e}");
            return ExitCode::FAILURE;
        }
    };
    if !args.bind.is_loopback() {
        eprintln!(
            "{program}: listening on {}, not loopback: anyone who can reach it can read its credentials",
            args.bind
        );
    }
    println!("{}", sandbox.info());
    match tokio::signal::ctrl_c().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{program}: cannot wait for Ctrl-C: {e}");
            ExitCode::FAILURE
        }
    }
}
