//! Path parameters: checked before the URL is made, then written straight into the URL being formatted,
//! percent-encoded on the way.
//!
//! **Checks.** A path parameter must address the resource it names. idprov-codegen inserts, in every
//! generated `send()`, a [`check_segment`] call per path parameter before the URL is formatted, so these are
//! refused before anything is sent, as an `InvalidRequest` naming the builder field:
//!
//! - an empty value, `.` and `..`: the URL parser collapses them (`/Tenants//AutomationIdentities/..` is
//!   `/Tenants/`), so the request would reach another resource;
//! - a value over [`MAX_SEGMENT_LEN`] bytes (before escaping; escaped it can be three times as long): servers
//!   refuse URLs of some kilobytes, usually by closing the connection, which would read as a transport error
//!   naming no field.
//!
//! UUID parameters are not checked: a `uuid::Uuid` always displays as 36 hex digits and dashes.
//!
//! **Encoding.** Every other value arrives as exactly one segment that percent-decodes to the value. The
//! generated code formats each request URL with `format!`; progenitor passes every path parameter through
//! `encode_path(&value.to_string())`, which makes two `String`s per parameter. idprov-codegen replaces that
//! with one of the wrappers here, chosen by the parameter's type, each writing into the URL's own buffer:
//! [`StrSegment`] for strings, [`Unreserved`] for UUIDs, [`Segment`] for anything else. They escape what
//! `encode_path` escapes and also `\`, which `encode_path` leaves as it is and the URL parser reads as `/`
//! (so `..\..\x` climbed out of the path).

use std::fmt;

use percent_encoding::{AsciiSet, CONTROLS};

/// The longest path parameter value sent, in bytes before escaping; a longer one is refused naming the
/// parameter. 2048 bytes escape to at most 6 KiB, which stays within the 8 KiB request line most servers
/// and proxies accept.
pub const MAX_SEGMENT_LEN: usize = 2048;

/// Checks the value of path parameter `name` (the builder field) before it is formatted into a URL: an
/// empty value, `.`, `..` and a value over [`MAX_SEGMENT_LEN`] bytes are refused with a message naming
/// `name`.
pub fn check_segment(name: &str, value: &str) -> Result<(), String> {
    verdict(name, value.len(), Prefix::of(value))
}

/// [`check_segment`] for a parameter of any other displayable type, without allocating its text.
pub fn check_display_segment<T: fmt::Display + ?Sized>(
    name: &str,
    value: &T,
) -> Result<(), String> {
    let mut measure = Measure::default();
    // `Measure` never fails; a `Display` that fails leaves what it wrote so far to be checked.
    let _ = fmt::write(&mut measure, format_args!("{value}"));
    verdict(name, measure.len, measure.prefix)
}

/// What the check needs to know of the value's start: whether it is empty, `.` or `..` when it is that short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Prefix {
    bytes: [u8; 2],
    len: usize,
}

impl Prefix {
    fn of(s: &str) -> Self {
        let mut p = Self::default();
        p.push(s);
        p
    }

    fn push(&mut self, s: &str) {
        for &b in s.as_bytes() {
            if self.len >= self.bytes.len() {
                return;
            }
            self.bytes[self.len] = b;
            self.len += 1;
        }
    }
}

#[derive(Default)]
struct Measure {
    len: usize,
    prefix: Prefix,
}

impl fmt::Write for Measure {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.len = self.len.saturating_add(s.len());
        self.prefix.push(s);
        Ok(())
    }
}

fn verdict(name: &str, len: usize, prefix: Prefix) -> Result<(), String> {
    match (len, &prefix.bytes[..prefix.len.min(len)]) {
        (0, _) => Err(format!(
            "path parameter {name} is empty, which would address another resource"
        )),
        (1, b".") | (2, b"..") => Err(format!(
            "path parameter {name} is {:?}, which would address another resource",
            if len == 1 { "." } else { ".." }
        )),
        _ if len > MAX_SEGMENT_LEN => Err(format!(
            "path parameter {name} is {len} bytes long, over the {MAX_SEGMENT_LEN} sent"
        )),
        _ => Ok(()),
    }
}

/// The characters escaped in a path segment: progenitor 0.15.1's `encode_path` set (its `PATH_SET`, the
/// WHATWG path-segment set plus `/` and `%`, so a value can never add a path segment), and `\`, which the
/// URL parser reads as `/` in http(s) URLs.
const PATH_SET: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%')
    .add(b'\\');

/// RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) as a lookup table.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~');
        b += 1;
    }
    table
};

/// A path parameter that displays percent-encoded (see the module docs of `path`).
#[derive(Debug, Clone, Copy)]
pub struct Segment<'a, T: fmt::Display + ?Sized>(pub &'a T);

impl<T: fmt::Display + ?Sized> fmt::Display for Segment<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::write(&mut Encoder(f), format_args!("{}", self.0))
    }
}

/// A string path parameter that displays percent-encoded, without going through the formatting machinery.
#[derive(Debug, Clone, Copy)]
pub struct StrSegment<'a>(pub &'a ::std::string::String);

impl fmt::Display for StrSegment<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Write::write_str(&mut Encoder(f), self.0)
    }
}

/// A path parameter whose text needs no escaping (a UUID: hex digits and `-`, all unreserved), which
/// idprov-codegen uses only for `uuid::Uuid` parameters, and so does not check with [`check_segment`].
/// Its text still goes through the same encoder (one pass over the bytes finds nothing to escape), so a
/// type that displayed a `\`, `/` or `%` would still be one escaped segment.
#[derive(Debug, Clone, Copy)]
pub struct Unreserved<'a, T: fmt::Display + ?Sized>(pub &'a T);

impl<T: fmt::Display + ?Sized> fmt::Display for Unreserved<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::write(&mut Encoder(f), format_args!("{}", self.0))
    }
}

/// Percent-encodes whatever is written through it into the formatter underneath. Encoding is per byte,
/// so encoding the pieces one by one gives the same bytes as encoding the whole.
struct Encoder<'a, 'b>(&'a mut fmt::Formatter<'b>);

impl fmt::Write for Encoder<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        // Ids are almost always made of unreserved characters, which PATH_SET never escapes: one pass
        // over the bytes, then one write.
        if s.bytes().all(|b| UNRESERVED[usize::from(b)]) {
            return self.0.write_str(s);
        }
        for chunk in percent_encoding::utf8_percent_encode(s, PATH_SET) {
            self.0.write_str(chunk)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{
        MAX_SEGMENT_LEN, Segment, StrSegment, Unreserved, check_display_segment, check_segment,
    };
    use proptest::prelude::*;

    /// The segments of `value` written into the middle and at the end of a URL, as the URL parser reads
    /// them, each percent-decoded; `None` when a value does not decode to text.
    fn parsed_segments(encoded: &str) -> Vec<Vec<Option<String>>> {
        [
            "https://api.example.com/a/{}/b",
            "https://api.example.com/a/{}",
        ]
        .iter()
        .map(|template| {
            let url = url::Url::parse(&template.replace("{}", encoded)).unwrap();
            assert_eq!(url.query(), None, "{url}");
            assert_eq!(url.fragment(), None, "{url}");
            url.path_segments()
                .unwrap()
                .map(|s| {
                    percent_encoding::percent_decode_str(s)
                        .decode_utf8()
                        .ok()
                        .map(|c| c.into_owned())
                })
                .collect()
        })
        .collect()
    }

    /// Whether `value`, encoded by `StrSegment`, is exactly one segment that decodes back to `value`.
    fn is_one_segment(value: &str) -> bool {
        let encoded = StrSegment(&value.to_string()).to_string();
        let [middle, end] = &parsed_segments(&encoded)[..] else {
            return false;
        };
        let v = Some(value.to_string());
        let a = Some("a".to_string());
        let b = Some("b".to_string());
        *middle == [a.clone(), v.clone(), b] && *end == [a, v]
    }

    #[test]
    fn empty_dot_and_dot_dot_are_refused_naming_the_parameter() {
        for value in ["", ".", ".."] {
            let err = check_segment("tenant_id", value).unwrap_err();
            assert!(
                err.contains("tenant_id") && err.contains("another resource"),
                "{value:?}: {err}"
            );
        }
        assert!(check_segment("id", "").unwrap_err().contains("empty"));
        assert!(check_segment("id", "..").unwrap_err().contains("\"..\""));
    }

    #[test]
    fn values_that_only_look_like_dot_segments_pass_and_stay_one_segment() {
        for value in [
            "...", ".a", "a.", " .", ". ", "%2e", "%2e%2e", ".%2e", "..\\", "\\..", "./",
        ] {
            assert_eq!(check_segment("id", value), Ok(()), "{value:?}");
            assert!(is_one_segment(value), "{value:?}");
        }
    }

    #[test]
    fn a_value_over_the_limit_is_refused_naming_the_parameter_and_the_limit() {
        let at_limit = "x".repeat(MAX_SEGMENT_LEN);
        assert_eq!(check_segment("request_id", &at_limit), Ok(()));
        let over = "x".repeat(MAX_SEGMENT_LEN + 1);
        let err = check_segment("request_id", &over).unwrap_err();
        assert!(
            err.contains("request_id") && err.contains("2049") && err.contains("2048"),
            "{err}"
        );
        // The limit counts bytes: 1025 two-byte characters are over it.
        assert!(check_segment("request_id", &"é".repeat(1025)).is_err());
        assert_eq!(check_segment("request_id", &"é".repeat(1024)), Ok(()));
    }

    /// Displays its text in one-byte pieces, as a `Display` made of several writes does.
    struct Pieces(&'static str);

    impl std::fmt::Display for Pieces {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            for i in 0..self.0.len() {
                f.write_str(&self.0[i..=i])?;
            }
            Ok(())
        }
    }

    #[test]
    fn a_displayed_value_is_checked_like_its_text_however_it_is_written() {
        for value in ["", ".", "..", "...", "a", ".b", "ab"] {
            assert_eq!(
                check_display_segment("n", &Pieces(value)),
                check_segment("n", value),
                "{value:?}"
            );
        }
        assert_eq!(check_display_segment("n", &42u32), Ok(()));
        let long = "y".repeat(MAX_SEGMENT_LEN + 1);
        assert!(
            check_display_segment("n", &long)
                .unwrap_err()
                .contains("n is 2049 bytes")
        );
    }

    #[test]
    fn hostile_values_are_one_escaped_segment_that_decodes_to_themselves() {
        let cases = [
            ("..\\..\\x", "..%5C..%5Cx"),
            ("a/b", "a%2Fb"),
            ("50%", "50%25"),
            ("a?b#c", "a%3Fb%23c"),
            ("é", "%C3%A9"),
            ("a b", "a%20b"),
            ("\\", "%5C"),
            ("%2e%2e", "%252e%252e"),
            ("tab\there\r\n", "tab%09here%0D%0A"),
        ];
        for (value, encoded) in cases {
            assert_eq!(check_segment("id", value), Ok(()), "{value:?}");
            assert_eq!(
                StrSegment(&value.to_string()).to_string(),
                encoded,
                "{value:?}"
            );
            assert_eq!(Segment(value).to_string(), encoded, "{value:?}");
            assert!(is_one_segment(value), "{value:?}");
        }
    }

    #[test]
    fn segments_encode_as_progenitors_encode_path_and_also_escape_backslashes() {
        let values = [
            "tenant-1",
            "a b",
            "q?x#y",
            "<{`\"}>",
            "ünïcode/✓",
            "%2F already",
            "\u{7f}\u{1}",
            "",
        ];
        for v in values {
            let expected = progenitor_client::encode_path(v);
            assert_eq!(Segment(v).to_string(), expected, "{v:?}");
            assert_eq!(StrSegment(&v.to_string()).to_string(), expected, "{v:?}");
        }
        // progenitor leaves `\` as it is, which the URL parser reads as `/`.
        assert_eq!(progenitor_client::encode_path("..\\x"), "..\\x");
        assert_eq!(Segment("..\\x").to_string(), "..%5Cx");
        assert_eq!(StrSegment(&"..\\x".to_string()).to_string(), "..%5Cx");
        assert_eq!(Unreserved("..\\x").to_string(), "..%5Cx");
    }

    #[test]
    fn a_uuid_needs_no_escaping_so_unreserved_writes_what_encode_path_would() {
        for text in [
            "8a1e1e52-3c5f-4b4e-9a55-0b2f7e8f9a10",
            "00000000-0000-0000-0000-000000000000",
            "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
        ] {
            let id: uuid::Uuid = text.parse().unwrap();
            assert_eq!(
                Unreserved(&id).to_string(),
                progenitor_client::encode_path(&id.to_string()),
                "{id}"
            );
        }
    }

    #[test]
    fn non_string_values_are_formatted_then_encoded() {
        let id = "8a1e1e52-3c5f-4b4e-9a55-0b2f7e8f9a10".to_string();
        assert_eq!(Segment(&id).to_string(), id);
        assert_eq!(Segment(&42u32).to_string(), "42");
        assert_eq!(
            format!("/t/{}/x", Segment(&"a b".to_string())),
            "/t/a%20b/x"
        );
    }

    /// Strings biased towards what a path treats specially, mixed with any character.
    fn hostile_string() -> impl Strategy<Value = String> {
        let special = prop_oneof![
            Just('.'),
            Just('/'),
            Just('\\'),
            Just('%'),
            Just('?'),
            Just('#'),
            Just(' '),
            Just('\t'),
            Just('\n'),
            Just(';'),
            Just('@'),
            Just(':'),
            Just('2'),
            Just('e'),
            Just('é'),
            any::<char>(),
        ];
        prop_oneof![
            prop::collection::vec(special, 0..12).prop_map(|c| c.into_iter().collect()),
            any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn any_value_that_passes_the_check_is_exactly_one_segment_that_decodes_to_itself(
            value in hostile_string()
        ) {
            match check_segment("id", &value) {
                Ok(()) => prop_assert!(is_one_segment(&value), "{:?}", value),
                Err(_) => prop_assert!(
                    matches!(value.as_str(), "" | "." | "..") || value.len() > MAX_SEGMENT_LEN,
                    "{:?} refused", value
                ),
            }
        }

        #[test]
        fn every_wrapper_writes_the_same_bytes_and_the_display_check_agrees(value in hostile_string()) {
            let by_str = StrSegment(&value).to_string();
            prop_assert_eq!(&Segment(value.as_str()).to_string(), &by_str);
            prop_assert_eq!(&Unreserved(value.as_str()).to_string(), &by_str);
            prop_assert_eq!(check_display_segment("id", value.as_str()), check_segment("id", &value));
        }
    }
}
