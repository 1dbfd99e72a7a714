//! Path parameters written straight into the URL being formatted, percent-encoded on the way.
//!
//! The generated code formats each request URL with `format!`; progenitor passes every path parameter
//! through `encode_path(&value.to_string())`, which makes two `String`s per parameter. idprov-codegen
//! replaces that with one of the wrappers here, chosen by the parameter's type, each writing into the URL's
//! own buffer with the same character set, so the URL on the wire is byte for byte the same:
//! [`StrSegment`] for strings, [`Unreserved`] for UUIDs, [`Segment`] for anything else.

use std::fmt;

use percent_encoding::{AsciiSet, CONTROLS};

/// The characters progenitor 0.15.1's `encode_path` escapes (its `PATH_SET`, the WHATWG path-segment set
/// plus `/` and `%`, so a value can never add a path segment), kept identical so the bytes on the wire do
/// not change.
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
    .add(b'%');

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

/// A path parameter whose text never needs escaping (a UUID: hex digits and `-`, all unreserved), written
/// as it displays. idprov-codegen uses it only for `uuid::Uuid` parameters.
#[derive(Debug, Clone, Copy)]
pub struct Unreserved<'a, T: fmt::Display + ?Sized>(pub &'a T);

impl<T: fmt::Display + ?Sized> fmt::Display for Unreserved<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
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
    use super::Segment;

    #[test]
    fn segments_encode_exactly_as_progenitors_encode_path() {
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
            assert_eq!(
                Segment(v).to_string(),
                progenitor_client::encode_path(v),
                "{v:?}"
            );
        }
    }

    #[test]
    fn string_segments_encode_exactly_as_progenitors_encode_path() {
        for v in ["tenant-1", "a b", "q?x#y", "ünïcode/✓", "%2F", ""] {
            assert_eq!(
                super::StrSegment(&v.to_string()).to_string(),
                progenitor_client::encode_path(v),
                "{v:?}"
            );
        }
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
                super::Unreserved(&id).to_string(),
                progenitor_client::encode_path(&id.to_string()),
                "{id}"
            );
        }
    }

    #[test]
    fn non_string_values_are_formatted_then_encoded() {
        let id = uuid_like();
        assert_eq!(Segment(&id).to_string(), id);
        assert_eq!(Segment(&42u32).to_string(), "42");
        assert_eq!(
            format!("/t/{}/x", Segment(&"a b".to_string())),
            "/t/a%20b/x"
        );
    }

    fn uuid_like() -> String {
        "8a1e1e52-3c5f-4b4e-9a55-0b2f7e8f9a10".to_string()
    }
}
