//! What became of each input line ([`LineResult`]), as the journal records it and the results file shows
//! it, and the run's [`Summary`].

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::caller::Failure;

/// What became of one input line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum LineResult {
    /// The call succeeded (or, after a crash, a lookup found what it created).
    Ok {
        /// The id of what the call created or addressed, read from the answer (see [`crate::operations`]).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// The line's answer was lost in a crash and a lookup found its effect.
        #[serde(default, skip_serializing_if = "is_false")]
        found_by_lookup: bool,
        /// How many attempts were sent (0 when found by lookup).
        #[serde(default)]
        attempts: u32,
    },
    /// The call failed.
    Failed {
        /// The error's kind (`Validation`, `Conflict`, `RateLimited`, ...).
        kind: String,
        /// The HTTP status, when there was an answer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        http_status: Option<u16>,
        /// The vendor's error code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        /// The error's one-line description.
        message: String,
        /// The vendor's request id, to quote to its support.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        request_id: Option<String>,
        /// Whether the server may have acted all the same (a 5xx or broken connection after sending).
        may_have_acted: bool,
        /// How many attempts were sent.
        #[serde(default)]
        attempts: u32,
    },
    /// The line was sent before a crash and its effect cannot be told: `check` says what to look for.
    Unknown {
        /// What to look for, naming the item.
        check: String,
    },
    /// The input line is not a call (it is never sent).
    Invalid {
        /// What is wrong with it.
        error: String,
    },
    /// The input line is blank (nothing to send).
    Blank,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl LineResult {
    /// The result of a call that failed with `failure` after `attempts` attempts.
    pub fn failed(failure: &Failure, attempts: u32) -> Self {
        Self::Failed {
            kind: format!("{:?}", failure.kind),
            http_status: failure.status,
            code: failure.code.clone(),
            message: failure.message.clone(),
            request_id: failure.request_id.clone(),
            may_have_acted: failure.may_have_acted,
            attempts,
        }
    }

    /// Whether the line counts as a failure of the run (failed, invalid or unknown).
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            Self::Failed { .. } | Self::Invalid { .. } | Self::Unknown { .. }
        )
    }
}

/// One line of the results file: the input line number and its result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultLine {
    /// The input line number.
    pub line: u64,
    /// What became of it.
    #[serde(flatten)]
    pub result: LineResult,
}

impl ResultLine {
    /// Writes the JSON of the [`ResultLine`] of `line` and `result` (the same text as serializing a
    /// `ResultLine`), and a newline, to `out`. serde writes a flattened member by first buffering it
    /// into a map of values; this writes the result on its own into `scratch` and puts the line number
    /// in front of its members.
    ///
    /// # Errors
    ///
    /// When `out` cannot be written.
    pub fn write_json(
        out: &mut impl std::io::Write,
        line: u64,
        result: &LineResult,
        scratch: &mut Vec<u8>,
    ) -> std::io::Result<()> {
        scratch.clear();
        serde_json::to_writer(&mut *scratch, result).map_err(std::io::Error::other)?;
        // `{"status":…}`: every result has at least its status, so its members follow a comma.
        let members = scratch.strip_prefix(b"{").unwrap_or(scratch);
        write!(out, "{{\"line\":{line}")?;
        if members.first() != Some(&b'}') {
            out.write_all(b",")?;
        }
        out.write_all(members)?;
        out.write_all(b"\n")
    }
}

/// The counts of a run, over every input line (those done by earlier runs of a resumed one included).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Input lines.
    pub lines: u64,
    /// Lines that succeeded.
    pub ok: u64,
    /// Of `ok`: found by a lookup after a crash.
    pub found_by_lookup: u64,
    /// Lines that failed.
    pub failed: u64,
    /// Lines whose effect is unknown (see their `check`).
    pub unknown: u64,
    /// Lines that are not calls.
    pub invalid: u64,
    /// Blank lines.
    pub blank: u64,
    /// Lines done by an earlier run, skipped by this one.
    pub from_earlier_runs: u64,
    /// Rate-limited answers this run got (each paused every worker).
    pub rate_limited: u64,
    /// Requests this run sent (retries included).
    pub requests: u64,
}

impl Summary {
    /// Counts `results`; `from_earlier_runs` lines were skipped as already done.
    pub fn of(results: &BTreeMap<u64, LineResult>) -> Self {
        let mut s = Self {
            lines: u64::try_from(results.len()).unwrap_or(u64::MAX),
            ..Self::default()
        };
        for r in results.values() {
            match r {
                LineResult::Ok {
                    found_by_lookup, ..
                } => {
                    s.ok += 1;
                    s.found_by_lookup += u64::from(*found_by_lookup);
                }
                LineResult::Failed { .. } => s.failed += 1,
                LineResult::Unknown { .. } => s.unknown += 1,
                LineResult::Invalid { .. } => s.invalid += 1,
                LineResult::Blank => s.blank += 1,
            }
        }
        s
    }

    /// Whether every line that is a call succeeded (blank lines do not count).
    pub fn succeeded(&self) -> bool {
        self.failed == 0 && self.unknown == 0 && self.invalid == 0
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} lines: {} ok", self.lines, self.ok)?;
        if self.found_by_lookup > 0 {
            write!(
                f,
                " ({} found by lookup after a crash)",
                self.found_by_lookup
            )?;
        }
        write!(f, ", {} failed", self.failed)?;
        if self.unknown > 0 {
            write!(f, ", {} unknown — check", self.unknown)?;
        }
        if self.invalid > 0 {
            write!(f, ", {} invalid", self.invalid)?;
        }
        if self.blank > 0 {
            write!(f, ", {} blank", self.blank)?;
        }
        if self.from_earlier_runs > 0 {
            write!(f, "; {} done by an earlier run", self.from_earlier_runs)?;
        }
        write!(f, "; {} requests sent", self.requests)?;
        if self.rate_limited > 0 {
            write!(f, ", {} rate-limited", self.rate_limited)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_line_is_flat_json_with_the_line_number_and_status() {
        let line = ResultLine {
            line: 7,
            result: LineResult::Ok {
                id: Some("abc".into()),
                found_by_lookup: false,
                attempts: 2,
            },
        };
        let text = serde_json::to_string(&line).unwrap();
        assert_eq!(text, r#"{"line":7,"status":"ok","id":"abc","attempts":2}"#);
        assert_eq!(serde_json::from_str::<ResultLine>(&text).unwrap(), line);
    }

    #[test]
    fn write_json_writes_what_serde_writes_for_a_result_line_of_every_kind() {
        let results = [
            LineResult::Ok {
                id: Some("ea-\"1\"".into()),
                found_by_lookup: true,
                attempts: 0,
            },
            LineResult::Ok {
                id: None,
                found_by_lookup: false,
                attempts: 3,
            },
            LineResult::Failed {
                kind: "Conflict".into(),
                http_status: Some(409),
                code: Some("exists".into()),
                message: "already there\n(é)".into(),
                request_id: Some("r-1".into()),
                may_have_acted: false,
                attempts: 1,
            },
            LineResult::Failed {
                kind: "Transport".into(),
                http_status: None,
                code: None,
                message: "reset".into(),
                request_id: None,
                may_have_acted: true,
                attempts: 2,
            },
            LineResult::Unknown {
                check: "look for x".into(),
            },
            LineResult::Invalid {
                error: "\"prams\" is not a member".into(),
            },
            LineResult::Blank,
        ];
        let mut scratch = Vec::new();
        for (i, result) in results.into_iter().enumerate() {
            let line = u64::MAX - u64::try_from(i).unwrap();
            let mut out = Vec::new();
            ResultLine::write_json(&mut out, line, &result, &mut scratch).unwrap();
            let expected = serde_json::to_string(&ResultLine { line, result }).unwrap() + "\n";
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
    }

    #[test]
    fn the_summary_fails_on_failed_unknown_or_invalid_lines_but_not_blank_ones() {
        let mut results = BTreeMap::new();
        results.insert(1, LineResult::Blank);
        results.insert(
            2,
            LineResult::Ok {
                id: None,
                found_by_lookup: true,
                attempts: 0,
            },
        );
        let s = Summary::of(&results);
        assert!(s.succeeded(), "{s}");
        assert_eq!((s.lines, s.ok, s.found_by_lookup, s.blank), (2, 1, 1, 1));
        results.insert(
            3,
            LineResult::Unknown {
                check: "look".into(),
            },
        );
        let s = Summary::of(&results);
        assert!(!s.succeeded());
        assert!(s.to_string().contains("1 unknown — check"), "{s}");
    }
}
