"""``python -m audiosockets``: the three roles from the command line.

    python -m audiosockets server  [-c server_info.json]
    python -m audiosockets record  [-c FILE] [--stream S] [--period P] [--source mic|stdin|FILE.wav] ...
    python -m audiosockets process [-c FILE] [--name N] [--stream S,...] [--start W] [--window K] print

``print`` prints a line per chunk, per record of a result stream, and per gap.

Data lines go to stdout, logs to stderr. A bad config or option exits 2 with one line naming
the file and key; a refusal by the mailman exits 1; no tracebacks for either.
"""
from __future__ import annotations

import argparse
import sys
from typing import Any, Dict, List, Optional

from .errors import AudiosocketsError, ConfigError
from .wire import Gap


def _print_chunk(data: Dict[str, Any]) -> None:
    print(f"{data['stream']:<12} #{data['seq']:<6} {data['frames']:6d} frames  {data['fs']:5d} Hz {data['channels']} ch "
          f"{data['format']}{'  redelivered' if data['redelivered'] else ''}", flush=True)


def _print_record(record: Any) -> None:
    preview = record.text() if record.content_type == "json" else record.data[:16].hex()
    print(f"{record.stream:<12} #{record.seq:<6} record {record.content_type} {len(record.data)} bytes {preview}"
          f"{'  redelivered' if record.redelivered else ''}", flush=True)


def _print_gap(gap: Gap) -> None:
    print(f"{gap.stream:<12} GAP    chunks {gap.from_seq}..{gap.to_seq} ({gap.count}) will not arrive: {gap.reason}",
          flush=True)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m audiosockets", description="audiosockets for Python")
    sub = p.add_subparsers(dest="command", required=True)
    for name in ("server", "record", "process"):
        s = sub.add_parser(name)
        s.add_argument("-c", "--config", default=None, help="server_info.json (default: the defaults)")
        if name != "server":
            s.add_argument("--host")
            s.add_argument("-p", "--port", type=int)
            s.add_argument("--log-level")
            s.add_argument("--tls-fingerprint")
    r = sub.choices["record"]
    r.add_argument("--stream", default="default")
    r.add_argument("--period", type=float, default=0.5)
    r.add_argument("--source", default="mic", help="mic, stdin, or a WAV file")
    r.add_argument("--samplerate", type=int)
    r.add_argument("--channels", type=int)
    r.add_argument("--sample-format")
    r.add_argument("--fast", action="store_true", help="send a file as fast as the mailman accepts")
    pr = sub.choices["process"]
    pr.add_argument("-n", "--name")
    pr.add_argument("--stream")
    pr.add_argument("--start", default="resume")
    pr.add_argument("--window", type=int)
    pr.add_argument("kind", choices=["print"])
    return p


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the command; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "server":
            from .mailman import MailmanSocket
            return MailmanSocket(args.config).start()
        common = dict(host=args.host, port=args.port, logging_level=args.log_level,
                      tls_fingerprint=args.tls_fingerprint)
        if args.command == "record":
            from .recorder import RecorderSocket
            source = None if args.source == "mic" else args.source
            RecorderSocket(args.config, source, stream=args.stream, period=args.period, samplerate=args.samplerate,
                           channels=args.channels, sample_format=args.sample_format,
                           realtime=False if args.fast else None, **common).start()
            return 0
        from .processor import BaseProcessorSocket

        class Printer(BaseProcessorSocket):
            def process_data(self, data: Dict[str, Any]) -> None:
                _print_chunk(data)

            def process_record(self, record: Any) -> None:
                _print_record(record)

            def on_gap(self, gap: Gap) -> None:
                _print_gap(gap)

        Printer(args.name or args.kind, args.config, streams=args.stream, start=args.start, window=args.window,
                **common).start()
        return 0
    except ConfigError as e:
        print(f"audiosockets: {e}", file=sys.stderr)
        return 2
    except AudiosocketsError as e:
        print(f"audiosockets: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 141


if __name__ == "__main__":
    sys.exit(main())
