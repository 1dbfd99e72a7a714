//! The surface summary of small fixture specs, line by line.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on unexpected values"
)]

use std::path::Path;

fn summary(fixture: &str) -> String {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    match idprov_codegen::generate_file(&spec) {
        Ok(g) => {
            idprov_codegen::surface::summarize(&g).unwrap_or_else(|e| format!("surface error: {e}"))
        }
        Err(e) => format!("generation error: {e}"),
    }
}

/// The summary without its three header lines (spec, hash, progenitor).
fn body(fixture: &str) -> String {
    let s = summary(fixture);
    let mut lines = s.lines();
    assert_eq!(
        lines.next(),
        Some(format!("# surface of {fixture}").as_str()),
        "{s}"
    );
    assert!(
        lines
            .next()
            .is_some_and(|l| l.starts_with("# spec sha256: ")),
        "{s}"
    );
    assert_eq!(lines.next(), Some("# progenitor: 0.15.1"), "{s}");
    lines.map(|l| format!("{l}\n")).collect()
}

#[test]
fn operations_rewrites_and_types() {
    assert_eq!(
        body("valid.yaml"),
        r#"
## operations (2)
GET /things  list_things(query limit: Option<NonZeroU64>) -> Result<Vec<Thing>, idprov_runtime::Error> [errors: 4XX]
POST /things  create_thing(body: CreateThingRequest) -> Result<Thing, idprov_runtime::Error> [errors: default]

## in-memory rewrites (2)
list_things: error responses 4XX are decoded by idprov-runtime (one error type for every status)
create_thing: error responses default are decoded by idprov-runtime (one error type for every status)

## types (5)

struct CreateThingRequest
  kind: Option<Kind>
  name: String

struct Error
  code: Option<String>
  message: String

enum Kind
  Small = "small"
  Large = "large"

struct Thing (deny_unknown_fields)
  created_at: Option<DateTime<Utc>>
  id: Uuid
  kind: Option<Kind>
  name: ThingName
  note: Option<String>

newtype ThingName(String)
"#
    );
}

#[test]
fn parameters_say_where_they_go_and_their_wire_names() {
    let body = body("surface.yaml");
    let expected_ops = r#"
## operations (2)
GET /things/{thingId}/parts  list_parts(path thing_id "thingId": String, query page_size "pageSize": Option<i32>, header x_trace_id "X-Trace-Id": Option<String>) -> Result<Vec<Part>, idprov_runtime::Error> [errors: 404]
DELETE /things/{thingId}/parts  delete_parts(path thing_id "thingId": String) -> Result<(), idprov_runtime::Error> [errors: 4XX]
"#;
    assert!(body.starts_with(expected_ops), "{body}");
    let expected_part = r#"
struct Part
  labels: HashMap<String, String>
  part_id "partId": String
  type_ "type": Option<PartType>

enum PartType
  Bolt = "bolt"
  Nut = "nut"
"#;
    assert!(body.contains(expected_part), "{body}");
}
