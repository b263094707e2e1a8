"""A `hct worker` for the worker_pickup benchmark: the real worker, with one extra kind of job
(`bench.sleep`) that runs long enough to be killed mid-task. Not a benchmark itself."""

import os
import sys
import time

from bench.harness import setup_django


def main() -> int:
    setup_django(os.environ["DATABASE_URL"])
    from hct.core.jobs import job_handler
    from hct.core.worker import Worker

    @job_handler("bench.sleep")
    def _sleep(params, *, report, actor):
        for second in range(params["seconds"]):
            report(second + 1, params["seconds"], "sleeping")
            time.sleep(1)
        return {"slept": params["seconds"]}

    # Polls as often as `hct worker` does by default.
    worker = Worker(poll_seconds=float(os.environ.get("BENCH_POLL", "1.0")))
    worker.configure_signals()
    worker.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
