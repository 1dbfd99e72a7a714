//! Workspace automation for idprov (placeholder until `cargo xtask codegen` lands).

fn main() {
    eprintln!("usage: cargo xtask codegen [--check]");
    std::process::exit(2);
}
