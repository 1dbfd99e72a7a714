//! `cli-startup`: the `idprov` command line's start-up to first request, median of N runs (issue 13's
//! target: under 50 ms for 20).
//!
//! Each run binds a loopback listener, spawns `idprov seam list-enrollment-automations ...` with
//! `SEAM_ENDPOINT` pointing at it, and measures from just before the spawn to the moment the request's
//! head has arrived; it then answers a small JSON body and checks that idprov exits 0 (so what was timed
//! is a real call). The baseline, measured in the same run, is spawning `true` until it exits: the cost of
//! starting any process on this machine.
//!
//! ```text
//! cargo build --release -p idprov-cli
//! cargo run --release -p idprov-bench --bin cli-startup -- [--idprov target/release/idprov] [--runs 20]
//! ```

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const BODY: &str = r#"{"ok":true,"enrollment_automations":[]}"#;
const USER_IDENTITY_ID: &str = "5c945ab5-c75e-4bcb-8e5f-9410061c401f";
/// How long one run may take before it counts as a failure.
const RUN_TIMEOUT: Duration = Duration::from_secs(20);

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    match v.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2,
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Accepts one connection, waiting for `child` meanwhile (an early exit is an error).
fn accept(
    listener: &TcpListener,
    child: &mut Child,
    started: Instant,
) -> Result<TcpStream, String> {
    loop {
        match listener.accept() {
            Ok((stream, _)) => return Ok(stream),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if let Ok(Some(status)) = child.try_wait() {
                    return Err(format!("idprov exited ({status}) before sending a request"));
                }
                if started.elapsed() > RUN_TIMEOUT {
                    return Err("no request within the timeout".into());
                }
                std::thread::sleep(Duration::from_micros(100));
            }
            Err(e) => return Err(format!("accept: {e}")),
        }
    }
}

/// Reads until the end of the request head.
fn read_head(stream: &mut TcpStream) -> Result<(), String> {
    stream
        .set_read_timeout(Some(RUN_TIMEOUT))
        .map_err(|e| e.to_string())?;
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).map_err(|e| format!("read: {e}"))?;
        if n == 0 {
            return Err("the connection closed before the request head ended".into());
        }
        seen.extend_from_slice(buf.get(..n).unwrap_or_default());
    }
    Ok(())
}

fn one_cli_run(idprov: &str) -> Result<Duration, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let started = Instant::now();
    let mut child = Command::new(idprov)
        .args([
            "seam",
            "list-enrollment-automations",
            "--user-identity-id",
            USER_IDENTITY_ID,
        ])
        .env_clear()
        .env("SEAM_API_KEY", "seam_bench_not_a_real_key")
        .env("SEAM_ENDPOINT", format!("http://127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {idprov}: {e}"))?;
    let mut stream = accept(&listener, &mut child, started)?;
    stream.set_nonblocking(false).map_err(|e| e.to_string())?;
    read_head(&mut stream)?;
    let first_request = started.elapsed();
    let answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{BODY}",
        BODY.len()
    );
    stream
        .write_all(answer.as_bytes())
        .map_err(|e| e.to_string())?;
    drop(stream);
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "idprov exited {}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(first_request)
}

fn one_true_run() -> Result<Duration, String> {
    let started = Instant::now();
    let status = Command::new("true")
        .status()
        .map_err(|e| format!("cannot start true: {e}"))?;
    let took = started.elapsed();
    if !status.success() {
        return Err(format!("true exited {status}"));
    }
    Ok(took)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut idprov = "target/release/idprov".to_string();
    let mut runs = 20usize;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match (a.as_str(), it.next()) {
            ("--idprov", Some(path)) => idprov = path.clone(),
            ("--runs", Some(n)) => match n.parse() {
                Ok(n) if n > 0 => runs = n,
                _ => {
                    eprintln!("cli-startup: --runs takes a positive whole number, got {n:?}");
                    return ExitCode::from(2);
                }
            },
            _ => {
                eprintln!("usage: cli-startup [--idprov PATH] [--runs N]");
                return ExitCode::from(2);
            }
        }
    }
    // One unmeasured run of each, so the page cache holds both binaries.
    if let Err(e) = one_cli_run(&idprov).and_then(|_| one_true_run()) {
        eprintln!("cli-startup: {e}");
        return ExitCode::FAILURE;
    }
    let mut cli = Vec::with_capacity(runs);
    let mut baseline = Vec::with_capacity(runs);
    // Interleaved, so a busy moment of the machine weighs on both alike.
    for _ in 0..runs {
        match (one_cli_run(&idprov), one_true_run()) {
            (Ok(c), Ok(b)) => {
                cli.push(c);
                baseline.push(b);
            }
            (Err(e), _) | (_, Err(e)) => {
                eprintln!("cli-startup: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let (cli_median, base_median) = (median(cli.clone()), median(baseline));
    let slowest = cli.iter().max().copied().unwrap_or_default();
    println!("runs: {runs}");
    println!("idprov spawn -> first request, median: {}", ms(cli_median));
    println!("idprov spawn -> first request, slowest: {}", ms(slowest));
    println!(
        "baseline: spawn `true` -> exit, median: {}",
        ms(base_median)
    );
    println!(
        "idprov's own start-up (median minus baseline): {}",
        ms(cli_median.saturating_sub(base_median))
    );
    let target = Duration::from_millis(50);
    println!(
        "target (< 50 ms median): {}",
        if cli_median < target { "met" } else { "missed" }
    );
    ExitCode::SUCCESS
}
