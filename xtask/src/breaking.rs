//! Which changes of a client's generated surface break its users, read from the surface snapshots (the
//! one-screen summary idprov-codegen writes: one line per operation, one block per type).
//!
//! | change | breaking? |
//! |---|---|
//! | an operation, type, field, enum variant or parameter removed or renamed | yes |
//! | an operation's return type, a parameter's or a field's type changed, a newtype's inner type changed | yes |
//! | a new parameter that is not an `Option` (a builder's `send()` fails until it is set) | yes |
//! | a new field on a type used in a request (users build those with struct literals) | yes |
//! | a new non-`Option` field on a type only answers use (older answers no longer decode) | yes |
//! | a new variant of an enum (generated enums are exhaustive: every `match` on it breaks) | yes |
//! | a new operation, type or optional parameter; a new optional field on a type only answers use | no |
//!
//! Generated structs have public fields and no `#[non_exhaustive]`, so a user can build any of them with a
//! struct literal; a new optional field on an answer type is still not reported, because answers are
//! decoded, not built (a test that builds one by hand needs `..Default::default()`-style care).

use std::collections::{BTreeMap, BTreeSet};

/// One operation line: its parameters (name → type) and its return type.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Operation {
    params: BTreeMap<String, String>,
    returns: String,
}

/// One type block.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Type {
    /// Field name → type.
    Struct(BTreeMap<String, String>),
    /// Variant names.
    Enum(BTreeSet<String>),
    /// The inner type, or the whole block of any other kind.
    Other(String),
}

/// What a surface summary declares.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Surface {
    operations: BTreeMap<String, Operation>,
    types: BTreeMap<String, Type>,
}

/// The breaking changes from the surface summary `old` to `new`, one sentence each, in a stable order.
pub fn breaking_changes(old: &str, new: &str) -> Vec<String> {
    let (old, new) = (parse(old), parse(new));
    let mut out = Vec::new();
    for (name, op) in &old.operations {
        let Some(now) = new.operations.get(name) else {
            out.push(format!("operation {name} removed"));
            continue;
        };
        if op.returns != now.returns {
            out.push(format!(
                "operation {name} returns {} instead of {}",
                now.returns, op.returns
            ));
        }
        for (param, ty) in &op.params {
            match now.params.get(param) {
                None => out.push(format!("operation {name}: parameter {param} removed")),
                Some(t) if t != ty => out.push(format!(
                    "operation {name}: parameter {param} is {t} instead of {ty}"
                )),
                Some(_) => {}
            }
        }
        for (param, ty) in &now.params {
            if !op.params.contains_key(param) && !ty.starts_with("Option<") {
                out.push(format!(
                    "operation {name}: new required parameter {param}: {ty}"
                ));
            }
        }
    }
    let in_requests = request_types(&new);
    for (name, ty) in &old.types {
        let Some(now) = new.types.get(name) else {
            out.push(format!("type {name} removed"));
            continue;
        };
        match (ty, now) {
            (Type::Struct(fields), Type::Struct(now_fields)) => {
                for (field, t) in fields {
                    match now_fields.get(field) {
                        None => out.push(format!("{name}.{field} removed")),
                        Some(n) if n != t => {
                            out.push(format!("{name}.{field} is {n} instead of {t}"))
                        }
                        Some(_) => {}
                    }
                }
                for (field, t) in now_fields {
                    if fields.contains_key(field) {
                        continue;
                    }
                    if in_requests.contains(name) {
                        out.push(format!(
                            "{name}.{field}: {t} added to a type requests use (a struct literal of {name} no longer compiles)"
                        ));
                    } else if !t.starts_with("Option<") {
                        out.push(format!(
                            "{name}.{field}: {t} added as a required field (answers without it no longer decode)"
                        ));
                    }
                }
            }
            (Type::Enum(variants), Type::Enum(now_variants)) => {
                for v in variants.difference(now_variants) {
                    out.push(format!("{name}::{v} removed"));
                }
                for v in now_variants.difference(variants) {
                    out.push(format!(
                        "{name}::{v} added (a match on {name} without a wildcard arm no longer compiles)"
                    ));
                }
            }
            (a, b) if a != b => out.push(format!("type {name} changed shape")),
            _ => {}
        }
    }
    out
}

/// The types a request can contain: the types of operation parameters and everything their fields reach.
fn request_types(s: &Surface) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = s
        .operations
        .values()
        .flat_map(|op| op.params.values())
        .flat_map(|t| type_names(t))
        .collect();
    while let Some(name) = todo.pop() {
        if !s.types.contains_key(&name) || !seen.insert(name.clone()) {
            continue;
        }
        if let Some(Type::Struct(fields)) = s.types.get(&name) {
            todo.extend(fields.values().flat_map(|t| type_names(t)));
        }
        if let Some(Type::Other(inner)) = s.types.get(&name) {
            todo.extend(type_names(inner));
        }
    }
    seen
}

/// The identifiers in a type expression (`Option<Vec<Widget>>` → `Option`, `Vec`, `Widget`).
fn type_names(ty: &str) -> Vec<String> {
    ty.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn parse(text: &str) -> Surface {
    let mut s = Surface::default();
    let mut section = "";
    let mut current: Option<(String, Type)> = None;
    let flush = |s: &mut Surface, current: &mut Option<(String, Type)>| {
        if let Some((name, ty)) = current.take() {
            s.types.insert(name, ty);
        }
    };
    for line in text.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            flush(&mut s, &mut current);
            section = title.split(' ').next().unwrap_or("");
            continue;
        }
        match section {
            "operations" => {
                if let Some((name, op)) = parse_operation(line) {
                    s.operations.insert(name, op);
                }
            }
            "types" => {
                if line.trim().is_empty() {
                    flush(&mut s, &mut current);
                } else if let Some(member) = line.strip_prefix("  ") {
                    match &mut current {
                        Some((_, Type::Struct(fields))) => {
                            if let Some((name, ty)) = member.split_once(": ") {
                                let name = name.split(' ').next().unwrap_or(name);
                                fields.insert(name.to_string(), ty.trim().to_string());
                            }
                        }
                        Some((_, Type::Enum(variants))) => {
                            let variant = member.split([' ', '(']).next().unwrap_or(member);
                            variants.insert(variant.to_string());
                        }
                        Some((_, Type::Other(body))) => {
                            body.push('\n');
                            body.push_str(member);
                        }
                        None => {}
                    }
                } else {
                    flush(&mut s, &mut current);
                    let mut words = line.split_whitespace();
                    let kind = words.next().unwrap_or("");
                    let rest: Vec<&str> = words.collect();
                    let name = rest
                        .first()
                        .map(|n| n.split(['(', '<']).next().unwrap_or(n).to_string())
                        .unwrap_or_default();
                    let ty = match kind {
                        "struct" => Type::Struct(BTreeMap::new()),
                        "enum" => Type::Enum(BTreeSet::new()),
                        _ => Type::Other(line.to_string()),
                    };
                    current = Some((name, ty));
                }
            }
            _ => {}
        }
    }
    flush(&mut s, &mut current);
    s
}

/// `GET /path  name(where p "wire": T, body: B) -> Result<R, E> [errors: ...]`.
fn parse_operation(line: &str) -> Option<(String, Operation)> {
    let (_, call) = line.split_once("  ")?;
    let open = call.find('(')?;
    let name = call[..open].trim().to_string();
    let close = matching_paren(call, open)?;
    let params_text = &call[open + 1..close];
    let returns = call[close + 1..]
        .split(" [errors")
        .next()
        .unwrap_or("")
        .trim()
        .trim_start_matches("->")
        .trim()
        .to_string();
    let mut params = BTreeMap::new();
    for param in split_top_level(params_text) {
        let Some((head, ty)) = param.split_once(": ") else {
            continue;
        };
        // `body`, or `where name "wire"`: the Rust name is the second word.
        let words: Vec<&str> = head.split_whitespace().collect();
        let pname = match words.as_slice() {
            [only] => *only,
            [_, name, ..] => *name,
            [] => continue,
        };
        params.insert(pname.to_string(), ty.trim().to_string());
    }
    Some((name, Operation { params, returns }))
}

fn matching_paren(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices().skip_while(|(i, _)| *i < open) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits at commas outside `<>` and `()`.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(text[start..].trim());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = r#"
## operations (2)
GET /w  list_widgets(query page_size "pageSize": Option<i32>) -> Result<Vec<Widget>, idprov_runtime::Error> [errors: 401]
POST /w  create_widget(body: CreateWidgetRequest) -> Result<Widget, idprov_runtime::Error> [errors: 4XX]

## types (4)

struct CreateWidgetRequest
  name: String

struct Widget
  id: Uuid
  meta: serde_json::Map<String, serde_json::Value>

enum Kind
  Small = "small"

newtype Name(String)
"#;

    fn changed(from: &str, to: &str) -> Vec<String> {
        breaking_changes(OLD, &OLD.replace(from, to))
    }

    #[test]
    fn the_same_surface_breaks_nothing() {
        assert!(breaking_changes(OLD, OLD).is_empty());
    }

    #[test]
    fn removals_and_type_changes_are_breaking() {
        assert_eq!(
            changed("  meta: serde_json::Map<String, serde_json::Value>\n", ""),
            ["Widget.meta removed"]
        );
        assert_eq!(
            changed("  id: Uuid", "  id: String"),
            ["Widget.id is String instead of Uuid"]
        );
        assert_eq!(
            changed("POST /w  create_widget", "POST /w  make_widget"),
            ["operation create_widget removed"]
        );
        assert_eq!(
            changed("Option<i32>)", "Option<i64>)"),
            ["operation list_widgets: parameter page_size is Option<i64> instead of Option<i32>"]
        );
        assert_eq!(
            changed("newtype Name(String)", "newtype Name(u32)"),
            ["type Name changed shape"]
        );
        assert_eq!(
            changed("enum Kind\n  Small = \"small\"\n", ""),
            ["type Kind removed"]
        );
    }

    #[test]
    fn additions_break_only_where_users_build_or_match() {
        // A new optional field of an answer type, a new optional parameter, a new operation: fine.
        assert!(changed("  id: Uuid", "  id: Uuid\n  note: Option<String>").is_empty());
        assert!(
            changed(
                "Option<i32>)",
                "Option<i32>, query tag: Option<Vec<String>>)"
            )
            .is_empty()
        );
        assert!(
            changed(
                "## types",
                "DELETE /w/{id}  delete_widget(path id: Uuid) -> Result<(), idprov_runtime::Error> [errors: 404]\n\n## types"
            )
            .is_empty()
        );
        // A new field of a request type, a new required answer field, a new required parameter, a variant.
        assert_eq!(
            changed("  name: String", "  name: String\n  note: Option<String>"),
            [
                "CreateWidgetRequest.note: Option<String> added to a type requests use (a struct literal of CreateWidgetRequest no longer compiles)"
            ]
        );
        assert_eq!(
            changed("  id: Uuid", "  id: Uuid\n  owner: String"),
            [
                "Widget.owner: String added as a required field (answers without it no longer decode)"
            ]
        );
        assert_eq!(
            changed(
                "(body: CreateWidgetRequest)",
                "(query dry_run: bool, body: CreateWidgetRequest)"
            ),
            ["operation create_widget: new required parameter dry_run: bool"]
        );
        assert_eq!(
            changed(
                "  Small = \"small\"",
                "  Small = \"small\"\n  Large = \"large\""
            ),
            ["Kind::Large added (a match on Kind without a wildcard arm no longer compiles)"]
        );
    }
}
