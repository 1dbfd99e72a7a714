//! Snapshot files in insta's format (`.snap`: a YAML header between `---` lines, then the contents), so
//! `cargo insta` can show them and review `.snap.new` files written with `INSTA_UPDATE=new`.

use std::fmt::Write as _;

/// One snapshot as written to disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The file that writes it, relative to the workspace (insta's `source`).
    pub source: String,
    /// A one-line human description (insta's `description`).
    pub description: String,
    /// The call that produced the contents (insta's `expression`).
    pub expression: String,
    /// The spec, relative to the workspace (insta's `input_file`, and `info.spec`).
    pub spec: String,
    /// Hex SHA-256 of the spec's bytes (`info.spec_sha256`).
    pub spec_sha256: String,
    /// The progenitor version (`info.progenitor`).
    pub progenitor: String,
    /// The snapshot contents.
    pub contents: String,
}

impl Snapshot {
    /// The file text: insta's metadata header, then the contents with trailing whitespace trimmed and one
    /// final newline (insta compares contents trimmed at the end).
    pub fn to_file_string(&self) -> String {
        let mut out = String::from("---\n");
        let _ = writeln!(out, "source: {}", yaml_scalar(&self.source));
        let _ = writeln!(out, "description: {}", yaml_scalar(&self.description));
        let _ = writeln!(out, "expression: {}", yaml_scalar(&self.expression));
        out.push_str("info:\n");
        let _ = writeln!(out, "  spec: {}", yaml_scalar(&self.spec));
        let _ = writeln!(out, "  spec_sha256: {}", yaml_scalar(&self.spec_sha256));
        let _ = writeln!(out, "  progenitor: {}", yaml_scalar(&self.progenitor));
        let _ = writeln!(out, "input_file: {}", yaml_scalar(&self.spec));
        out.push_str("---\n");
        out.push_str(self.contents.replace("\r\n", "\n").trim_end());
        out.push('\n');
        out
    }
}

/// The contents of a snapshot file (what follows its header), if it has insta's layout.
pub fn contents_of(file: &str) -> Option<&str> {
    let rest = file.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    Some(&rest[end + "\n---\n".len()..])
}

/// A YAML scalar: plain when that is unambiguous, else double-quoted (JSON escaping is valid YAML).
fn yaml_scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || " /._-()".contains(c))
        && !s.starts_with([' ', '-', '.'])
        && !s.ends_with(' ')
        && !s.chars().all(|c| c.is_ascii_digit() || c == '.');
    if plain {
        s.to_string()
    } else {
        serde_json::Value::String(s.to_string()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_quoted_when_needed() {
        assert_eq!(yaml_scalar("xtask/src/codegen.rs"), "xtask/src/codegen.rs");
        assert_eq!(yaml_scalar("0.15.1"), "\"0.15.1\"");
        assert_eq!(yaml_scalar("a: b"), "\"a: b\"");
        assert_eq!(yaml_scalar("f(\"x\")"), "\"f(\\\"x\\\")\"");
    }

    #[test]
    fn contents_round_trip() {
        let s = Snapshot {
            source: "xtask/src/codegen.rs".into(),
            description: "d".into(),
            expression: "e".into(),
            spec: "specs/x.yaml".into(),
            spec_sha256: "ab".into(),
            progenitor: "0.15.1".into(),
            contents: "line 1\nline 2\n\n".into(),
        };
        assert_eq!(contents_of(&s.to_file_string()), Some("line 1\nline 2\n"));
    }
}
