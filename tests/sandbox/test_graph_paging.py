"""The stand-in's Graph pages collections and expands relationships the way Microsoft Graph v1.0 does."""

import uuid
from urllib.parse import quote

from tests.integration.graph_direct import GraphDirect


def test_collections_page_with_next_links_and_expand_is_capped(standin):
    graph = GraphDirect(standin)
    name = "paged-" + uuid.uuid4().hex[:8]
    group_id = graph.create_group(name)
    members = [graph.create_group("%s-%02d" % (name, n)) for n in range(23)]
    for member in members:
        graph.post(
            "/groups/%s/members/$ref" % group_id,
            {"@odata.id": "%s/v1.0/directoryObjects/%s" % (standin.base_url, member)},
        )

    # $top sets the page size; the nextLink carries the rest and the query.
    status, page = graph.request("GET", "/groups/%s/members?$top=10&$select=id" % group_id)
    seen = [m["id"] for m in page["value"]]
    assert status == 200 and len(seen) == 10
    while "@odata.nextLink" in page:
        status, page = graph.request("GET", page["@odata.nextLink"])
        seen.extend(m["id"] for m in page["value"])
    assert seen == members

    # An expanded relationship holds 20 objects at most, with no nextLink; a nested $select keeps id and type.
    query = "$filter=%s&$expand=%s" % (quote("displayName eq '%s'" % name), quote("members($select=id)"))
    status, found = graph.request("GET", "/groups?" + query)
    (group,) = found["value"]
    assert [m["id"] for m in group["members"]] == members[:20]
    assert set(group["members"][0]) == {"@odata.type", "id"} and "members@odata.nextLink" not in group

    status, with_owners = graph.request("GET", "/groups/%s?$expand=owners" % group_id)
    assert status == 200 and with_owners["owners"] == []

    status, error = graph.request("GET", "/groups?$expand=manager")
    assert status == 400 and "manager" in error["error"]["message"]
