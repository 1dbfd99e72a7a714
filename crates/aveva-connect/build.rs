//! Generates the client from the spec at build time (see idprov-codegen).
fn main() {
    idprov_codegen::build_script("aveva-connect.yaml");
}
