//! What the generated command tables are made of (`$OUT_DIR/cli_<api>.rs`, written by build.rs through
//! idprov-codegen's `cli_table`), and the helpers their `build_*`/`invoke` functions call: a parameter or
//! body deserialized into the client's own Rust type, or refused naming the field.

use serde::de::DeserializeOwned;
use serde_json::Value;

pub use crate::CallError;

/// An operation's parameters by the spec's names (`tenantId`, `limit`), as JSON values.
pub type Params = serde_json::Map<String, Value>;

/// One operation of an API, as the command line offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command {
    /// The spec's operationId (`list_automation_identities`).
    pub operation_id: &'static str,
    /// The command name: the operation id in kebab case (`list-automation-identities`).
    pub name: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template.
    pub path: &'static str,
    /// The spec's summary (the command's one-line help).
    pub summary: &'static str,
    /// The spec's description (the command's long help).
    pub description: &'static str,
    /// The parameters the client's builder takes (credential headers and headers the runtime fills are
    /// not among them).
    pub params: &'static [Param],
    /// The request body, if the operation takes one.
    pub body: Option<Body>,
    /// The headers the spec documents on a success answer (AVEVA's `Total-Count`).
    pub response_headers: &'static [&'static str],
}

impl Command {
    /// The parameter named `name` (the spec's name).
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// One parameter of an operation, or one member of its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The spec's name (`tenantId`).
    pub name: &'static str,
    /// Its flag, without the dashes (`tenant-id`).
    pub flag: &'static str,
    /// Where it goes.
    pub location: Location,
    /// Whether the spec requires it.
    pub required: bool,
    /// What kind of value it takes.
    pub kind: Kind,
    /// The values the spec allows, when it lists them.
    pub values: &'static [&'static str],
    /// The spec's description.
    pub description: &'static str,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A path segment.
    Path,
    /// The query.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
    /// A top-level member of the JSON body (a flag that fills `--body`).
    Body,
}

/// The kind of value a parameter takes, which says how a flag's text becomes JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text, as given.
    String,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A list of texts: the flag repeated (`--tag a --tag b`).
    StringList,
    /// Anything else, given as JSON.
    Json,
}

/// The request body of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Body {
    /// Whether the spec requires it.
    pub required: bool,
    /// The client's Rust type for it (`types :: LaunchEnrollmentAutomationRequest`).
    pub type_name: &'static str,
    /// The spec's description of it.
    pub description: &'static str,
    /// Its top-level members that are offered as flags.
    pub members: &'static [Param],
}

/// A call's answer: the body as JSON (`Value::Null` when it has none) and the documented headers it
/// carried.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The body, as JSON; `Value::Null` for an empty answer.
    pub body: Value,
    /// The documented headers present on the answer (name as the spec writes it, value).
    pub headers: Vec<(String, String)>,
}

/// Refuses a parameter `operation` does not have, naming it and listing those it has.
pub fn check_params(
    operation: &str,
    params: &Params,
    commands: &[Command],
) -> Result<(), CallError> {
    let Some(command) = commands.iter().find(|c| c.operation_id == operation) else {
        return Err(CallError::unknown_operation(operation, commands));
    };
    for name in params.keys() {
        if command.param(name).is_none() {
            let known: Vec<&str> = command.params.iter().map(|p| p.name).collect();
            return Err(CallError::Invalid {
                field: name.clone(),
                message: if known.is_empty() {
                    format!("{operation} takes no parameters")
                } else {
                    format!(
                        "{operation} has no parameter {name:?}; it takes {}",
                        known.join(", ")
                    )
                },
            });
        }
    }
    Ok(())
}

/// Parameter `name` (flag `flag`) of `params`, as the setter's type `T`. A JSON value is taken as it is;
/// a string given for a non-string type (`"5"` for an integer) is read as JSON.
pub fn param<T: DeserializeOwned>(
    params: &Params,
    name: &str,
    flag: &str,
) -> Result<Option<T>, CallError> {
    let Some(value) = params.get(name) else {
        return Ok(None);
    };
    if value.is_null() {
        return Ok(None);
    }
    match serde_json::from_value::<T>(value.clone()) {
        Ok(v) => Ok(Some(v)),
        Err(first) => {
            if let Value::String(text) = value
                && let Ok(v) = serde_json::from_str::<T>(text)
            {
                return Ok(Some(v));
            }
            Err(CallError::Invalid {
                field: name.to_string(),
                message: format!("parameter {name} (--{flag}): {first}"),
            })
        }
    }
}

/// The request body as the client's type `T`, or an error naming the member that does not fit
/// (`body.user_identity_id`).
pub fn body<T: DeserializeOwned>(value: Value) -> Result<T, CallError> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." || path.is_empty() {
            "body".to_string()
        } else {
            format!("body.{path}")
        };
        CallError::Invalid {
            message: format!("{field}: {}", e.inner()),
            field,
        }
    })
}

/// The answer of a call as JSON, with the documented headers in `documented` that it carried.
pub fn answer<T: serde::Serialize>(
    result: Result<progenitor_client::ResponseValue<T>, idprov_runtime::Error>,
    documented: &[&str],
) -> Result<Answer, CallError> {
    let answer = result.map_err(CallError::Api)?;
    let headers = documented
        .iter()
        .filter_map(|name| {
            let value = answer.headers().get(*name)?.to_str().ok()?;
            Some(((*name).to_string(), value.to_string()))
        })
        .collect();
    let body = serde_json::to_value(answer.into_inner()).map_err(|e| CallError::Invalid {
        field: "answer".into(),
        message: format!("the answer could not be shown as JSON: {e}"),
    })?;
    Ok(Answer { body, headers })
}
