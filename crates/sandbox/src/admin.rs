//! The admin endpoint, under `/_sandbox` on every listener (never logged, faulted or authenticated):
//!
//! | method and path | what |
//! |---|---|
//! | `GET /_sandbox` | every vendor's base URL and credentials (what the binary prints) |
//! | `GET /_sandbox/requests` (`?vendor=seam`) | the request log, as JSON |
//! | `DELETE /_sandbox/requests` | empties the log |
//! | `GET /_sandbox/faults` | the fault rules in force |
//! | `POST /_sandbox/faults` | adds a [`FaultRule`] (or a list of them), as JSON |
//! | `DELETE /_sandbox/faults` | removes every fault rule |
//! | `POST /_sandbox/tokens/expire` | expires every OAuth2 token issued so far |
//! | `PUT /_sandbox/jobs/{vendor}` | how new jobs progress: a [`JobPlan`] (`isc` or `huawei`) |
//! | `POST /_sandbox/jobs/{vendor}/{id}` | ends a job now: an [`Outcome`], `{"result": "succeed"}` or `{"result": "fail", "reason": "..."}` |

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, RawQuery};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use bytes::Bytes;
use http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{FaultRule, JobPlan, Outcome, Shared, Vendor, lock};

fn reply(status: StatusCode, body: Value) -> Response {
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    (
        status,
        [(http::header::CONTENT_TYPE, "application/json")],
        bytes,
    )
        .into_response()
}

fn bad(why: impl std::fmt::Display) -> Response {
    reply(StatusCode::BAD_REQUEST, json!({"error": why.to_string()}))
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(FaultRule),
    Many(Vec<FaultRule>),
}

fn unknown_vendor(slug: &str) -> Response {
    bad(format!(
        "unknown vendor {slug:?}; one of seam, aveva, nerm, isc, huawei"
    ))
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let s = shared.clone();
    let info = get(move || {
        let s = s.clone();
        async move { reply(StatusCode::OK, s.info()) }
    });
    let s = shared.clone();
    let s2 = shared.clone();
    let requests = get(move |RawQuery(query): RawQuery| {
        let s = s.clone();
        async move {
            let named = query.and_then(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .find(|(k, _)| k == "vendor")
                    .map(|(_, v)| v.into_owned())
            });
            let wanted = match named.as_deref() {
                None => None,
                Some(slug) => match Vendor::from_slug(slug) {
                    Some(v) => Some(v),
                    None => return unknown_vendor(slug),
                },
            };
            let log = lock(&s.log);
            let listed: Vec<_> = log
                .1
                .iter()
                .filter(|r| wanted.is_none_or(|v| r.vendor == v))
                .collect();
            reply(StatusCode::OK, json!(listed))
        }
    })
    .delete(move || {
        let s = s2.clone();
        async move {
            let mut log = lock(&s.log);
            log.0 = 0;
            log.1.clear();
            StatusCode::NO_CONTENT.into_response()
        }
    });
    let (s, s2, s3) = (shared.clone(), shared.clone(), shared.clone());
    let faults = get(move || {
        let s = s.clone();
        async move { reply(StatusCode::OK, json!(lock(&s.faults).rules())) }
    })
    .post(move |body: Bytes| {
        let s = s2.clone();
        async move {
            let rules = match serde_json::from_slice::<OneOrMany>(&body) {
                Ok(OneOrMany::One(r)) => vec![r],
                Ok(OneOrMany::Many(r)) => r,
                Err(e) => return bad(format!("not a fault rule: {e}")),
            };
            let mut faults = lock(&s.faults);
            for r in rules {
                faults.add(r);
            }
            reply(StatusCode::CREATED, json!(faults.rules()))
        }
    })
    .delete(move || {
        let s = s3.clone();
        async move {
            lock(&s.faults).clear();
            StatusCode::NO_CONTENT.into_response()
        }
    });
    let s = shared.clone();
    let expire = post(move || {
        let s = s.clone();
        async move {
            lock(&s.tokens).expire_all(tokio::time::Instant::now());
            StatusCode::NO_CONTENT.into_response()
        }
    });
    let s = shared.clone();
    let plan = put(move |Path(slug): Path<String>, body: Bytes| {
        let s = s.clone();
        async move {
            let Some(v) = Vendor::from_slug(&slug) else {
                return unknown_vendor(&slug);
            };
            let plan: JobPlan = match serde_json::from_slice(&body) {
                Ok(p) => p,
                Err(e) => return bad(format!("not a job plan: {e}")),
            };
            match s.set_job_plan(v, plan) {
                Ok(()) => StatusCode::NO_CONTENT.into_response(),
                Err(e) => bad(e),
            }
        }
    });
    let s = shared;
    let finish = post(
        move |Path((slug, id)): Path<(String, String)>, body: Bytes| {
            let s = s.clone();
            async move {
                let Some(v) = Vendor::from_slug(&slug) else {
                    return unknown_vendor(&slug);
                };
                let outcome: Outcome = match serde_json::from_slice(&body) {
                    Ok(o) => o,
                    Err(e) => return bad(format!("not an outcome: {e}")),
                };
                match s.finish_job(v, &id, outcome) {
                    Ok(was_running) => reply(StatusCode::OK, json!({"was_running": was_running})),
                    Err(e @ crate::Error::NoSuchJob(..)) => {
                        reply(StatusCode::NOT_FOUND, json!({"error": e.to_string()}))
                    }
                    Err(e) => bad(e),
                }
            }
        },
    );
    Router::new()
        .route("/", info)
        .route("/requests", requests)
        .route("/faults", faults)
        .route("/tokens/expire", expire)
        .route("/jobs/{vendor}", plan)
        .route("/jobs/{vendor}/{id}", finish)
}
