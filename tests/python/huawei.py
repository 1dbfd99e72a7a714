"""Huawei Cloud's official Python SDK (huaweicloudsdkidentitycenter on huaweicloudsdkcore) against the
sandbox: every request is signed by the SDK's own SDK-HMAC-SHA256 signer, which the sandbox verifies, and a
request signed with a wrong SK is refused with Huawei's APIGW.0301."""

import sys
import time

from huaweicloudsdkcore.auth.credentials import GlobalCredentials
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdkidentitycenter.v1 import (
    DescribePermissionSetProvisioningStatusRequest,
    IdentityCenterClient,
    ListPermissionSetProvisioningStatusRequest,
    ProvisionPermissionSetReqBody,
    ProvisionPermissionSetRequest,
)

from sandbox_info import Checks, header, info, logged


def client(endpoint, ak, sk, domain_id):
    # with_endpoints instead of with_region: the region would name Huawei's host (and with a region the SDK
    # asks IAM for the domain id, which is given here).
    credentials = GlobalCredentials(ak, sk, domain_id)
    return (
        IdentityCenterClient.new_builder()
        .with_credentials(credentials)
        .with_endpoints([endpoint])
        .build()
    )


def main():
    cfg = info()["huawei"]
    c = Checks("huaweicloudsdkidentitycenter")
    instance = cfg["instances"][0]
    instance_id = instance["instance_id"]
    permission_set_id = instance["permission_set_ids"][0]
    account_id = instance["account_ids"][0]
    iam = client(cfg["base_url"], cfg["ak"], cfg["sk"], cfg["domain_id"])

    # provision: signed by the SDK, verified by the sandbox; the job starts IN_PROGRESS.
    body = ProvisionPermissionSetReqBody(target_type="ACCOUNT", target_id=account_id)
    started = iam.provision_permission_set(
        ProvisionPermissionSetRequest(
            instance_id=instance_id, permission_set_id=permission_set_id, body=body
        )
    )
    status = started.permission_set_provisioning_status
    c.eq("provision: status", status.status, "IN_PROGRESS")
    c.eq("provision: permission_set_id", status.permission_set_id, permission_set_id)
    c.eq("provision: account_id", status.account_id, account_id)
    c.check("provision: a request_id", bool(status.request_id), status.request_id)
    request_id = status.request_id

    # get status until it ends (the sandbox's jobs succeed after 200 ms by default).
    deadline = time.monotonic() + 10
    while True:
        got = iam.describe_permission_set_provisioning_status(
            DescribePermissionSetProvisioningStatusRequest(
                instance_id=instance_id, request_id=request_id
            )
        ).permission_set_provisioning_status
        if got.status != "IN_PROGRESS" or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    c.eq("get status: request_id", got.request_id, request_id)
    c.eq("get status: ended", got.status, "SUCCEEDED")
    c.eq("get status: permission_set_id", got.permission_set_id, permission_set_id)

    # a second one, then the list: both there, marker paging with limit 1, and the status filter.
    second = iam.provision_permission_set(
        ProvisionPermissionSetRequest(
            instance_id=instance_id, permission_set_id=permission_set_id, body=body
        )
    ).permission_set_provisioning_status.request_id
    first_page = iam.list_permission_set_provisioning_status(
        ListPermissionSetProvisioningStatusRequest(instance_id=instance_id, limit=1)
    )
    ids = [s.request_id for s in first_page.permission_sets_provisioning_status]
    c.eq("list limit=1: first page", ids, [request_id])
    marker = first_page.page_info.next_marker
    c.check("list limit=1: a next_marker", bool(marker), marker)
    second_page = iam.list_permission_set_provisioning_status(
        ListPermissionSetProvisioningStatusRequest(
            instance_id=instance_id, limit=1, marker=marker
        )
    )
    ids = [s.request_id for s in second_page.permission_sets_provisioning_status]
    c.eq("list by marker: second page", ids, [second])
    succeeded = iam.list_permission_set_provisioning_status(
        ListPermissionSetProvisioningStatusRequest(
            instance_id=instance_id, status="SUCCEEDED"
        )
    )
    statuses = {s.status for s in succeeded.permission_sets_provisioning_status}
    c.check(
        "list status=SUCCEEDED: only succeeded, the first among them",
        statuses == {"SUCCEEDED"}
        and request_id in [s.request_id for s in succeeded.permission_sets_provisioning_status],
        succeeded,
    )

    # temporary credentials: the SDK sends X-Security-Token, the sandbox checks it.
    temporary = cfg.get("temporary")
    if temporary:
        credentials = GlobalCredentials(
            temporary["ak"], temporary["sk"], cfg["domain_id"]
        ).with_security_token(temporary["security_token"])
        tmp = (
            IdentityCenterClient.new_builder()
            .with_credentials(credentials)
            .with_endpoints([cfg["base_url"]])
            .build()
        )
        got = tmp.describe_permission_set_provisioning_status(
            DescribePermissionSetProvisioningStatusRequest(
                instance_id=instance_id, request_id=request_id
            )
        ).permission_set_provisioning_status
        c.eq("temporary credentials + security token: get status", got.request_id, request_id)

    # a wrong SK: the signature does not verify, Huawei's gateway answers 401 APIGW.0301.
    wrong = client(cfg["base_url"], cfg["ak"], cfg["sk"] + "-wrong", cfg["domain_id"])
    try:
        wrong.describe_permission_set_provisioning_status(
            DescribePermissionSetProvisioningStatusRequest(
                instance_id=instance_id, request_id=request_id
            )
        )
        c.check("wrong SK: refused", False, "answered")
    except exceptions.ClientRequestException as e:
        c.eq("wrong SK: status", e.status_code, 401)
        c.eq("wrong SK: error code", e.error_code, "APIGW.0301")
        c.check("wrong SK: a request id", bool(e.request_id), e.request_id)

    # an unknown request id: the SDK's exception carries the sandbox's error code and status.
    try:
        iam.describe_permission_set_provisioning_status(
            DescribePermissionSetProvisioningStatusRequest(
                instance_id=instance_id, request_id="0" * 36
            )
        )
        c.check("unknown request id: refused", False, "answered")
    except exceptions.ClientRequestException as e:
        c.eq("unknown request id: status", e.status_code, 404)
        c.check("unknown request id: an error code", bool(e.error_code), e.error_code)
    # what the sandbox received: every request signed by the SDK (its user agent, SDK-HMAC-SHA256 with the
    # key used, X-Sdk-Date), verified (answered) except the one signed with the wrong SK.
    requests = logged("huawei")
    signed = [
        r
        for r in requests
        if (header(r, "authorization") or "").startswith("SDK-HMAC-SHA256 Access=")
        and (header(r, "user-agent") or "").startswith("huaweicloud-usdk-python/")
        and header(r, "x-sdk-date")
    ]
    c.eq("every request was signed by the SDK", len(signed), len(requests))
    refused = [r["status"] for r in requests if r["status"] == 401]
    c.eq("only the wrong-SK request was refused", refused, [401])
    return c.done()


if __name__ == "__main__":
    sys.exit(main())
