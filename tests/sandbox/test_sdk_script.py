"""An ordinary SDK script with nothing but the stand-in's env file sourced."""

import subprocess
import sys
import uuid
from pathlib import Path

SCRIPT = r"""
import os
from azure.identity import ClientSecretCredential
from azure.mgmt.mongocluster import MongoClusterMgmtClient
from azure.mgmt.resource.resources import ResourceManagementClient
import json, ssl, sys, urllib.request

env = os.environ
with urllib.request.urlopen(env["AZURE_CLOUD_ENVIRONMENT"], context=ssl.create_default_context()) as answer:
    cloud = json.loads(answer.read())[0]
credential = ClientSecretCredential(
    env["AZURE_TENANT"], env["AZURE_CLIENT_ID"], env["AZURE_SECRET"],
    authority=env["AZURE_AUTHORITY_HOST"], disable_instance_discovery=True,
)
arm = cloud["resourceManager"]
scopes = [cloud["authentication"]["audiences"][-1] + ".default"]
group = sys.argv[1]
ResourceManagementClient(credential, env["AZURE_SUBSCRIPTION_ID"], base_url=arm, credential_scopes=scopes) \
    .resource_groups.create_or_update(group, {"location": "westeurope"})
client = MongoClusterMgmtClient(credential, env["AZURE_SUBSCRIPTION_ID"], base_url=arm, credential_scopes=scopes)
cluster = client.mongo_clusters.begin_create_or_update(group, "vcore1", {
    "location": "westeurope",
    "properties": {"administrator": {"userName": "clusteradmin", "password": sys.argv[2]},
                   "compute": {"tier": "M30"}, "storage": {"sizeGb": 32},
                   "highAvailability": {"targetMode": "Disabled"}, "publicNetworkAccess": "Disabled"},
}).result()
print("state", cluster.properties.provisioning_state == "Succeeded")
again = client.mongo_clusters.get(group, "vcore1").as_dict()
print("password-returned", sys.argv[2] in json.dumps(again))
client.mongo_clusters.begin_delete(group, "vcore1").result()
print("remaining", len(list(client.mongo_clusters.list_by_resource_group(group))))
"""


def test_plain_sdk_script_with_only_the_env_file(standin, tmp_path):
    script = tmp_path / "vcore.py"
    script.write_text(SCRIPT)
    password = "Pw-" + uuid.uuid4().hex
    standin.configure(durations={"Microsoft.DocumentDB/mongoClusters": 0.3})
    try:
        shell = f". {standin.state_dir}/env && exec python {script} rg-script-{uuid.uuid4().hex[:6]} {password}"
        path = f"{Path(sys.executable).parent}:/usr/bin:/bin"
        result = subprocess.run(
            ["bash", "-c", shell], env={"PATH": path}, capture_output=True, text=True, timeout=120, check=False
        )
    finally:
        standin.configure(durations={"Microsoft.DocumentDB/mongoClusters": 0})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == ["state True", "password-returned False", "remaining 0"]
    assert password not in standin.traffic_path.read_text()
