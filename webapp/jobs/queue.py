"""The Huey queue: SQLite storage by default, Redis when REDIS_URL is set (docs/jobs.md)."""
from huey import RedisHuey, SqliteHuey


class Jobs:
    """Flask extension holding the app's Huey instance and its one task, `run(job id)`."""

    def __init__(self):
        self.huey, self.app, self._task = None, None, None

    def init_app(self, app):
        url = app.config.get("REDIS_URL")
        if url:  # several workers on several machines share one Redis
            huey = RedisHuey("jemput", url=url)
        else:  # one machine: a SQLite file next to the app's (any number of worker threads)
            huey = SqliteHuey("jemput", filename=app.config["JOBS_DB"])
        huey.immediate = bool(app.config.get("JOBS_IMMEDIATE"))
        self.huey, self.app = huey, app
        self._task = huey.task(name="jemput.run", retries=1, retry_delay=2)(self._execute)
        app.extensions["jobs"] = self

    def _execute(self, job_id):
        # The task only names the job: its state and its file live in the app's database.
        from webapp.jobs import services

        with self.app.app_context():
            services.run(job_id)

    def enqueue(self, job_id):
        self._task(job_id)

    def consumer(self, workers=2):
        """A Huey consumer (worker threads) for this app's queue."""
        return self.huey.create_consumer(workers=workers, worker_type="thread", periodic=False,
                                         initial_delay=0.05, max_delay=0.5)


jobs = Jobs()
