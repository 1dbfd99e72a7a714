//! What `idprov` writes: JSON on stdout (one document, or JSON Lines for `--all`), a compact table with
//! `--output table`, and errors on stderr with kind, status, vendor code, message and request id.

use std::fmt::Write as _;

use serde_json::Value;

use crate::CallError;

/// `--output`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// JSON: one document, or one line per item for streams.
    #[default]
    Json,
    /// A compact table: one row per item, one column per top-level member.
    Table,
}

/// The longest cell of a table, in characters (longer ones are cut with `…`).
pub const MAX_CELL: usize = 48;

/// One JSON document, pretty-printed, with a final newline.
pub fn document(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    text.push('\n');
    text
}

/// One JSON Lines line (compact), with its newline.
pub fn line(value: &Value) -> String {
    let mut text = value.to_string();
    text.push('\n');
    text
}

/// The rows a value shows as: an array's items; an object's single array-of-objects member (the list
/// inside a list answer, `{"ok": true, "enrollment_automations": [...]}`); else the value itself.
pub fn rows(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(map) => {
            let lists: Vec<&Vec<Value>> = map
                .values()
                .filter_map(Value::as_array)
                .filter(|a| a.iter().all(Value::is_object) && !a.is_empty())
                .collect();
            match lists.as_slice() {
                [only] => only.iter().collect(),
                _ => vec![value],
            }
        }
        other => vec![other],
    }
}

fn cell(value: &Value) -> String {
    let text = match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let text = text.replace(['\n', '\t'], " ");
    if text.chars().count() > MAX_CELL {
        let cut: String = text.chars().take(MAX_CELL.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// A compact table of `rows`: a header of the members found (in order of first appearance), one line per
/// row; a row that is not an object is one `value` cell.
pub fn table(rows: &[&Value]) -> String {
    let mut columns: Vec<String> = Vec::new();
    for row in rows {
        match row {
            Value::Object(map) => {
                for key in map.keys() {
                    if !columns.contains(key) {
                        columns.push(key.clone());
                    }
                }
            }
            _ => {
                if !columns.iter().any(|c| c == "value") {
                    columns.push("value".into());
                }
            }
        }
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .map(|c| match row {
                    Value::Object(map) => map.get(c).map(cell).unwrap_or_default(),
                    other if c == "value" => cell(other),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|r| r.get(i).map_or(0, |s| s.chars().count()))
                .chain([c.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let mut write_row = |values: &[String]| {
        let line: Vec<String> = values
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v:<w$}"))
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
    };
    write_row(&columns.iter().map(|c| c.to_uppercase()).collect::<Vec<_>>());
    for row in &cells {
        write_row(row);
    }
    out
}

/// The error report on stderr: one line saying it all, then one line per thing known about it (kind,
/// status, vendor code, message, request id, operation). Secrets never appear: the runtime redacts every
/// credential in its errors, and the command line holds none of its own.
pub fn error_report(error: &CallError) -> String {
    let mut out = format!("idprov: error: {error}\n");
    match error {
        CallError::Config(_) => {
            let _ = writeln!(out, "  kind: Configuration");
        }
        CallError::Api(e) => {
            let _ = writeln!(out, "  kind: {:?}", e.kind());
            if let Some(status) = e.status() {
                let _ = writeln!(out, "  status: {status}");
            }
            if let Some(code) = e.code() {
                let _ = writeln!(out, "  code: {code}");
            }
            let _ = writeln!(out, "  message: {}", e.message());
            for detail in e.details() {
                let _ = writeln!(out, "  detail: {detail}");
            }
            if let Some(id) = e.request_id() {
                let _ = writeln!(out, "  request id: {id}");
            }
            if let (Some(vendor), Some(op)) = (e.vendor(), e.operation_id()) {
                let _ = writeln!(out, "  operation: {vendor} {op}");
            }
            if let Some(wait) = e.retry_after() {
                let _ = writeln!(out, "  retry after: {} s", wait.as_secs());
            }
        }
        CallError::Invalid { field, .. } => {
            let _ = writeln!(out, "  kind: InvalidUsage");
            let _ = writeln!(out, "  field: {field}");
        }
    }
    out
}

/// How an answer with no body but documented headers shows: its headers as an object (numbers as numbers:
/// `{"Total-Count": 3}`); any other answer shows as its body.
pub fn answer_value(answer: &crate::Answer) -> Value {
    if answer.body.is_null() && !answer.headers.is_empty() {
        let map = answer
            .headers
            .iter()
            .map(|(name, value)| {
                let v = value
                    .trim()
                    .parse::<u64>()
                    .map(Value::from)
                    .unwrap_or_else(|_| Value::String(value.clone()));
                (name.clone(), v)
            })
            .collect();
        return Value::Object(map);
    }
    answer.body.clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_list_answer_shows_its_items_as_rows_with_a_column_per_member() {
        let v = json!({"ok": true, "items": [{"id": "a", "n": 1}, {"id": "b", "extra": null}]});
        let t = table(&rows(&v));
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(
            lines[0].split_whitespace().collect::<Vec<_>>(),
            ["ID", "N", "EXTRA"]
        );
        assert!(lines[1].starts_with("a ") && lines[1].ends_with('1'), "{t}");
        assert_eq!(lines[2].trim_end(), "b");
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn a_long_cell_is_cut_to_the_maximum_width() {
        let long = "x".repeat(100);
        let v = json!([{ "v": long }]);
        let t = table(&rows(&v));
        let row = t.lines().nth(1).unwrap_or_default();
        assert_eq!(row.chars().count(), MAX_CELL);
        assert!(row.ends_with('…'));
    }

    #[test]
    fn an_empty_answer_with_documented_headers_shows_them_with_numbers_as_numbers() {
        let a = crate::Answer {
            body: Value::Null,
            headers: vec![("Total-Count".into(), "3".into())],
        };
        assert_eq!(answer_value(&a), json!({"Total-Count": 3}));
        let empty = crate::Answer {
            body: Value::Null,
            headers: vec![],
        };
        assert_eq!(answer_value(&empty), Value::Null);
    }
}
