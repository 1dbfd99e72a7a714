//! Peak resident memory of one walk over the AVEVA collection, in a process of its own.
//!
//! `pager-rss <items> [pager|loop]` starts the loopback server, builds the client, makes one call (so the
//! connection pool, TLS-free HTTP stack and token are warm), reads `VmHWM`, walks `items` identities with
//! the runtime's pager (`pager`, the default) or the hand-written loop (`loop`), reads `VmHWM` again and
//! prints one JSON line (see `idprov_bench::report::RssLine`).

use std::process::ExitCode;

use idprov_bench::report::RssLine;
use idprov_bench::server::Server;
use idprov_bench::variants::runtime_clients;
use idprov_bench::{BoxError, paging, peak_rss_kib};

fn main() -> ExitCode {
    match run() {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("pager-rss: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<String, BoxError> {
    let mut args = std::env::args().skip(1);
    let items: u64 = args
        .next()
        .ok_or("usage: pager-rss <items> [pager|loop]")?
        .parse()?;
    let mode = args.next().unwrap_or_else(|| "pager".into());
    let rt = idprov_bench::client_runtime()?;
    let server = Server::start_for_bench(&rt)?;
    let base = server.base_url();
    let clients = runtime_clients(&base)?;
    let http = idprov_bench::paging::hand_loop_client()?;
    let (before, seconds, seen) = rt.block_on(async {
        // Warm up: one page each way (connection, token).
        paging::runtime_pager(&clients.aveva, 1).await?;
        paging::hand_loop(&http, &base, 1).await?;
        let before = peak_rss_kib().ok_or("no VmHWM in /proc/self/status")?;
        let started = std::time::Instant::now();
        let seen = match mode.as_str() {
            "pager" => paging::runtime_pager(&clients.aveva, items).await?,
            "loop" => paging::hand_loop(&http, &base, items).await?,
            other => return Err(format!("unknown mode {other:?}: pager or loop").into()),
        };
        Ok::<_, BoxError>((before, started.elapsed().as_secs_f64(), seen))
    })?;
    if seen != items {
        return Err(format!("walked {seen} items, expected {items}").into());
    }
    let line = RssLine {
        mode,
        items,
        before_kib: before,
        peak_kib: peak_rss_kib().ok_or("no VmHWM in /proc/self/status")?,
        seconds,
    };
    drop(server);
    Ok(serde_json::to_string(&line)?)
}
