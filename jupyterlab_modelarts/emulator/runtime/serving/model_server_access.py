"""How Local ModelArts and its model servers agree on who may call a server: a secret per
server process, in its environment (private to the user, unlike a command line), presented in a
header on every request."""

SECRET_ENV = "MODELARTS_LOCAL_SERVER_SECRET"  # noqa: S105 (a variable name)
SECRET_HEADER = "X-Local-ModelArts-Secret"  # noqa: S105 (a header name)
