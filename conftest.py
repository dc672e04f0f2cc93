import os

# Tests run tasks inline and never need a SECRET_KEY from the environment.
os.environ.setdefault("CASEREVIEW_TESTING", "1")
os.environ.setdefault("CASEREVIEW_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("CASEREVIEW_VAR_DIR", os.path.join(os.path.dirname(__file__), "var", "test"))
