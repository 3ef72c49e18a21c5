"""A throw-away certificate authority and a server certificate for 127.0.0.1 / localhost."""

import trustme


def make_certificates(state_dir):
    """Write DIR/ca.pem (trust anchor for clients) and DIR/server.pem (key + chain for the server)."""
    ca = trustme.CA(organization_name="Azure stand-in")
    server = ca.issue_cert("127.0.0.1", "localhost")
    ca_path = state_dir / "ca.pem"
    server_path = state_dir / "server.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    server.private_key_and_cert_chain_pem.write_to_path(str(server_path))
    return ca_path, server_path
