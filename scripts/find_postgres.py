"""Print the PostgreSQL URL given as argument if a server answers there, else nothing."""

from __future__ import annotations

import sys


def main() -> int:
    url = sys.argv[1] if len(sys.argv) > 1 else "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    try:
        import psycopg
        from sqlalchemy.engine import make_url

        conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception:  # any failure means "no usable server"; make test says so
        return 0
    print(url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
