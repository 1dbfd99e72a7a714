//! Prints the generated client for one spec: `cargo run -p idprov-codegen --example generate -- specs/seam.yaml`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: generate <spec.yaml>");
        std::process::exit(2);
    };
    match idprov_codegen::generate_file(std::path::Path::new(&path)) {
        Ok(g) => print!("{}", g.source),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
