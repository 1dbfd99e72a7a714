//! Pins the command line's generated surface: for each API, every command with its method, path, flags
//! (kind, required, where it goes, allowed values), body, `--all` and `--wait`, as build.rs generated them
//! from the spec. A spec change that changes the command line fails here until the snapshot is reviewed
//! (`INSTA_UPDATE=always cargo test -p idprov-cli --test command_table`, then `git diff`), as
//! `cargo xtask codegen` does for the clients' surface.

use std::fmt::Write as _;

use idprov_cli::Api;
use idprov_cli::table::{Kind, Location, Param};

fn kind(k: Kind) -> &'static str {
    match k {
        Kind::String => "text",
        Kind::Integer => "integer",
        Kind::Number => "number",
        Kind::Boolean => "boolean",
        Kind::StringList => "text, repeated",
        Kind::Json => "JSON",
    }
}

fn flag(out: &mut String, p: &Param) {
    let place = match p.location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
        Location::Body => "body member",
    };
    let _ = write!(
        out,
        "  --{} <{}>  {place} {:?}{}",
        p.flag,
        kind(p.kind),
        p.name,
        if p.required { ", required" } else { "" }
    );
    if !p.values.is_empty() {
        let _ = write!(out, "  [{}]", p.values.join(", "));
    }
    out.push('\n');
}

fn render(api: Api) -> String {
    let mut out = String::new();
    let aliases = api.aliases();
    let _ = writeln!(
        out,
        "# idprov {}{}: {}",
        api.name(),
        if aliases.is_empty() {
            String::new()
        } else {
            format!(" ({})", aliases.join(", "))
        },
        api.title()
    );
    for c in api.commands() {
        let _ = writeln!(
            out,
            "\n{}  {} {}  ({})",
            c.name, c.method, c.path, c.operation_id
        );
        let _ = writeln!(out, "  about: {}", c.summary);
        for p in c.params {
            flag(&mut out, p);
        }
        if let Some(b) = &c.body {
            let _ = writeln!(
                out,
                "  --body <JSON> | --body-file <FILE>  {}{}",
                b.type_name.replace(' ', ""),
                if b.required { ", required" } else { "" }
            );
            for m in b.members {
                flag(&mut out, m);
            }
        }
        if let Some(size) = idprov_cli::paging::default_page_size(api, c.operation_id) {
            let _ = writeln!(out, "  --all [--page-size N]  pages of {size} by default");
        }
        if let Some(job) = idprov_cli::waiting::job(api, c.operation_id) {
            let _ = writeln!(out, "  --wait  for the {job}");
        }
        if !c.response_headers.is_empty() {
            let _ = writeln!(out, "  answer headers: {}", c.response_headers.join(", "));
        }
    }
    out
}

#[test]
fn the_generated_command_table_of_each_api_is_pinned() {
    for api in Api::ALL {
        insta::assert_snapshot!(api.name(), render(api));
    }
}
