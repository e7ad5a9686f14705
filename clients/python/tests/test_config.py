"""server_info.json: the paper's file loads; bad files raise errors naming the file and the key;
logging_format and logging_level reach Python's logging."""
import json
import logging

import pytest

from audiosockets import ConfigError, load_config
from audiosockets.logs import configure

PAPER = {"SERVER": "172.16.12.10", "PORT": 5050, "HEADER": 64, "FORMAT": "utf-8", "DISCONNECT_MSG": "DISCONNECT",
         "logging_format": "%(asctime)s-%(message)s", "logging_level": "info"}


def write(tmp_path, content: str):
    p = tmp_path / "server_info.json"
    p.write_text(content)
    return p


def test_the_papers_file_loads(tmp_path):
    c = load_config(write(tmp_path, json.dumps(PAPER)), environ={})
    assert (c.host, c.port, c.disconnect_msg, c.logging_format, c.logging_level) == \
        ("172.16.12.10", 5050, "DISCONNECT", "%(asctime)s-%(message)s", "info")
    assert (c.ack_window, c.heartbeat_seconds, c.reconnect_seconds) == (64, 5.0, 1.0)


def test_missing_file_names_it(tmp_path):
    with pytest.raises(ConfigError, match=r"nope\.json: config file not found"):
        load_config(tmp_path / "nope.json")


@pytest.mark.parametrize("content, words", [
    ('{"PORT": 5050,', r"server_info\.json: malformed JSON at line 1"),
    ('[1, 2]', r"server_info\.json: expected a JSON object"),
    ('{"PORT": "fifty"}', r"server_info\.json: key 'PORT': expected an integer 0\.\.65535, got string \"fifty\""),
    ('{"PORTT": 1}', r"server_info\.json: key 'PORTT': unknown key"),
    ('{"PORT": 1, "PORT": 2}', r"duplicate key 'PORT'"),
    ('{"logging_level": "loud"}', r"key 'logging_level': unknown logging level 'loud'"),
    ('{"FORMAT": "latin-1"}', r"key 'FORMAT': 'latin-1' is not a supported text encoding"),
    ('{"ACK_WINDOW": 0}', r"key 'ACK_WINDOW': expected an integer 1\.\.65535, got 0"),
    ('{"TLS": "yes"}', r"key 'TLS': expected true or false"),
])
def test_malformed_files_name_file_and_key(tmp_path, content, words):
    with pytest.raises(ConfigError, match=words):
        load_config(write(tmp_path, content), environ={})


def test_tokens_from_the_environment_win(tmp_path):
    c = load_config(write(tmp_path, '{"TOKEN": "file"}'), environ={"AUDIOSOCKETS_TOKEN": "env",
                                                                  "AUDIOSOCKETS_PROCESSOR_TOKEN": "p"})
    assert (c.recorder_secret, c.processor_secret) == ("env", "p")


def test_relative_tls_paths_are_relative_to_the_file(tmp_path):
    c = load_config(write(tmp_path, '{"TLS_CA": "ca.pem"}'), environ={})
    assert c.tls_ca == str(tmp_path / "ca.pem") and c.client_tls


def test_logging_format_and_level_are_applied(capsys):
    root = logging.getLogger()
    saved = root.handlers[:]
    root.handlers.clear()   # as in a script that configured nothing
    try:
        configure("[%(levelname)s] %(name)s: %(message)s", "WARNING")
        log = logging.getLogger("audiosockets.test")
        log.info("hidden")
        log.warning("shown")
        err = capsys.readouterr().err
        assert "[WARNING] audiosockets.test: shown" in err and "hidden" not in err
        with pytest.raises(ConfigError, match="logging_level"):
            configure("%(message)s", "chatty")
    finally:
        root.handlers[:] = saved
        for h in logging.getLogger("audiosockets").handlers[:]:
            logging.getLogger("audiosockets").removeHandler(h)
        logging.getLogger("audiosockets").propagate = True


def test_the_mailmans_own_keys_load_so_one_file_serves_server_and_clients(tmp_path):
    # server -c and the Python clients share server_info.json: keys only the mailman uses must not break the clients.
    f = tmp_path / "server_info.json"
    f.write_text(json.dumps({"PORT": 5050, "RETENTION_MAX_BYTES": 0, "HTTP_PORT": 8080, "HTTP_HOST": "0.0.0.0",
                             "LAG_WARN_SECONDS": 5}))
    c = load_config(f)
    assert (c.http_port, c.http_host, c.lag_warn_seconds, c.retention_max_bytes) == (8080, "0.0.0.0", 5.0, 0)
    f.write_text(json.dumps({"HTTP_PORT": 70000}))
    with pytest.raises(ConfigError, match="HTTP_PORT"):
        load_config(f)
