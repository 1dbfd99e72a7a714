//! What the runtime knows about one operation, from the table idprov-codegen generates, and the request-body
//! check generated calls make before sending ([`check_exclusive_members`]).

/// One operation of a generated client, as the runtime needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationMeta {
    /// The spec's operationId (equal to `progenitor_client::OperationInfo::operation_id`).
    pub operation_id: &'static str,
    /// Upper-case HTTP method.
    pub method: &'static str,
    /// The path template from the spec.
    pub path: &'static str,
    /// The documented success statuses.
    pub success_statuses: &'static [u16],
    /// The documented error statuses (`"400"`, `"4XX"`, `"default"`).
    pub error_statuses: &'static [&'static str],
    /// Whether a success answer carries a JSON body.
    pub json_response: bool,
    /// Required headers with a default, which the runtime sends on every call of this operation.
    pub fill_headers: &'static [(&'static str, &'static str)],
    /// Integer query parameters with documented bounds `(name, minimum, maximum)`; progenitor does not
    /// check them, so the operation's generated `send()` refuses an out-of-range value before anything is
    /// sent ([`check_integer_bound`]).
    pub integer_bounds: &'static [(&'static str, Option<i64>, Option<i64>)],
}

/// An integer query parameter's value as [`check_integer_bound`] reads it: `None` for an optional
/// parameter the caller left unset.
pub trait QueryInteger {
    /// The value, widened so that every integer type compares without loss.
    fn widened(&self) -> Option<i128>;
}

macro_rules! query_integer {
    ($($t:ty),*) => {$(
        impl QueryInteger for $t {
            fn widened(&self) -> Option<i128> {
                Some(i128::from(*self))
            }
        }
    )*};
}
query_integer!(i8, i16, i32, i64, u8, u16, u32, u64);

macro_rules! query_non_zero {
    ($($t:ty),*) => {$(
        impl QueryInteger for $t {
            fn widened(&self) -> Option<i128> {
                Some(i128::from(self.get()))
            }
        }
    )*};
}
query_non_zero!(
    std::num::NonZeroI8,
    std::num::NonZeroI16,
    std::num::NonZeroI32,
    std::num::NonZeroI64,
    std::num::NonZeroU8,
    std::num::NonZeroU16,
    std::num::NonZeroU32,
    std::num::NonZeroU64
);

impl<T: QueryInteger> QueryInteger for Option<T> {
    fn widened(&self) -> Option<i128> {
        self.as_ref().and_then(QueryInteger::widened)
    }
}

impl<T: QueryInteger + ?Sized> QueryInteger for &T {
    fn widened(&self) -> Option<i128> {
        (**self).widened()
    }
}

/// Checks an integer query parameter against the bounds its spec documents
/// ([`OperationMeta::integer_bounds`]; progenitor does not check them): idprov-codegen calls this in the
/// operation's `send()` on the typed value, before the URL is written, so nothing is sent for a value
/// out of range. The error names the parameter, the bound and the value.
pub fn check_integer_bound<T: QueryInteger + ?Sized>(
    name: &str,
    value: &T,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<(), String> {
    let Some(v) = value.widened() else {
        return Ok(());
    };
    if let Some(min) = min
        && v < i128::from(min)
    {
        return Err(format!(
            "query parameter {name} must be at least {min}, got {v}"
        ));
    }
    if let Some(max) = max
        && v > i128::from(max)
    {
        return Err(format!(
            "query parameter {name} must be at most {max}, got {v}"
        ));
    }
    Ok(())
}

/// Checks a request body against one group of members the vendor documents as excluding each other
/// (`x-idprov-mutually-exclusive` in the spec; idprov-codegen calls this in the operation's `send()`): a
/// member counts as set when the body, as JSON, has it and it is neither `null` nor `false`. More than one
/// set is refused with a message naming them. A body that does not serialize to a JSON object is left to
/// the request builder, which reports it.
pub fn check_exclusive_members<T: serde::Serialize + ?Sized>(
    body: &T,
    members: &[&str],
) -> Result<(), String> {
    let Ok(serde_json::Value::Object(object)) = serde_json::to_value(body) else {
        return Ok(());
    };
    let set: Vec<&str> = members
        .iter()
        .copied()
        .filter(|m| {
            !matches!(
                object.get(*m),
                None | Some(serde_json::Value::Null) | Some(serde_json::Value::Bool(false))
            )
        })
        .collect();
    if set.len() < 2 {
        return Ok(());
    }
    Err(format!(
        "{} exclude each other: set at most one of them",
        names(&set)
    ))
}

/// `a and b`, `a, b and c`.
fn names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// What the runtime needs to know about one API (each client crate has one, generated table included).
#[derive(Debug, Clone, Copy)]
pub struct ApiInfo {
    /// The vendor, as its client crate declares it.
    pub vendor: &'static crate::vendor::VendorProfile,
    /// The vendor's global server, used when the user gives no base URL; `None` when every customer has
    /// a host of their own (a tenant or a region), which must then be set.
    pub default_base_url: Option<&'static str>,
    /// What the base URL looks like, for the error when none is set (`https://{tenant}.example.com`).
    pub base_url_hint: &'static str,
    /// The generated operation table.
    pub operations: &'static [OperationMeta],
}

impl ApiInfo {
    /// The table entry of `operation_id`, if the API has it.
    pub fn operation(&self, operation_id: &str) -> Option<&'static OperationMeta> {
        self.position(operation_id).map(|(_, meta)| meta)
    }

    /// The table entry of `operation_id` and its index in [`ApiInfo::operations`].
    pub fn position(&self, operation_id: &str) -> Option<(usize, &'static OperationMeta)> {
        self.operations
            .iter()
            .enumerate()
            .find(|(_, o)| o.operation_id == operation_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_set_members_of_an_exclusive_group_are_refused_naming_both() {
        let pair = ["create_user", "user_id"];
        let err = check_exclusive_members(
            &serde_json::json!({"create_user": true, "user_id": "u-1", "other": 1}),
            &pair,
        )
        .unwrap_err();
        assert_eq!(
            err,
            "create_user and user_id exclude each other: set at most one of them"
        );
        let three = check_exclusive_members(
            &serde_json::json!({"a": 1, "b": "x", "c": [true]}),
            &["a", "b", "c"],
        )
        .unwrap_err();
        assert!(
            three.starts_with("a, b and c exclude each other"),
            "{three}"
        );
    }

    #[test]
    fn one_member_absent_null_or_false_is_not_set_so_the_body_passes() {
        let pair = ["create_user", "user_id"];
        for body in [
            serde_json::json!({"create_user": true}),
            serde_json::json!({"user_id": "u-1"}),
            serde_json::json!({"create_user": false, "user_id": "u-1"}),
            serde_json::json!({"create_user": true, "user_id": null}),
            serde_json::json!({}),
        ] {
            assert_eq!(check_exclusive_members(&body, &pair), Ok(()), "{body}");
        }
        // A body that is not an object has nothing to check.
        assert_eq!(check_exclusive_members(&[1, 2], &pair), Ok(()));
    }

    #[test]
    fn a_typed_body_is_checked_as_it_serializes() {
        #[derive(serde::Serialize)]
        struct Body {
            #[serde(skip_serializing_if = "Option::is_none")]
            create_user: Option<bool>,
            #[serde(skip_serializing_if = "Option::is_none")]
            user_id: Option<String>,
        }
        let both = Body {
            create_user: Some(true),
            user_id: Some("u-1".into()),
        };
        assert!(check_exclusive_members(&both, &["create_user", "user_id"]).is_err());
        let one = Body {
            create_user: None,
            user_id: Some("u-1".into()),
        };
        assert_eq!(
            check_exclusive_members(&one, &["create_user", "user_id"]),
            Ok(())
        );
    }

    #[test]
    fn integer_query_values_outside_their_documented_bounds_are_refused_naming_the_parameter() {
        assert_eq!(
            check_integer_bound("limit", &250i64, Some(0), Some(250)),
            Ok(())
        );
        assert_eq!(
            check_integer_bound("limit", &251i64, Some(0), Some(250)),
            Err("query parameter limit must be at most 250, got 251".to_string())
        );
        assert_eq!(
            check_integer_bound("offset", &-1i32, Some(0), None),
            Err("query parameter offset must be at least 0, got -1".to_string())
        );
        assert_eq!(
            check_integer_bound("offset", &i32::MAX, Some(0), None),
            Ok(())
        );
    }

    #[test]
    fn an_unset_optional_parameter_passes_and_a_set_one_is_checked_whatever_its_integer_type() {
        let unset: Option<i64> = None;
        assert_eq!(
            check_integer_bound("limit", &unset, Some(0), Some(250)),
            Ok(())
        );
        assert_eq!(
            check_integer_bound("limit", &Some(-7i64), Some(0), Some(250)),
            Err("query parameter limit must be at least 0, got -7".to_string())
        );
        let non_zero = std::num::NonZeroU32::new(300);
        assert_eq!(
            check_integer_bound("limit", &non_zero, Some(1), Some(250)),
            Err("query parameter limit must be at most 250, got 300".to_string())
        );
        // A u64 beyond i64::MAX compares as itself, not wrapped to a negative number.
        assert_eq!(
            check_integer_bound("count", &u64::MAX, Some(0), Some(i64::MAX)),
            Err(format!(
                "query parameter count must be at most {}, got {}",
                i64::MAX,
                u64::MAX
            ))
        );
    }
}
