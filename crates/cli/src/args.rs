//! The command line's arguments: a clap command tree built from the generated tables (one subcommand per
//! API, one per operation under it, one flag per parameter and body member), and its parsing into an
//! [`Invocation`].
//!
//! Every operation command also takes the common flags: `--output json|table`, `--base-url URL`, the
//! vendor's `--tenant`/`--region`, `--body JSON`/`--body-file FILE` when it has a body, `--all` and
//! `--page-size N` on paged lists, `--wait`, `--wait-timeout SECONDS` and `--poll-interval MILLISECONDS` on
//! asynchronous jobs. None of them takes a secret: credentials come from the environment only.

use std::ffi::OsString;
use std::num::NonZeroU32;
use std::time::Duration;

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches, Args as _, FromArgMatches as _};
use serde_json::Value;

use crate::api::{Api, PlaceFlag};
use crate::output::Format;
use crate::table::{Command, Kind, Param};
use crate::waiting::Polling;
use crate::{CallError, Params, Settings};

/// What the command line asks for.
#[derive(Debug)]
pub enum Invocation {
    /// One operation of one API.
    Call(Box<Call>),
    /// `idprov completions <shell>`: the completion script on stdout.
    Completions(clap_complete::Shell),
    /// `idprov sandbox [...]`: the sandbox, with the idprov-sandbox binary's flags.
    Sandbox(idprov_sandbox::cli::Args),
}

/// One operation call, as the flags describe it.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The API.
    pub api: Api,
    /// The operation.
    pub command: &'static Command,
    /// Its parameters, by the spec's names, as JSON.
    pub params: Params,
    /// The body: `--body`, `--body-file`, with the member flags merged in.
    pub body: Option<Value>,
    /// `--base-url`, `--tenant`, `--region`.
    pub settings: Settings,
    /// `--output`.
    pub output: Format,
    /// `--all` (with `--page-size`, when given).
    pub all: Option<Option<NonZeroU32>>,
    /// `--wait` (with `--wait-timeout`, `--poll-interval`).
    pub wait: Option<Polling>,
    /// `--from` and the other bulk flags: a bulk run of the operation (see [`crate::bulk_run`]).
    pub bulk: Option<crate::bulk_args::BulkFlags>,
}

/// The program's name.
pub const PROGRAM: &str = "idprov";

fn first_sentence(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    match line.find(". ") {
        Some(i) => line[..=i].to_string(),
        None => line.to_string(),
    }
}

fn param_arg(p: &'static Param, body_member: bool) -> Arg {
    let mut long_help = p.description.to_string();
    if body_member {
        long_help = format!("Body member `{}`. {long_help}", p.name);
    }
    if !p.values.is_empty() {
        long_help.push_str(&format!("\n\nOne of: {}", p.values.join(", ")));
    }
    let short = if body_member {
        format!("[body] {}", first_sentence(p.description))
    } else {
        first_sentence(p.description)
    };
    let mut arg = Arg::new(p.flag)
        .long(p.flag)
        .help(short)
        .long_help(long_help);
    if p.required && !body_member {
        // A bulk run (--from) gives the parameter on each line instead.
        arg = arg.required_unless_present(crate::bulk_args::FROM);
    }
    arg = match p.kind {
        Kind::StringList => arg.action(ArgAction::Append).value_name("VALUE"),
        Kind::Integer | Kind::Number => arg.value_name("NUMBER"),
        Kind::Boolean => arg.value_parser(["true", "false"]),
        Kind::Json => arg.value_name("JSON"),
        Kind::String => arg.value_name("TEXT"),
    };
    if !p.values.is_empty() {
        arg = arg.value_parser(PossibleValuesParser::new(p.values.iter().copied()));
    }
    arg
}

fn operation_command(api: Api, c: &'static Command) -> clap::Command {
    let mut long = String::new();
    if !c.summary.is_empty() {
        long.push_str(c.summary);
        long.push_str("\n\n");
    }
    if !c.description.is_empty() {
        long.push_str(c.description);
        long.push_str("\n\n");
    }
    long.push_str(&format!("{} {} ({})", c.method, c.path, c.operation_id));
    let mut cmd = clap::Command::new(c.name)
        .about(if c.summary.is_empty() {
            c.operation_id.to_string()
        } else {
            c.summary.to_string()
        })
        .long_about(long)
        .after_help(format!(
            "Credentials: {}.\n\n{}",
            api.credential_variables(),
            crate::exit::TABLE
        ));
    for p in c.params {
        cmd = cmd.arg(param_arg(p, false));
    }
    if let Some(body) = &c.body {
        cmd = cmd
            .arg(
                Arg::new("body")
                    .long("body")
                    .value_name("JSON")
                    .help(format!(
                        "The request body as JSON{}",
                        if body.required {
                            " (required, or its member flags)"
                        } else {
                            ""
                        }
                    ))
                    .long_help(format!(
                        "The request body as JSON ({}). {}\nMember flags set on top of it win.",
                        body.type_name.replace(' ', ""),
                        body.description
                    ))
                    .conflicts_with("body-file"),
            )
            .arg(
                Arg::new("body-file")
                    .long("body-file")
                    .value_name("FILE")
                    .help("The request body as JSON, from a file (- for stdin)"),
            );
        for m in body.members {
            cmd = cmd.arg(param_arg(m, true));
        }
    }
    cmd = cmd
        .arg(
            Arg::new("output")
                .long("output")
                .short('o')
                .value_parser(["json", "table"])
                .default_value("json")
                .help("json: one document (JSON Lines with --all); table: a compact table"),
        )
        .arg(
            Arg::new("base-url")
                .long("base-url")
                .value_name("URL")
                .help(format!(
                    "The server, instead of {}",
                    api.base_url_variable()
                )),
        );
    match api.place_flag() {
        Some(PlaceFlag::Tenant(template)) => {
            cmd = cmd.arg(
                Arg::new("tenant")
                    .long("tenant")
                    .value_name("NAME")
                    .help(format!("The tenant: the server is {template}"))
                    .conflicts_with("base-url"),
            );
        }
        Some(PlaceFlag::Region(template)) => {
            let mut arg = Arg::new("region")
                .long("region")
                .value_name("NAME")
                .help(format!("The region: the server is {template}"))
                .conflicts_with("base-url");
            if api == Api::HuaweicloudIdentitycenter {
                arg = arg.value_parser(PossibleValuesParser::new(
                    crate::clients::HUAWEI_REGIONS.iter().copied(),
                ));
            }
            cmd = cmd.arg(arg);
        }
        None => {}
    }
    if crate::paging::default_page_size(api, c.operation_id).is_some() {
        cmd = cmd
            .arg(
                Arg::new("all").long("all").action(ArgAction::SetTrue).help(
                    "Every item of every page, one JSON line each, fetched as they are written",
                ),
            )
            .arg(
                Arg::new("page-size")
                    .long("page-size")
                    .value_name("N")
                    .value_parser(clap::value_parser!(NonZeroU32))
                    .requires("all")
                    .help("Items per page with --all (default: the vendor's)"),
            );
    }
    if let Some(job) = crate::waiting::job(api, c.operation_id) {
        cmd = cmd
            .arg(
                Arg::new("wait")
                    .long("wait")
                    .action(ArgAction::SetTrue)
                    .help(format!(
                        "Poll the {job} to its end and print its last state; a failed job exits 7 with the vendor's reason"
                    )),
            )
            .arg(
                Arg::new("wait-timeout")
                    .long("wait-timeout")
                    .value_name("SECONDS")
                    .value_parser(clap::value_parser!(u64))
                    .requires("wait")
                    .help("Give up waiting after this long (default 600)"),
            )
            .arg(
                Arg::new("poll-interval")
                    .long("poll-interval")
                    .value_name("MILLISECONDS")
                    .value_parser(clap::value_parser!(u64).range(1..))
                    .requires("wait")
                    .help("The first pause between two looks (default 1000; it grows by half each time)"),
            );
    }
    crate::bulk_args::add(cmd)
}

/// The whole command tree.
pub fn command() -> clap::Command {
    let mut root = clap::Command::new(PROGRAM)
        .version(env!("CARGO_PKG_VERSION"))
        .about("Every operation of five identity-provisioning APIs from the shell, generated from their specs")
        .long_about(
            "Every operation of five identity-provisioning APIs from the shell: idprov <api> <operation> \
             [--param value ...] [--body JSON | --body-file FILE]. Commands, flags and help come from the \
             same OpenAPI specs as the idprov clients; credentials from each vendor's own environment \
             variables (see each API's --help).",
        )
        .after_help(crate::exit::TABLE)
        .subcommand_required(true)
        .arg_required_else_help(true);
    for api in Api::ALL {
        let mut sub = clap::Command::new(api.name())
            .visible_aliases(api.aliases())
            .about(api.title())
            .after_help(format!("Credentials: {}.", api.credential_variables()))
            .subcommand_required(true)
            .arg_required_else_help(true);
        for c in api.commands() {
            sub = sub.subcommand(operation_command(api, c));
        }
        root = root.subcommand(sub);
    }
    root = root
        .subcommand(
            clap::Command::new("completions")
                .about("Print the shell completion script (bash, zsh, fish, elvish, powershell)")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        )
        .subcommand(
            idprov_sandbox::cli::Args::augment_args(clap::Command::new("sandbox")).about(
                "Serve the five APIs on loopback (idprov-sandbox) and print their base URLs and credentials as one JSON line",
            ),
        );
    root
}

/// Why the arguments could not be turned into an [`Invocation`].
#[derive(Debug)]
pub enum ArgsError {
    /// clap's own error (including `--help` and `--version`, which it prints).
    Clap(clap::Error),
    /// A value clap accepted that does not fit (a number that is not one, a body that is not JSON).
    Invalid(CallError),
}

impl From<clap::Error> for ArgsError {
    fn from(e: clap::Error) -> Self {
        Self::Clap(e)
    }
}

/// Parses `argv` (program name first).
pub fn parse<I, T>(argv: I) -> Result<Invocation, ArgsError>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = command().try_get_matches_from(argv)?;
    from_matches(&matches)
}

fn invalid(field: &str, message: String) -> ArgsError {
    ArgsError::Invalid(CallError::Invalid {
        field: field.to_string(),
        message,
    })
}

/// The JSON a flag's text stands for, by the parameter's kind.
pub fn flag_value(p: &Param, text: &str) -> Result<Value, CallError> {
    let bad = |expected: &str| CallError::Invalid {
        field: p.name.to_string(),
        message: format!("--{} takes {expected}, got {text:?}", p.flag),
    };
    match p.kind {
        Kind::String | Kind::StringList => Ok(Value::String(text.to_string())),
        Kind::Integer => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| bad("a whole number")),
        Kind::Number => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| bad("a number")),
        Kind::Boolean => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(bad("true or false")),
        },
        Kind::Json => serde_json::from_str(text).map_err(|e| CallError::Invalid {
            field: p.name.to_string(),
            message: format!("--{} takes JSON: {e}", p.flag),
        }),
    }
}

fn values(m: &ArgMatches, p: &Param) -> Result<Option<Value>, CallError> {
    let Some(given) = m.get_many::<String>(p.flag) else {
        return Ok(None);
    };
    let given: Vec<&String> = given.collect();
    if p.kind == Kind::StringList {
        return Ok(Some(Value::Array(
            given.iter().map(|s| Value::String((*s).clone())).collect(),
        )));
    }
    match given.last() {
        Some(text) => flag_value(p, text).map(Some),
        None => Ok(None),
    }
}

fn read_body(m: &ArgMatches) -> Result<Option<Value>, ArgsError> {
    if let Some(text) = m.get_one::<String>("body") {
        return serde_json::from_str(text)
            .map(Some)
            .map_err(|e| invalid("body", format!("--body is not valid JSON: {e}")));
    }
    if let Some(path) = m.get_one::<String>("body-file") {
        let text = if path == "-" {
            std::io::read_to_string(std::io::stdin())
        } else {
            std::fs::read_to_string(path)
        }
        .map_err(|e| {
            invalid(
                "body-file",
                format!("--body-file {path}: cannot read it: {e}"),
            )
        })?;
        return serde_json::from_str(&text).map(Some).map_err(|e| {
            invalid(
                "body-file",
                format!("--body-file {path} is not valid JSON: {e}"),
            )
        });
    }
    Ok(None)
}

fn call(api: Api, command: &'static Command, m: &ArgMatches) -> Result<Call, ArgsError> {
    let mut params = Params::new();
    for p in command.params {
        if let Some(v) = values(m, p).map_err(ArgsError::Invalid)? {
            params.insert(p.name.to_string(), v);
        }
    }
    let mut body = None;
    if let Some(spec) = &command.body {
        body = read_body(m)?;
        for member in spec.members {
            let Some(v) = values(m, member).map_err(ArgsError::Invalid)? else {
                continue;
            };
            match body.get_or_insert_with(|| Value::Object(serde_json::Map::new())) {
                Value::Object(map) => {
                    map.insert(member.name.to_string(), v);
                }
                _ => {
                    return Err(invalid(
                        member.name,
                        format!(
                            "--{} sets a member of the body, but the body given is not a JSON object",
                            member.flag
                        ),
                    ));
                }
            }
        }
    }
    let get = |id: &str| -> Option<String> { m.try_get_one::<String>(id).ok().flatten().cloned() };
    let settings = Settings {
        base_url: get("base-url"),
        tenant: get("tenant"),
        region: get("region"),
    };
    let output = match get("output").as_deref() {
        Some("table") => Format::Table,
        _ => Format::Json,
    };
    let flag = |id: &str| {
        m.try_get_one::<bool>(id)
            .ok()
            .flatten()
            .copied()
            .unwrap_or(false)
    };
    let all = flag("all").then(|| {
        m.try_get_one::<NonZeroU32>("page-size")
            .ok()
            .flatten()
            .copied()
    });
    let wait = flag("wait").then(|| {
        let mut polling = Polling::default();
        if let Some(secs) = m.try_get_one::<u64>("wait-timeout").ok().flatten() {
            polling.timeout = Duration::from_secs(*secs);
        }
        if let Some(ms) = m.try_get_one::<u64>("poll-interval").ok().flatten() {
            polling.interval = Duration::from_millis(*ms);
        }
        polling
    });
    Ok(Call {
        api,
        command,
        params,
        body,
        settings,
        output,
        all,
        wait,
        bulk: crate::bulk_args::from_matches(m),
    })
}

/// The [`Invocation`] that parsed `matches` (of [`command`]) describe.
pub fn from_matches(matches: &ArgMatches) -> Result<Invocation, ArgsError> {
    let Some((name, sub)) = matches.subcommand() else {
        return Err(ArgsError::Clap(command().error(
            clap::error::ErrorKind::MissingSubcommand,
            "name an API, completions or sandbox",
        )));
    };
    match name {
        "completions" => {
            let shell = sub
                .get_one::<clap_complete::Shell>("shell")
                .copied()
                .ok_or_else(|| invalid("shell", "completions needs a shell".into()))?;
            Ok(Invocation::Completions(shell))
        }
        "sandbox" => Ok(Invocation::Sandbox(
            idprov_sandbox::cli::Args::from_arg_matches(sub)?,
        )),
        api_name => {
            let api = Api::from_name(api_name)
                .ok_or_else(|| invalid("api", format!("unknown API {api_name:?}")))?;
            let Some((op_name, op)) = sub.subcommand() else {
                return Err(invalid("operation", format!("{api} needs an operation")));
            };
            let command = api.command(op_name).ok_or_else(|| {
                invalid("operation", format!("{api} has no operation {op_name:?}"))
            })?;
            Ok(Invocation::Call(Box::new(call(api, command, op)?)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    include!("../reserved_flags.rs");

    #[test]
    fn every_flag_an_operation_has_besides_its_parameters_and_body_members_is_reserved() {
        // build.rs refuses a spec parameter named like a reserved flag; a flag missing from the list would
        // instead clash at run time (clap panics on a duplicate), so every flag must be in it.
        let root = command();
        for api in Api::ALL {
            let sub = root
                .find_subcommand(api.name())
                .unwrap_or_else(|| panic!("no {api}"));
            for c in api.commands() {
                let cmd = sub
                    .find_subcommand(c.name)
                    .unwrap_or_else(|| panic!("no {}", c.name));
                let own: Vec<&str> = c
                    .params
                    .iter()
                    .chain(c.body.iter().flat_map(|b| b.members.iter()))
                    .map(|p| p.flag)
                    .collect();
                for arg in cmd.get_arguments() {
                    let Some(long) = arg.get_long() else { continue };
                    assert!(
                        own.contains(&long) || RESERVED_FLAGS.contains(&long),
                        "{api} {}: --{long} is the command line's own flag; add it to reserved_flags.rs",
                        c.name
                    );
                }
            }
        }
    }

    #[test]
    fn the_command_tree_is_valid_for_every_api_and_operation() {
        // clap's debug assertions catch duplicate flags (a parameter named like a common flag), bad
        // references in conflicts/requires and bad defaults.
        command().debug_assert();
    }

    #[test]
    fn every_operation_of_every_api_is_a_command_named_after_its_operation_id() {
        let root = command();
        for api in Api::ALL {
            let sub = root
                .find_subcommand(api.name())
                .unwrap_or_else(|| panic!("no {api}"));
            for c in api.commands() {
                assert_eq!(c.name, c.operation_id.replace('_', "-"));
                assert!(sub.find_subcommand(c.name).is_some(), "{api} {}", c.name);
            }
            assert_eq!(sub.get_subcommands().count(), api.commands().len());
        }
    }

    #[test]
    fn flags_become_typed_json_parameters_and_body_members() {
        let parsed = parse([
            "idprov",
            "aveva",
            "list-automation-identities",
            "--tenant-id",
            "t1",
            "--count",
            "5",
            "--tag",
            "a",
            "--tag",
            "b",
        ])
        .map_err(|e| format!("{e:?}"));
        let Ok(Invocation::Call(call)) = parsed else {
            panic!("{parsed:?}")
        };
        assert_eq!(call.params["tenantId"], "t1");
        assert_eq!(call.params["count"], 5);
        assert_eq!(call.params["tag"], serde_json::json!(["a", "b"]));

        let parsed = parse([
            "idprov",
            "seam",
            "get-enrollment-automation",
            "--enrollment-automation-id",
            "x",
        ])
        .map_err(|e| format!("{e:?}"));
        let Ok(Invocation::Call(call)) = parsed else {
            panic!("{parsed:?}")
        };
        assert_eq!(
            call.body,
            Some(serde_json::json!({"enrollment_automation_id": "x"}))
        );
    }

    #[test]
    fn a_number_flag_that_is_not_a_number_is_refused_naming_the_flag() {
        let err = parse([
            "idprov",
            "aveva",
            "list-automation-identities",
            "--tenant-id",
            "t1",
            "--count",
            "five",
        ]);
        match err {
            Err(ArgsError::Invalid(e)) => {
                assert!(
                    e.to_string().contains("--count takes a whole number"),
                    "{e}"
                );
                assert_eq!(e.field(), Some("count"));
            }
            other => panic!("{other:?}"),
        }
    }
}
