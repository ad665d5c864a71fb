"""python -m aep_emulator --host 127.0.0.1 --port 8080 [--db PATH] [--clients ID:SECRET,...]
[--tls-cert PEM --tls-key PEM] [--reserialize-ui-model] ..."""

import argparse
import logging
import os
import signal
import sys
import threading

from .app import Emulator
from .server import build_server
from .store import Store

DEFAULT_CLIENTS = "aep-demo-client:aep-demo-secret"


def _clients(text):
    clients = {}
    for pair in text.split(","):
        client_id, sep, secret = pair.strip().partition(":")
        if not sep or not client_id or not secret:
            raise argparse.ArgumentTypeError(f"expected ID:SECRET, got {pair!r}")
        clients[client_id] = secret
    return clients


def _sandboxes(text):
    return [name.strip() for name in text.split(",") if name.strip()]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m aep_emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument("--db", help="SQLite file that keeps the library across restarts "
                                     "(default: in memory)")
    parser.add_argument("--clients", type=_clients, default=_clients(DEFAULT_CLIENTS),
                        help=f"accepted client credentials (default {DEFAULT_CLIENTS})")
    parser.add_argument("--token-ttl", type=int, default=86399, help="token lifetime in seconds")
    parser.add_argument("--sandboxes", type=_sandboxes, default=["prod", "dev", "stage"],
                        help="sandboxes with a decisioning container (default prod,dev,stage)")
    parser.add_argument("--port-file", help="write the bound port number to this file")
    parser.add_argument("--access-log", action="store_true", help="log every request to stderr")
    parser.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate (chain) file")
    parser.add_argument("--tls-key", help="the PEM private key of --tls-cert")
    parser.add_argument("--reserialize-ui-model", action="store_true",
                        help="store dps item collections' uiModel strings re-serialized (other key "
                             "order and spacing), so clients must compare them as JSON")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    return args


def main(argv=None):
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    store = Store(args.db or ":memory:")
    for name in args.sandboxes:
        store.add_sandbox(name, True, replace=False)
    server = build_server(Emulator(store, args.clients, args.token_ttl, args.reserialize_ui_model), args.host, args.port,
                          access_log=args.access_log, tls_cert=args.tls_cert, tls_key=args.tls_key)
    port = server.server_address[1]
    if args.port_file:
        # Write then rename, so a waiting test never reads a half-written file.
        tmp = f"{args.port_file}.tmp"
        with open(tmp, "w") as handle:
            handle.write(f"{port}\n")
        os.replace(tmp, args.port_file)
    scheme = "https" if args.tls_cert else "http"
    print(f"aep_emulator listening on {scheme}://{args.host}:{port}", flush=True)

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    # serve_forever runs in a thread: shutdown() must not be called from the serving thread.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
