"""Entry point of the Celery worker the integration tests start: the project's app, with
the test's own queue as the default queue, so that tasks the worker queues itself (batches,
retries) stay on that queue too."""

import os
import sys

from soest_office.celery import app

if __name__ == "__main__":
    app.conf.task_default_queue = os.environ["NEWS_TEST_QUEUE"]
    app.worker_main(sys.argv[1:])
