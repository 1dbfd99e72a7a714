//! The input file: JSON Lines, one call per line.
//!
//! Each non-blank line is a JSON object with at most two members:
//!
//! ```json
//! {"params": {"tenantId": "8a2b4c6d-0e1f-4a3b-9c5d-7e8f9a0b1c2d"}, "body": {"Name": "build-bot-1"}}
//! ```
//!
//! `params` (an object; absent means none) holds the operation's path, query and header parameters by
//! their spec names; `body` (any JSON; absent or `null` means no body) is the request body. Any other
//! member is refused, naming it, so a typo (`"parmas"`) does not send a call without its parameters.
//! Blank lines and lines that cannot be read are kept with their line number: the results file has a line
//! for each, so nothing is dropped silently.

use std::sync::OnceLock;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// One call of the input: its line number (1-based) and what to send.
///
/// The body is kept as the JSON text the line holds ([`Line::body_raw`]): a caller that knows the
/// operation's request type reads it straight from the text, and a line of a long input costs its
/// text, not a tree of values. [`Line::body`] reads it into a `Value` the first time it is asked.
#[derive(Debug, Clone)]
pub struct Line {
    /// The line's number in the input file, counting from 1.
    pub number: u64,
    /// Path, query and header parameters by their spec names.
    pub params: Map<String, Value>,
    /// The request body's JSON text, if the line has one.
    body: Option<Box<RawValue>>,
    /// `body` read as a `Value`, once asked for.
    value: OnceLock<Option<Value>>,
}

/// Lines are equal when their numbers, parameters and bodies (as JSON values, not as text) are.
impl PartialEq for Line {
    fn eq(&self, other: &Self) -> bool {
        self.number == other.number && self.params == other.params && self.body() == other.body()
    }
}

impl Line {
    /// A line with `params` and `body`.
    pub fn new(number: u64, params: Map<String, Value>, body: Option<Value>) -> Self {
        // A `Value` always serializes (its map keys are strings).
        let raw = body
            .as_ref()
            .and_then(|b| serde_json::value::to_raw_value(b).ok());
        Self {
            number,
            params,
            body: raw,
            value: OnceLock::from(body),
        }
    }

    /// A line whose body is this JSON text (as read from the input).
    pub fn with_raw_body(
        number: u64,
        params: Map<String, Value>,
        body: Option<Box<RawValue>>,
    ) -> Self {
        Self {
            number,
            params,
            body,
            value: OnceLock::new(),
        }
    }

    /// The request body's JSON text, if the line has one.
    pub fn body_raw(&self) -> Option<&RawValue> {
        self.body.as_deref()
    }

    /// The request body as a `Value`, if the line has one (read from its text the first time).
    pub fn body(&self) -> Option<&Value> {
        self.value
            .get_or_init(|| {
                self.body
                    .as_deref()
                    .and_then(|raw| serde_json::from_str(raw.get()).ok())
            })
            .as_ref()
    }

    /// The parameter `name` as text, when it is a string (or a number, written as JSON).
    pub fn param_str(&self, name: &str) -> Option<String> {
        match self.params.get(name)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// The body member at JSON pointer `pointer` (`/Name`), when it is a string.
    pub fn body_str(&self, pointer: &str) -> Option<&str> {
        self.body()?.pointer(pointer)?.as_str()
    }
}

/// What one line of the input is.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// A call to make.
    Call(Line),
    /// An empty or whitespace-only line (its number).
    Blank(u64),
    /// A line that is not a call, its number and why.
    Invalid {
        /// The line's number.
        number: u64,
        /// What is wrong, naming the member and what was expected.
        error: String,
    },
}

impl Entry {
    /// The entry's line number.
    pub fn number(&self) -> u64 {
        match self {
            Self::Call(line) => line.number,
            Self::Blank(number) | Self::Invalid { number, .. } => *number,
        }
    }
}

/// How many entries [`parse`] makes of `text` (one per line, the last one also without its newline),
/// counted without parsing them.
pub fn count_lines(text: &str) -> usize {
    let newlines = text.bytes().filter(|b| *b == b'\n').count();
    newlines + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// Splits `text` into lines and reads each one. A final line without a newline counts; the empty text
/// after a final newline does not. A `\r` before the newline is ignored.
pub fn parse(text: &str) -> Vec<Entry> {
    parse_from(text, 1)
}

/// [`parse`] of a part of an input whose first line is line `first` (1-based) of the whole.
pub fn parse_from(text: &str, first: u64) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut rest = text;
    let mut number: u64 = first.saturating_sub(1);
    while !rest.is_empty() {
        let (raw, next) = match rest.find('\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        rest = next;
        number = number.saturating_add(1);
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        entries.push(parse_line(number, raw));
    }
    entries
}

/// Where line `n + 1` of `text` starts (1-based lines), i.e. the byte after the `n`-th newline, if
/// `text` has more than `n` lines.
pub fn after_lines(text: &str, n: usize) -> Option<usize> {
    if n == 0 {
        return (!text.is_empty()).then_some(0);
    }
    let end = nth_newline(text.as_bytes(), n)?.saturating_add(1);
    (end < text.len()).then_some(end)
}

/// The index of the `n`-th (1-based) newline of `bytes`.
fn nth_newline(bytes: &[u8], n: usize) -> Option<usize> {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(n.checked_sub(1)?)
        .map(|(i, _)| i)
}

/// Reads one line (`number` is its 1-based line number).
pub fn parse_line(number: u64, raw: &str) -> Entry {
    if raw.trim().is_empty() {
        return Entry::Blank(number);
    }
    // The usual line reads straight into its two members; anything else (an unknown member, a
    // `params` that is not an object, a repeated member, not JSON) is read again below as a `Value`,
    // which says what is wrong with it and keeps the last of repeated members, as before.
    // (Only for an object: serde would also read a struct from an array, positionally.)
    if raw.trim_start().starts_with('{')
        && let Ok(line) = serde_json::from_str::<Shape>(raw)
    {
        return Entry::Call(Line::with_raw_body(
            number,
            line.params.unwrap_or_default(),
            line.body,
        ));
    }
    let invalid = |error: String| Entry::Invalid { number, error };
    let value: Value = match serde_json::from_str(raw) {
        Ok(v) => v,
        Err(e) => {
            // serde_json's text ends with the position in this one line: say the column only.
            let text = e.to_string();
            let what = text
                .rsplit_once(" at line ")
                .map_or(text.as_str(), |(w, _)| w);
            return invalid(format!("not JSON (column {}): {what}", e.column()));
        }
    };
    let Value::Object(mut object) = value else {
        return invalid(format!(
            "expected a JSON object {{\"params\": {{...}}, \"body\": ...}}, got {}",
            kind_of(&value)
        ));
    };
    if let Some(unknown) = object.keys().find(|k| *k != "params" && *k != "body") {
        return invalid(format!(
            "unknown member {unknown:?}: a line has only \"params\" (an object) and \"body\""
        ));
    }
    let params = match object.remove("params") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(p)) => p,
        Some(other) => {
            return invalid(format!(
                "\"params\" must be an object of parameter names to values, got {}",
                kind_of(&other)
            ));
        }
    };
    let body = match object.remove("body") {
        None | Some(Value::Null) => None,
        Some(b) => Some(b),
    };
    Entry::Call(Line::new(number, params, body))
}

/// A line of the usual shape: `params` an object (or null or absent), `body` anything.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Shape {
    #[serde(default)]
    params: Option<Map<String, Value>>,
    #[serde(default)]
    body: Option<Box<RawValue>>,
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn count_lines_is_the_number_of_entries_parse_makes() {
        for text in [
            "",
            "\n",
            "{}",
            "{}\n",
            "{}\n\n{}",
            "{}\r\n{}\r\n",
            "\n\n\n",
            "x\n{}\n  ",
        ] {
            assert_eq!(count_lines(text), parse(text).len(), "{text:?}");
        }
    }

    #[test]
    fn a_body_is_kept_as_its_text_and_read_as_a_value_when_asked() {
        let entries = parse("{\"body\": {\"Name\": \"a\", \"n\": [1, 2]} }\n{\"body\": null}");
        let Entry::Call(line) = &entries[0] else {
            panic!("{:?}", entries[0])
        };
        assert_eq!(
            line.body_raw().map(RawValue::get),
            Some("{\"Name\": \"a\", \"n\": [1, 2]}"),
            "the text as written"
        );
        assert_eq!(line.body(), Some(&json!({"Name": "a", "n": [1, 2]})));
        assert_eq!(line.body_str("/Name"), Some("a"));
        let Entry::Call(no_body) = &entries[1] else {
            panic!("{:?}", entries[1])
        };
        assert!(no_body.body_raw().is_none() && no_body.body().is_none());
        let built = Line::new(1, Map::new(), Some(json!({"Name": "a", "n": [1, 2]})));
        assert_eq!(
            built.body_raw().map(RawValue::get),
            Some("{\"Name\":\"a\",\"n\":[1,2]}")
        );
        assert_eq!(built.body(), line.body());
    }

    #[test]
    fn a_text_split_after_n_lines_parses_to_the_same_entries_as_the_whole() {
        let text = "{}\n\n{\"body\": 1}\r\nnot json\n{}";
        for n in 0..=6 {
            match after_lines(text, n) {
                Some(at) => {
                    let mut both = parse(&text[..at]);
                    both.extend(parse_from(&text[at..], u64::try_from(n).unwrap() + 1));
                    assert_eq!(both, parse(text), "split after {n} lines");
                    assert_eq!(count_lines(&text[..at]), n, "{n} lines before the split");
                }
                None => assert!(n >= count_lines(text), "no split after {n} of 5 lines"),
            }
        }
        assert_eq!(after_lines("{}\n", 1), None, "nothing after the last line");
        assert_eq!(after_lines("", 0), None);
    }

    #[test]
    fn every_line_is_kept_with_its_number_blank_and_invalid_ones_too() {
        let text = "{\"params\": {\"tenantId\": \"t\"}, \"body\": {\"Name\": \"a\"}}\n\n   \r\n[1]\n{\"parmas\": {}}\n{\"params\": 3}\nnot json\n{\"body\": null}";
        let entries = parse(text);
        let numbers: Vec<u64> = entries.iter().map(Entry::number).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7, 8]);
        let Entry::Call(first) = &entries[0] else {
            panic!("{:?}", entries[0])
        };
        assert_eq!(first.param_str("tenantId").as_deref(), Some("t"));
        assert_eq!(first.body_str("/Name"), Some("a"));
        assert_eq!(entries[1], Entry::Blank(2));
        assert_eq!(entries[2], Entry::Blank(3));
        let error = |i: usize| match &entries[i] {
            Entry::Invalid { error, .. } => error.clone(),
            other => panic!("line {} read as {other:?}", i + 1),
        };
        assert!(error(3).contains("got an array"), "{}", error(3));
        assert!(error(4).contains("\"parmas\""), "{}", error(4));
        assert!(
            error(5).contains("\"params\" must be an object"),
            "{}",
            error(5)
        );
        assert!(error(6).starts_with("not JSON"), "{}", error(6));
        assert_eq!(entries[7], Entry::Call(Line::new(8, Map::new(), None)));
    }

    #[test]
    fn repeated_members_keep_the_last_and_null_members_are_absent() {
        assert_eq!(
            parse_line(1, r#"{"body": {"a": 1}, "body": {"a": 2}}"#),
            Entry::Call(Line::new(1, Map::new(), Some(json!({"a": 2}))))
        );
        let mut params = Map::new();
        params.insert("tenantId".into(), json!("t2"));
        assert_eq!(
            parse_line(
                2,
                r#"{"params": {"tenantId": "t1"}, "params": {"tenantId": "t2"}}"#
            ),
            Entry::Call(Line::new(2, params, None))
        );
        assert_eq!(
            parse_line(3, r#"{"params": null, "body": null}"#),
            Entry::Call(Line::new(3, Map::new(), None))
        );
        assert_eq!(
            parse_line(4, r#"{"body": [1, "two"]}"#),
            Entry::Call(Line::new(4, Map::new(), Some(json!([1, "two"]))))
        );
        for array in ["[]", r#"[{"tenantId": "t"}, {"Name": "a"}]"#] {
            assert!(
                matches!(parse_line(5, array), Entry::Invalid { ref error, .. } if error.contains("got an array")),
                "an array is not a line, not even one of the right length: {array}"
            );
        }
    }

    #[test]
    fn a_final_newline_adds_no_line_and_crlf_is_accepted() {
        let entries = parse("{\"body\": {\"a\": 1}}\r\n{}\n");
        assert_eq!(entries.len(), 2);
        assert_eq!(
            entries[0],
            Entry::Call(Line::new(1, Map::new(), Some(json!({"a": 1}))))
        );
        assert!(parse("").is_empty());
    }
}
