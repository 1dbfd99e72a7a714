//! `cargo xtask`: workspace automation for idprov (see the library documentation).

use std::process::ExitCode;

const USAGE: &str = "usage:
  cargo xtask codegen [--check]   lint every spec, generate its client, update the snapshots in xtask/snapshots
                                  (--check, or CI=true: change nothing, fail on stale/missing/unreferenced ones;
                                  INSTA_UPDATE=new: write .snap.new files for `cargo insta review`)
  cargo xtask new <name>
                                  scaffold crates/<name> for specs/<name>.yaml and add it to the workspace";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = xtask::workspace_root();
    match args.first().map(String::as_str) {
        Some("codegen") => {
            let options = match xtask::codegen::Options::from_args(&args[1..]) {
                Ok(o) => o,
                Err(e) => return fail(&e.to_string()),
            };
            let mut stdout = std::io::stdout().lock();
            match xtask::codegen::run(&root, options, &mut stdout) {
                Ok(summary) if summary.success(options.check) => ExitCode::SUCCESS,
                Ok(_) => ExitCode::FAILURE,
                Err(e) => fail(&e.to_string()),
            }
        }
        Some("new") => {
            let request = match xtask::new::Request::from_args(&args[1..]) {
                Ok(r) => r,
                Err(e) => return fail(&e.to_string()),
            };
            match xtask::new::scaffold(&root, &request) {
                Ok(done) => {
                    for f in &done.findings {
                        println!("{f}");
                    }
                    println!(
                        "scaffolded idprov-{} (vendor {}):",
                        request.name, done.vendor
                    );
                    for f in &done.files {
                        println!("  {f}");
                    }
                    println!(
                        "next: cargo build -p idprov-{}, then `cargo xtask codegen` to add its snapshots",
                        request.name
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e.to_string()),
            }
        }
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => fail(USAGE),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}
