//! The spec linter, one broken spec per rule: every finding names the file and the JSON pointer.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on unexpected values"
)]
// The helpers fail the test that calls them by panicking, with what was found.
#![allow(clippy::panic)]

use std::path::{Path, PathBuf};

use idprov_codegen::lint::{self, Finding, Rule, Severity};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn lint(name: &str) -> Vec<Finding> {
    match lint::lint_file(&fixture(name)) {
        Ok(findings) => findings,
        Err(e) => panic!("cannot lint {name}: {e}"),
    }
}

/// Asserts that `findings` has one of `rule` at `pointer` whose message names the file and the pointer, and
/// contains `words`; returns its text.
fn expect(findings: &[Finding], file: &str, rule: Rule, pointer: &str, words: &str) -> String {
    let Some(f) = findings
        .iter()
        .find(|f| f.rule == rule && f.pointer == pointer)
    else {
        panic!(
            "no {rule} finding at {pointer} in {file}; found:\n{}",
            findings
                .iter()
                .map(|f| format!("  {f}\n"))
                .collect::<String>()
        );
    };
    let text = f.to_string();
    assert!(
        text.contains(&format!("{file}#{pointer}")),
        "{text:?} does not name {file}#{pointer}"
    );
    assert!(text.contains(words), "{text:?} does not say {words:?}");
    text
}

fn rules(findings: &[Finding]) -> Vec<(Rule, &str)> {
    findings
        .iter()
        .map(|f| (f.rule, f.pointer.as_str()))
        .collect()
}

#[test]
fn a_valid_spec_has_no_findings() {
    let findings = lint("valid.yaml");
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn every_spec_of_the_workspace_lints_without_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "yaml") {
            seen += 1;
            let findings = lint::lint_file(&path).unwrap_or_default();
            let errors: Vec<String> = findings
                .iter()
                .filter(|f| f.is_error())
                .map(ToString::to_string)
                .collect();
            assert!(
                errors.is_empty(),
                "{}:\n{}",
                path.display(),
                errors.join("\n")
            );
        }
    }
    assert!(seen > 0, "no specs found in {}", dir.display());
}

#[test]
fn not_yaml() {
    let findings = lint("not_yaml.yaml");
    expect(
        &findings,
        "not_yaml.yaml",
        Rule::Parse,
        "",
        "not valid YAML",
    );
}

#[test]
fn openapi_version_must_be_3_0() {
    let findings = lint("openapi_3_1.yaml");
    expect(
        &findings,
        "openapi_3_1.yaml",
        Rule::OpenapiVersion,
        "/openapi",
        "\"3.1.0\"",
    );
}

#[test]
fn every_ref_resolves() {
    let findings = lint("unresolved_ref.yaml");
    let f = "unresolved_ref.yaml";
    expect(
        &findings,
        f,
        Rule::UnresolvedRef,
        "/paths/~1things/get/responses/200/content/application~1json/schema/items/$ref",
        "#/components/schemas/Thingy",
    );
    expect(
        &findings,
        f,
        Rule::UnresolvedRef,
        "/components/schemas/CreateThingRequest/allOf/0/properties/kind/$ref",
        "is external",
    );
    assert!(
        findings.iter().all(|x| x.rule == Rule::UnresolvedRef),
        "{findings:#?}"
    );
}

#[test]
fn operation_ids_are_present() {
    let findings = lint("missing_operation_id.yaml");
    expect(
        &findings,
        "missing_operation_id.yaml",
        Rule::OperationId,
        "/paths/~1things/post",
        "operationId is missing",
    );
    assert_eq!(findings.len(), 1, "{findings:#?}");
}

#[test]
fn operation_ids_are_unique() {
    let findings = lint("duplicate_operation_id.yaml");
    let text = expect(
        &findings,
        "duplicate_operation_id.yaml",
        Rule::OperationId,
        "/paths/~1things/post/operationId",
        "\"list_things\"",
    );
    // The message also names the first use.
    assert!(text.contains("/paths/~1things/get"), "{text}");
    assert_eq!(findings.len(), 1, "{findings:#?}");
}

#[test]
fn every_operation_documents_an_error_response() {
    let findings = lint("no_error_responses.yaml");
    expect(
        &findings,
        "no_error_responses.yaml",
        Rule::ErrorResponses,
        "/paths/~1things/post/responses",
        "documents no error response",
    );
    assert_eq!(findings.len(), 1, "{findings:#?}");
}

#[test]
fn servers_are_declared() {
    let findings = lint("no_servers.yaml");
    expect(
        &findings,
        "no_servers.yaml",
        Rule::Servers,
        "/servers",
        "`servers` is missing",
    );
    assert_eq!(findings.len(), 1, "{findings:#?}");
}

#[test]
fn server_variables_have_defaults() {
    let findings = lint("server_variable_without_default.yaml");
    expect(
        &findings,
        "server_variable_without_default.yaml",
        Rule::Servers,
        "/servers/0/url",
        "{tenant}",
    );
    assert_eq!(findings.len(), 1, "{findings:#?}");
}

#[test]
fn security_is_declared() {
    let findings = lint("no_security.yaml");
    let f = "no_security.yaml";
    expect(
        &findings,
        f,
        Rule::Security,
        "/components/securitySchemes",
        "no security schemes",
    );
    expect(
        &findings,
        f,
        Rule::Security,
        "/paths/~1things/get",
        "no security requirement",
    );
    expect(
        &findings,
        f,
        Rule::Security,
        "/paths/~1things/post",
        "no security requirement",
    );
    assert_eq!(findings.len(), 3, "{findings:#?}");
}

#[test]
fn security_requirements_name_declared_schemes() {
    let findings = lint("undeclared_security_scheme.yaml");
    expect(
        &findings,
        "undeclared_security_scheme.yaml",
        Rule::Security,
        "/security/0/api_key",
        "\"api_key\" is not declared",
    );
    assert_eq!(findings.len(), 1, "{findings:#?}");
}

#[test]
fn a_required_header_with_a_default_is_a_warning() {
    let findings = lint("required_header_default.yaml");
    expect(
        &findings,
        "required_header_default.yaml",
        Rule::RequiredHeaderDefault,
        "/paths/~1things/get/parameters/0",
        "X-Experimental",
    );
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].severity(), Severity::Warning);
    assert!(
        findings[0]
            .to_string()
            .starts_with("warning[required-header-default]: ")
    );
    assert!(!lint::has_errors(&findings));
}

#[test]
fn examples_validate_against_their_schemas() {
    let findings = lint("bad_examples.yaml");
    let f = "bad_examples.yaml";
    let op = "/paths/~1things~1{id}/get";
    let ok = format!("{op}/responses/200/content/application~1json/example");
    let cases: Vec<(String, &str)> = vec![
        (
            format!("{op}/parameters/0/example"),
            "\"not-a-uuid\" is not a uuid",
        ),
        (
            format!("{op}/parameters/1/examples/too_big/value"),
            "above the maximum 100",
        ),
        (format!("{ok}/name"), "more than maxLength 20"),
        (format!("{ok}/size"), "expected integer, found number 3.5"),
        (
            format!("{ok}/kind"),
            "\"huge\" is not one of the enum values",
        ),
        (format!("{ok}/tags/1"), "expected string, found number 7"),
        (
            format!("{ok}/created_at"),
            "\"yesterday\" is not a date-time",
        ),
        (format!("{ok}/secret"), "additionalProperties is false"),
        (format!("{ok}/owner"), "not `nullable: true`"),
        (
            format!("{op}/responses/404/headers/X-Request-Id/example"),
            "fewer than minLength 8",
        ),
        (
            format!("{op}/responses/404/content/application~1json/examples/missing_message/value"),
            "the required property \"message\" is missing",
        ),
        (
            "/components/schemas/Thing/properties/count/example".to_string(),
            "below the minimum 0",
        ),
        (
            "/components/schemas/Error/example/code".to_string(),
            "expected string, found number 404",
        ),
    ];
    for (pointer, words) in &cases {
        let text = expect(&findings, f, Rule::Example, pointer, words);
        // The message also names the schema that refused the value.
        assert!(text.contains("the schema at #/"), "{text}");
    }
    assert_eq!(
        findings.len(),
        cases.len(),
        "unexpected findings: {:#?}",
        rules(&findings)
    );
}

#[test]
fn findings_name_the_file_as_given() {
    let text = std::fs::read_to_string(fixture("no_servers.yaml")).unwrap_or_default();
    let findings = lint::lint_str("specs/acme.yaml", &text);
    assert_eq!(findings.len(), 1);
    assert_eq!(
        findings[0].to_string(),
        "error[servers]: specs/acme.yaml#/servers: `servers` is missing; declare the vendor's server URL (it becomes the client's default base URL)"
    );
}
