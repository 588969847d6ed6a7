"""Run moto (DynamoDB, SES and the other AWS mocks) as a single-threaded HTTP server on a loopback address."""

import argparse
import ipaddress
import logging
import os

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server


def parse_loopback_host(host: str) -> str:
    if host == "localhost":
        return host
    try:
        is_loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        is_loopback = False
    if not is_loopback:
        raise argparse.ArgumentTypeError(
            f"invalid host {host!r}: expected a loopback address such as 127.0.0.1 or ::1"
        )
    return host


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--host",
        type=parse_loopback_host,
        default="127.0.0.1",
        help="loopback address to bind (default: 127.0.0.1)",
    )
    parser.add_argument("--port", type=int, default=5000, help="TCP port to bind (default: 5000)")
    args = parser.parse_args()

    # Werkzeug logs one INFO line per request, so only warnings and errors are shown.
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    # moto.server also sets MOTO_PORT, because moto reads it to build URLs that point back at this server.
    os.environ.setdefault("MOTO_PORT", str(args.port))

    # This is the app that moto.server serves, built the same way. moto 5.2.5's DynamoDB
    # backend takes no lock, so with threads one request's condition check and write can
    # interleave with another's. Serving without threads runs each request to completion.
    app = DomainDispatcherApplication(create_backend_app)
    # run_simple(..., threaded=False) serves with this same make_server call. It is called
    # directly here so that the message below is printed only after the port is bound.
    server = make_server(args.host, args.port, app, threaded=False, request_handler=MotoRequestHandler)
    url_host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"moto listening on http://{url_host}:{server.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
