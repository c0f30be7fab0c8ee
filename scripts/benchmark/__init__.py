"""The benchmark behind docs/performance.md, run by `scripts/bench [--quick]`.

- `settings`: paths, the database server, the profiles (full and --quick), progress lines;
- `servers`: the app's environment, `manage.py`, gunicorn instances, the databases;
- `client`: one keep-alive HTTP connection, as a till holds;
- `fixtures`: the ids, tokens and search fragments the requests use;
- `reads`: the reads' latencies, each against the token-auth floor;
- `checkouts`: the six-request and the one-request checkouts from concurrent clients;
- `table`: the report (terminal, Markdown, JSON) and the targets;
- `run`: one size, and the whole run (`main`).
The raw-SQL ceilings are `scripts/bench_ceiling.py` (the six-request flow) and
`scripts/bench_ceiling_one_request.py`.
"""
