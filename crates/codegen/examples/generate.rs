//! Prints the generated client for one spec: `cargo run -p idprov-codegen --example generate -- specs/seam.yaml`;
//! with `--mock` after the spec, prints its typed httpmock helpers instead (what a crate's `mock` feature
//! compiles).

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: generate <spec.yaml> [--mock]");
        std::process::exit(2);
    };
    let mock = args.next().is_some_and(|a| a == "--mock");
    let options = if mock {
        idprov_codegen::Options::with_mock()
    } else {
        idprov_codegen::Options::default()
    };
    match idprov_codegen::generate_file_with(std::path::Path::new(&path), &options) {
        Ok(g) => match (mock, g.mock) {
            (true, Some(m)) => print!("{}", m.source),
            _ => print!("{}", g.source),
        },
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
