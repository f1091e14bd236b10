"""`mo-docs serve`: the web server (gunicorn).  It listens on MO_DOCS_HOST (127.0.0.1 by
default); any other address — reachable from the network — is refused until an active
admin account exists, so a fresh install is never open to everyone."""
from __future__ import annotations

import ipaddress


class RefusedHost(Exception):
    pass


def is_loopback(host: str) -> bool:
    host = (host or "").strip().strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_host(app) -> str:
    host = app.config["HOST"]
    if is_loopback(host):
        return host
    from service.accounts.directory import count_admins

    if count_admins(app.extensions["workspace"].sf) == 0:
        raise RefusedHost(f"служба не будет слушать {host}: в ней ещё нет учётной записи администратора, и открыть её "
                          "в сети значило бы открыть её всем. Создайте администратора (mo-docs users add АДРЕС --role "
                          "admin) и запустите снова, или оставьте 127.0.0.1.")
    return host


def banner(app, host: str) -> str:
    port = app.config["PORT"]
    shown = f"[{host}]" if ":" in host else host
    where = app.config.get("PUBLIC_URL") or f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}"
    scope = "только с этого компьютера" if is_loopback(host) else "из сети (вход по учётным записям)"
    return f"mo-docs: {where}/ — служба слушает {shown}:{port}, открыть её можно {scope}."


def serve(app, workers: int = 2, threads: int = 4) -> None:
    from gunicorn.app.base import BaseApplication

    from service.access_log import AccessLogger, secret_paths

    host = check_host(app)
    AccessLogger.secrets = secret_paths(app)
    bind = f"[{host}]:{app.config['PORT']}" if ":" in host else f"{host}:{app.config['PORT']}"

    class _Gunicorn(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", bind)
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", "-")
            # the one-time links' secrets are in their paths: masked (service/access_log.py)
            self.cfg.set("logger_class", AccessLogger)
            self.cfg.set("access_log_format", '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss')
            self.cfg.set("timeout", 120)
            self.cfg.set("control_socket_disable", True)   # one shared ~/.gunicorn socket would collide
            self.cfg.set("umask", 0o077)

        def load(self):
            return app

    print(banner(app, host), flush=True)
    _Gunicorn().run()
