"""Seam's official Python SDK (seam) against the sandbox. The SDK has no typed method for enrollment
automations, so they go through its own HTTP client (`seam.client.post`), which keeps the SDK's auth
headers, retries and error handling (the sandbox serves only the operations of idprov's spec)."""

import sys

from seam import Seam
from seam.exceptions import SeamHttpApiError, SeamHttpInvalidInputError, SeamHttpUnauthorizedError

from sandbox_info import Checks, info, logged


def check_workflow(c, seam, cfg, label):
    user = cfg["user_identity_ids"][0]
    manager = cfg["credential_manager_acs_system_ids"][0]
    pool = cfg["acs_credential_pool_ids"][0]

    # launch (the raw helper returns the decoded body, wrapper and "ok" included)
    launched = seam.client.post(
        "/user_identities/enrollment_automations/launch",
        json={
            "user_identity_id": user,
            "credential_manager_acs_system_id": manager,
            "acs_credential_pool_id": pool,
            "create_credential_manager_user": True,
        },
    )
    c.eq(f"{label} launch: ok", launched.get("ok"), True)
    automation = launched["enrollment_automation"]
    c.eq(f"{label} launch: user_identity_id", automation["user_identity_id"], user)
    c.eq(f"{label} launch: credential_manager_acs_system_id", automation["credential_manager_acs_system_id"], manager)
    c.eq(f"{label} launch: workspace_id", automation["workspace_id"], cfg["workspace_id"])
    automation_id = automation["enrollment_automation_id"]

    got = seam.client.post(
        "/user_identities/enrollment_automations/get",
        json={"enrollment_automation_id": automation_id},
    )["enrollment_automation"]
    c.eq(f"{label} get: the launched automation", got, automation)

    listed = seam.client.post(
        "/user_identities/enrollment_automations/list", json={"user_identity_id": user}
    )["enrollment_automations"]
    c.eq(f"{label} list: the launched automation only", listed, [automation])

    deleted = seam.client.post(
        "/user_identities/enrollment_automations/delete",
        json={"enrollment_automation_id": automation_id},
    )
    c.eq(f"{label} delete: ok", deleted.get("ok"), True)
    try:
        seam.client.post(
            "/user_identities/enrollment_automations/get",
            json={"enrollment_automation_id": automation_id},
        )
        c.check(f"{label} get after delete: refused", False, "answered")
    except SeamHttpApiError as e:
        c.eq(f"{label} get after delete: status", e.status_code, 404)
        c.eq(f"{label} get after delete: code", e.code, "enrollment_automation_not_found")
        c.check(f"{label} get after delete: seam-request-id", bool(e.request_id), e.request_id)
    listed = seam.client.post(
        "/user_identities/enrollment_automations/list", json={"user_identity_id": user}
    )["enrollment_automations"]
    c.eq(f"{label} list after delete: empty", listed, [])


def main():
    cfg = info()["seam"]
    c = Checks("seam")
    seam = Seam(api_key=cfg["api_key"], endpoint=cfg["base_url"])
    check_workflow(c, seam, cfg, "API key:")

    # Seam's validation: both exclusive fields are invalid_input (the SDK's SeamHttpInvalidInputError).
    try:
        seam.client.post(
            "/user_identities/enrollment_automations/launch",
            json={
                "user_identity_id": cfg["user_identity_ids"][0],
                "credential_manager_acs_system_id": cfg["credential_manager_acs_system_ids"][0],
                "create_credential_manager_user": True,
                "credential_manager_acs_user_id": "7b0a4d7e-7a35-4c2e-9f1d-1a2b3c4d5e6f",
            },
        )
        c.check("exclusive fields: refused", False, "answered")
    except SeamHttpInvalidInputError as e:
        c.eq("exclusive fields: status", e.status_code, 400)
        c.eq("exclusive fields: code", e.code, "invalid_input")

    # a personal access token with its workspace (the SDK sends seam-workspace).
    pat = Seam(
        personal_access_token=cfg["personal_access_token"],
        workspace_id=cfg["workspace_id"],
        endpoint=cfg["base_url"],
    )
    check_workflow(c, pat, cfg, "PAT + workspace:")

    # a wrong API key: the SDK's unauthorized error.
    try:
        Seam(api_key="seam_wrong_key_0000000000", endpoint=cfg["base_url"]).client.post(
            "/user_identities/enrollment_automations/list",
            json={"user_identity_id": cfg["user_identity_ids"][0]},
        )
        c.check("wrong API key: refused", False, "answered")
    except SeamHttpUnauthorizedError as e:
        c.eq("wrong API key: status", e.status_code, 401)

    requests = logged("seam")
    c.check(
        "the sandbox saw the SDK's own headers (seam-sdk-name) on every request",
        bool(requests) and all(any(n == "seam-sdk-name" for n, _ in r["headers"]) for r in requests),
        [r["headers"] for r in requests[:1]],
    )
    return c.done()


if __name__ == "__main__":
    sys.exit(main())
