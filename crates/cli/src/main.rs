//! `idprov`: every operation of the five idprov APIs from the shell (see the idprov-cli crate docs).

fn main() -> std::process::ExitCode {
    idprov_cli::run::main_with(std::env::args_os())
}
