//! The JSON form of a spec: what a client crate's build script reads, so that a user's build compiles no
//! YAML parser (serde_norway and unsafe-libyaml-norway, about 3 CPU-seconds of a clean build).
//!
//! `cargo xtask codegen` writes `crates/<api>/<api>.json` from `specs/<api>.yaml` ([`from_yaml`]) and
//! `--check` fails when it is stale; nobody edits it. It is the YAML document as JSON (keys sorted, as
//! [`crate::load`] has always handed them to progenitor, so the generated code is the same token for
//! token), plus one top-level extension, [`SPEC_SHA256_KEY`]: the SHA-256 of the YAML file's bytes it was
//! made from. The build script hashes the crate's YAML file (reading its bytes, parsing nothing) and
//! refuses a JSON form made from other bytes ([`crate::CodegenError::StaleJson`]), so an edited spec never
//! builds into a client silently generated from the old one; the generated header's `spec sha256` stays
//! the hash of the YAML file a person edits. The extension is removed before generation.

use crate::CodegenError;

/// The top-level extension holding the hex SHA-256 of the YAML bytes the JSON form was made from.
pub const SPEC_SHA256_KEY: &str = "x-idprov-spec-sha256";

/// The JSON form's file name for a spec file name: `seam.yaml` → `seam.json`.
pub fn file_name(spec: &str) -> String {
    let stem = spec
        .strip_suffix(".yaml")
        .or_else(|| spec.strip_suffix(".yml"))
        .unwrap_or(spec);
    format!("{stem}.json")
}

/// The JSON form of the YAML spec `yaml` (named `spec_name` in errors): pretty-printed, keys sorted, ending
/// in a newline, with [`SPEC_SHA256_KEY`] set to the hash of `yaml`'s bytes.
#[cfg(feature = "yaml")]
pub fn from_yaml(spec_name: &str, yaml: &str) -> Result<String, CodegenError> {
    let mut value = crate::load::parse_value(spec_name, yaml)?;
    let Some(object) = value.as_object_mut() else {
        return Err(CodegenError::Parse {
            spec: spec_name.to_string(),
            message: "the document is not a mapping".to_string(),
        });
    };
    if object.contains_key(SPEC_SHA256_KEY) {
        return Err(CodegenError::Unsupported {
            spec: spec_name.to_string(),
            pointer: format!("/{SPEC_SHA256_KEY}"),
            message: format!("{SPEC_SHA256_KEY} is idprov-codegen's own; the spec must not set it"),
        });
    }
    object.insert(
        SPEC_SHA256_KEY.to_string(),
        serde_json::Value::String(crate::sha256_hex(yaml.as_bytes())),
    );
    let mut text = serde_json::to_string_pretty(&value).map_err(|e| CodegenError::Internal {
        what: format!("cannot write the JSON form of {spec_name}: {e}"),
    })?;
    text.push('\n');
    Ok(text)
}

/// Reads the JSON form `json` of the spec named `spec_name` whose YAML bytes are `spec_bytes`: the document
/// (without [`SPEC_SHA256_KEY`]) and the hash of `spec_bytes`. Fails when the form was made from other bytes.
pub fn read(
    spec_name: &str,
    spec_bytes: &[u8],
    json: &str,
) -> Result<(serde_json::Value, String), CodegenError> {
    let json_name = file_name(spec_name);
    let mut value = crate::load::parse_json(&json_name, json)?;
    let recorded = value
        .as_object_mut()
        .and_then(|o| o.remove(SPEC_SHA256_KEY))
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let actual = crate::sha256_hex(spec_bytes);
    if recorded != actual {
        return Err(CodegenError::StaleJson {
            spec: spec_name.to_string(),
            json: json_name,
            recorded,
            actual,
        });
    }
    Ok((value, actual))
}

#[cfg(test)]
#[cfg(feature = "yaml")]
mod tests {
    use super::*;

    const YAML: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n";

    #[test]
    fn round_trips_and_records_the_yaml_hash() {
        let json = from_yaml("t.yaml", YAML).unwrap();
        assert!(json.ends_with("}\n"));
        let (value, sha) = read("t.yaml", YAML.as_bytes(), &json).unwrap();
        assert_eq!(sha, crate::sha256_hex(YAML.as_bytes()));
        assert_eq!(value, crate::load::parse_value("t.yaml", YAML).unwrap());
    }

    #[test]
    fn refuses_a_form_of_other_bytes_or_without_the_hash() {
        let json = from_yaml("t.yaml", YAML).unwrap();
        let edited = YAML.replace("T", "U");
        let err = read("t.yaml", edited.as_bytes(), &json).unwrap_err();
        assert!(matches!(err, CodegenError::StaleJson { .. }), "{err}");
        assert!(err.to_string().contains("cargo xtask codegen"), "{err}");
        let bare =
            serde_json::to_string(&crate::load::parse_value("t.yaml", YAML).unwrap()).unwrap();
        assert!(matches!(
            read("t.yaml", YAML.as_bytes(), &bare),
            Err(CodegenError::StaleJson { .. })
        ));
    }

    #[test]
    fn refuses_a_spec_that_sets_the_key() {
        let yaml = format!("{YAML}{SPEC_SHA256_KEY}: x\n");
        assert!(matches!(
            from_yaml("t.yaml", &yaml),
            Err(CodegenError::Unsupported { .. })
        ));
    }

    #[test]
    fn names_the_file() {
        assert_eq!(file_name("seam.yaml"), "seam.json");
        assert_eq!(file_name("a.yml"), "a.json");
    }
}
