"""SailPoint's official Python SDK (sailpoint, its nerm module) against the sandbox's NERM: the SDK sends
the NERM API token as a bearer token to nerm_base_url, creates username/password workflow actions under the
seeded workflow and lists them by workflow_id."""

import json
import sys

from sailpoint.configuration import Configuration, ConfigurationParams
from sailpoint.nerm.api_client import ApiClient

from sandbox_info import Checks, info, logged


def main():
    cfg = info()["nerm"]
    c = Checks("sailpoint (NERM)")
    params = ConfigurationParams()
    # NERM takes its API token as the access token: no OAuth2 token is fetched when one is given.
    params.base_url = cfg["base_url"]
    params.nerm_base_url = cfg["base_url"]
    params.access_token = cfg["api_token"]
    configuration = Configuration(params)
    workflow = cfg["workflow_ids"][0]

    with ApiClient(configuration) as api_client:
        created = []
        for n in (1, 2):
            status, answer = call(
                api_client,
                "POST",
                "/workflow_actions/username_password_actions",
                body={"workflow_action": {"workflow_id": workflow, "description": f"Prompt {n}"}},
            )
            c.eq(f"create {n}: status", status, 200)
            action = answer.get("workflow_action") or {}
            c.eq(f"create {n}: workflow_id", action.get("workflow_id"), workflow)
            c.eq(f"create {n}: description", action.get("description"), f"Prompt {n}")
            c.eq(f"create {n}: archived", action.get("archived"), False)
            created.append(action.get("description"))

        status, listed = call(api_client, "GET", "/workflow_actions", query=[("workflow_id", workflow)])
        c.eq("list: status", status, 200)
        actions = listed.get("workflow_actions") or []
        # NERM's WorkflowAction has no id field: the actions are told apart by their descriptions.
        c.eq("list: the created actions, in order", [a.get("description") for a in actions], created)
        c.check(
            "list: all under the workflow",
            bool(actions) and all(a.get("workflow_id") == workflow for a in actions),
            actions,
        )

        # a workflow that does not exist: NERM's 400 with its errors.
        status, refused = call(
            api_client,
            "POST",
            "/workflow_actions/username_password_actions",
            body={
                "workflow_action": {
                    "workflow_id": "00000000-0000-4000-8000-000000000000",
                    "description": "nowhere",
                }
            },
        )
        c.eq("unknown workflow: status", status, 400)
        c.check("unknown workflow: NERM's errors", bool(refused.get("errors")), refused)

    requests = logged("nerm")
    c.check(
        "every request carried the API token as a bearer token",
        bool(requests)
        and all(("authorization", "Bearer " + cfg["api_token"]) in [tuple(h) for h in r["headers"]] for r in requests),
        len(requests),
    )
    return c.done()


def call(api_client, method, path, body=None, query=None):
    """One request through the SDK's own ApiClient (param_serialize + call_api: its URL building and its
    bearer token), answered as (status, decoded JSON). The typed WorkflowActionsApi methods cannot be used:
    in sailpoint 2.1.72 CreateUsernamePasswordActionRequest types workflow_action as a dict yet calls
    .to_dict() on it when serializing (AttributeError), and GetWorkflowActions200Response declares
    workflow_actions as one object where NERM answers an array (the vendor spec's bug)."""
    params = api_client.param_serialize(
        method=method,
        resource_path=path,
        query_params=query or [],
        header_params={"Accept": "application/json", "Content-Type": "application/json"},
        body=body,
    )
    answer = api_client.call_api(*params)
    answer.read()
    return answer.status, json.loads(answer.data or b"null")


if __name__ == "__main__":
    sys.exit(main())
