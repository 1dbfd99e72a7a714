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
    /// check them, so the runtime refuses an out-of-range value before anything is sent.
    pub integer_bounds: &'static [(&'static str, Option<i64>, Option<i64>)],
}

impl OperationMeta {
    /// Checks the integer query parameters of `url` against [`OperationMeta::integer_bounds`]; the error
    /// names the parameter, the value and the bound.
    ///
    /// Runs on every call of an operation with bounds, so it reads the raw query: names are compared as
    /// written (decoded only when they hold `%` or `+`), and only a bounded parameter's value is decoded and
    /// parsed. A value that is not an integer is left to the server, as before.
    pub fn check_query_bounds(&self, url: &url::Url) -> Result<(), String> {
        if self.integer_bounds.is_empty() {
            return Ok(());
        }
        let Some(query) = url.query() else {
            return Ok(());
        };
        for pair in query.split('&') {
            let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = decode_component(raw_name);
            let Some((name, min, max)) = self
                .integer_bounds
                .iter()
                .find(|(n, _, _)| *n == name.as_ref())
            else {
                continue;
            };
            let Ok(v) = decode_component(raw_value).parse::<i64>() else {
                continue;
            };
            if let Some(min) = min
                && v < *min
            {
                return Err(format!(
                    "query parameter {name} must be at least {min}, got {v}"
                ));
            }
            if let Some(max) = max
                && v > *max
            {
                return Err(format!(
                    "query parameter {name} must be at most {max}, got {v}"
                ));
            }
        }
        Ok(())
    }
}

/// One name or value of an `application/x-www-form-urlencoded` query, decoded only when it needs to be.
fn decode_component(raw: &str) -> std::borrow::Cow<'_, str> {
    if !raw.contains(['%', '+']) {
        return std::borrow::Cow::Borrowed(raw);
    }
    let spaced = raw.replace('+', " ");
    std::borrow::Cow::Owned(
        percent_encoding::percent_decode_str(&spaced)
            .decode_utf8_lossy()
            .into_owned(),
    )
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

    const LIST: OperationMeta = OperationMeta {
        operation_id: "list",
        method: "GET",
        path: "/things",
        success_statuses: &[200],
        error_statuses: &[],
        json_response: true,
        fill_headers: &[],
        integer_bounds: &[("limit", Some(0), Some(250)), ("offset", Some(0), None)],
    };

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
    fn query_values_outside_their_documented_bounds_are_refused_naming_the_parameter() {
        let url = |q: &str| url::Url::parse(&format!("https://x/things?{q}")).unwrap();
        assert_eq!(LIST.check_query_bounds(&url("limit=250&offset=0")), Ok(()));
        assert_eq!(
            LIST.check_query_bounds(&url("limit=251")),
            Err("query parameter limit must be at most 250, got 251".to_string())
        );
        assert_eq!(
            LIST.check_query_bounds(&url("offset=-1")),
            Err("query parameter offset must be at least 0, got -1".to_string())
        );
        assert_eq!(LIST.check_query_bounds(&url("other=-5")), Ok(()));
    }

    #[test]
    fn encoded_names_and_values_are_decoded_before_the_bounds_are_checked() {
        let url = |q: &str| url::Url::parse(&format!("https://x/things?{q}")).unwrap();
        // `%6Cimit` is `limit`, `%32%35%31` is 251: still refused.
        assert_eq!(
            LIST.check_query_bounds(&url("%6Cimit=%32%35%31")),
            Err("query parameter limit must be at most 250, got 251".to_string())
        );
        // A pair without `=`, an empty pair and a non-integer value are not refused here.
        assert_eq!(
            LIST.check_query_bounds(&url("limit&&offset=abc&x=1")),
            Ok(())
        );
        // The bound applies to every occurrence, not only the first.
        assert_eq!(
            LIST.check_query_bounds(&url("offset=1&offset=-2")),
            Err("query parameter offset must be at least 0, got -2".to_string())
        );
    }
}
