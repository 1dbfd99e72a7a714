"""SailPoint's official Python SDK (sailpoint, its machine_account_creation_request module) against the
sandbox's ISC: the SDK fetches its OAuth2 token from {base_url}/oauth/token with the client credentials,
then creates a machine account request (202), reads it until it ends, and lists the create access."""

import sys
import time

from sailpoint.configuration import Configuration, ConfigurationParams
from sailpoint.machine_account_creation_request import (
    ApiClient,
    ApiException,
    MachineAccountCreationRequestApi,
)
from sailpoint.machine_account_creation_request.models.machine_account_create_request_input import (
    MachineAccountCreateRequestInput,
)

from sandbox_info import Checks, header, info, logged


def main():
    cfg = info()["isc"]
    c = Checks("sailpoint (ISC)")
    params = ConfigurationParams()
    params.base_url = cfg["base_url"]
    params.client_id = cfg["client_id"]
    params.client_secret = cfg["client_secret"]
    # Configuration fetches the token at once, from base_url + "/oauth/token" (the sandbox's token_url).
    configuration = Configuration(params)
    c.check("a token from the sandbox's /oauth/token", bool(configuration.access_token))
    # The SDK refuses to send X-SailPoint-Experimental unless told it may.
    configuration.experimental = True
    configuration.suppress_experimental_warnings = True

    with ApiClient(configuration) as api_client:
        api = MachineAccountCreationRequestApi(api_client)
        subtype = cfg["subtype_ids"][0]
        request = MachineAccountCreateRequestInput(
            subtype_id=subtype,
            owner_identity_id=cfg["owner_identity_id"],
            environment="Dev",
            description="created by the sailpoint SDK",
        )
        # create: the one operation whose experimental header the SDK leaves unset by default (the get
        # and the list default it to "true"), so it is passed here.
        accepted = api.create_machine_account_request_v1_with_http_info(
            request, x_sail_point_experimental="true"
        )
        c.eq("create: status", accepted.status_code, 202)
        request_id = accepted.data.account_request_id
        c.check("create: an accountRequestId", bool(request_id), request_id)

        # get until it ends (the sandbox's jobs succeed after 200 ms by default).
        first = api.get_create_machine_account_request_v1(request_id)
        c.eq("get: accountRequestId", first.account_request_id, request_id)
        c.eq("get: requestType", first.request_type, "CREATE_MACHINE_ACCOUNT")
        deadline = time.monotonic() + 10
        got = first
        while got.overall_status not in ("SUCCESS", "FAILED") and time.monotonic() < deadline:
            time.sleep(0.05)
            got = api.get_create_machine_account_request_v1(request_id)
        c.eq("get: overallStatus at the end", got.overall_status, "SUCCESS")
        c.check("get: completedAt set at the end", got.completed_at is not None, got.completed_at)
        phases = [(p.name, str(getattr(p.state, "value", p.state))) for p in got.account_request_phases or []]
        c.check(
            "get: every phase passed or approved",
            bool(phases) and all(state in ("APPROVED", "PASSED") for _, state in phases),
            phases,
        )

        # the create-access list: the subtype the request was made on, with offset/limit paging.
        access = api.get_machine_account_create_access_info_v1(offset=0, limit=250)
        subtypes = [s.subtype_id for source in access for s in source.subtypes or []]
        c.check("create access: lists the subtype", subtype in subtypes, subtypes)
        past = api.get_machine_account_create_access_info_v1(offset=len(access), limit=250)
        c.eq("create access: past the end is empty", past, [])

        # an unknown request id: ISC's ErrorResponseDto with a trackingId.
        try:
            api.get_create_machine_account_request_v1("0" * 32)
            c.check("unknown request: refused", False, "answered")
        except ApiException as e:
            c.eq("unknown request: status", e.status, 404)
            c.check("unknown request: a trackingId", "trackingId" in (e.body or ""), e.body)

        # a subtype the client has no create entitlement on: 403.
        try:
            api.create_machine_account_request_v1(
                MachineAccountCreateRequestInput(
                    subtype_id="not-a-subtype", owner_identity_id=cfg["owner_identity_id"]
                ),
                x_sail_point_experimental="true",
            )
            c.check("subtype without entitlement: refused", False, "answered")
        except ApiException as e:
            c.eq("subtype without entitlement: status", e.status, 403)

        # without the experimental header (the SDK's default for create) ISC refuses the call.
        try:
            api.create_machine_account_request_v1(request)
            c.check("create without X-SailPoint-Experimental: refused", False, "answered")
        except ApiException as e:
            c.eq("create without X-SailPoint-Experimental: status", e.status, 400)

    # what the sandbox received: the SDK's bearer token on every call, the header where it was sent.
    calls = [r for r in logged("isc") if r["operation"] != "token"]
    c.check(
        "every call carried the SDK's bearer token",
        bool(calls) and all(header(r, "authorization") == "Bearer " + configuration.access_token for r in calls),
        [header(r, "authorization") is not None for r in calls],
    )
    return c.done()


if __name__ == "__main__":
    sys.exit(main())
