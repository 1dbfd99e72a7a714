//! What the runtime knows about one operation, from the table idprov-codegen generates.

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
    pub fn check_query_bounds(&self, url: &url::Url) -> Result<(), String> {
        if self.integer_bounds.is_empty() {
            return Ok(());
        }
        for (name, value) in url.query_pairs() {
            let Some((_, min, max)) = self.integer_bounds.iter().find(|(n, _, _)| *n == name)
            else {
                continue;
            };
            let Ok(v) = value.parse::<i64>() else {
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
}
